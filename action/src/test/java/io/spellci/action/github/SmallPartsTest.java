package io.spellci.action.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.action.testing.Runner;
import io.spellci.action.testing.RunnerLog;
import io.spellci.action.testing.StepRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallPartsTest {
    @TempDir
    Path dir;

    @Test
    void delimitersAreVersion4UuidsAndFresh() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String d = Delimiters.next();
            assertThat(d).matches("ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(seen.add(d)).isTrue();
        }
    }

    @Test
    void devUrandomIsReadOnPosixOnly() throws Exception {
        // On Windows "/dev/urandom" is a file in dev at the drive's root: zeros planted there must not make the delimiter.
        Path planted = Files.write(dir.resolve("urandom"), new byte[16]);
        String zeros = "00000000-0000-4000-8000-000000000000";
        assertThat(Delimiters.randomUuid('/', planted.toFile())).isEqualTo(zeros);
        String onWindows = Delimiters.randomUuid('\\', planted.toFile());
        assertThat(onWindows).isNotEqualTo(zeros)
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void portableNames() {
        assertThat(GithubEnvFile.isPortableName("SPELL_TOKEN")).isTrue();
        assertThat(GithubEnvFile.isPortableName("_x1")).isTrue();
        assertThat(GithubEnvFile.isPortableName("1x")).isFalse();
        assertThat(GithubEnvFile.isPortableName("")).isFalse();
        assertThat(GithubEnvFile.isPortableName("a-b")).isFalse();
        assertThat(GithubEnvFile.isPortableName("ä")).isFalse();
    }

    @Test
    void unknownStepIsNotRun() {
        assertThat(GithubStep.run("pre")).isEqualTo(-1);
    }

    @Test
    void summaryTableEscapesCells() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("a|b", "line\nbreak \\ x");
        String md = new StepSummary().heading("H").table("k", "v", rows).line("end").markdown();
        assertThat(md).isEqualTo("### H\n\n| k | v |\n|---|---|\n| a\\|b | line break \\\\ x |\n\nend\n");
    }

    @Test
    void summaryWriteFailureIsReported() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("summary-dir"));
        assertThatThrownBy(() -> new StepSummary().line("x").appendTo(directory))
                .isInstanceOf(FileCommandException.class).hasMessageContaining("GITHUB_STEP_SUMMARY");
        new StepSummary().appendTo(directory); // empty: nothing to write, no error
        new StepSummary().line("x").appendTo(null); // unset: skipped
    }

    @Test
    void unwritableSummaryIsOnlyAWarningForMain() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("summary-is-a-directory"));
        StepRun run = new Runner(dir).input("token", "tok-1234567890").input("owner", "acme")
                .input("validate", "false").env("GITHUB_STEP_SUMMARY", directory.toString()).main();
        assertThat(run.exitCode()).isZero();
        assertThat(run.log().warnings()).extracting(RunnerLog.Annotation::title)
                .containsExactly("Could not write the job summary");
        assertThat(run.env()).containsKey("SPELL_TOKEN");
    }

    @Test
    void redactorReplacesPaddedAndStrippedForms() {
        Redactor redactor = new Redactor();
        redactor.add(" secret-value\n");
        redactor.add("");
        redactor.add(null);
        assertThat(redactor.redact("a secret-value b")).isEqualTo("a *** b");
        assertThat(redactor.redact(null)).isEmpty();
    }

    @Test
    void redactorFindsLongSecretsInAnyCaseAndShortOnesExactly() {
        Redactor redactor = new Redactor();
        redactor.add("Secret-Value-1");
        redactor.add("AbC");
        assertThat(redactor.redact("host secret-value-1.example.com: SECRET-VALUE-1 Secret-Value-1x"))
                .isEqualTo("host ***.example.com: *** ***x");
        assertThat(redactor.redact("AbC abc")).isEqualTo("*** abc");
    }

    @Test
    void ephemeralContextFallsBackOutsideGithub() {
        StepContext ctx = new StepContext(Map.of(), System.out, System.err, java.time.Clock.systemUTC(),
                SpellService.Factory.core());
        assertThat(MainStep.ephemeralContext(ctx)).containsExactly("local", "0", "1");
    }

    @Test
    void versionIsKnown() {
        assertThat(MainStep.version()).isNotBlank();
    }

    @Test
    void ephemeralToStringHidesTheToken() {
        SpellService.Ephemeral e = new SpellService.Ephemeral("ci-gha-x", io.spellci.core.credentials.AccessToken
                .of("hidden-token-123"));
        assertThat(e.toString()).contains("ci-gha-x").doesNotContain("hidden-token-123");
    }
}

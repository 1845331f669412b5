package io.spellci.action.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.action.testing.RunnerFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GithubEnvFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"plain", "", "line1\nline2", "trailing newline\n", "\nleading", "100% sure", "%0A%25",
        "::add-mask::x", "::error::boom", "a=b", "NAME<<EOF", "EOF", "ghadelimiter_", "ünïcødé ✓ 日本語 🚀",
        "carriage\rreturn", "tab\tinside", "  spaces around  "})
    void valuesRoundTripThroughTheRunnersParser(String value) throws Exception {
        Path file = Files.createFile(dir.resolve("env"));
        new GithubEnvFile(GithubEnvFile.Kind.ENV).add("SPELL_X", value).add("SPELL_Y", "after").appendTo(file);
        Map<String, String> parsed = RunnerFiles.read(file);
        assertThat(parsed).containsExactly(Map.entry("SPELL_X", value), Map.entry("SPELL_Y", "after"));
    }

    @Test
    void writesTheHeredocFormWithAFreshUuidDelimiterUtf8AndLf() throws Exception {
        GithubEnvFile file = new GithubEnvFile(GithubEnvFile.Kind.ENV).add("A", "1").add("B", "é");
        String text = file.content();
        assertThat(text).doesNotContain("\r");
        String[] lines = text.split("\n", -1);
        assertThat(lines).hasSize(7);
        assertThat(lines[0]).matches("A<<ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(lines[2]).isEqualTo(lines[0].substring(3));
        assertThat(lines[3]).startsWith("B<<ghadelimiter_").isNotEqualTo("B<<" + lines[2]);
        Path target = dir.resolve("env");
        file.appendTo(target);
        assertThat(Files.readAllBytes(target)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAValueContainingTheDelimiter() {
        GithubEnvFile file = new GithubEnvFile(GithubEnvFile.Kind.ENV, () -> "ghadelimiter_fixed");
        assertThatThrownBy(() -> file.add("SPELL_TOKEN", "x\nghadelimiter_fixed\nPATH=/evil"))
                .isInstanceOf(FileCommandException.class)
                .hasMessageContaining("SPELL_TOKEN").hasMessageContaining("delimiter")
                .hasMessageNotContaining("/evil");
        assertThatThrownBy(() -> file.add("SPELL_TOKEN", "ghadelimiter_fixed"))
                .isInstanceOf(FileCommandException.class);
        assertThat(file.isEmpty()).isTrue();
    }

    @Test
    void refusesANameContainingTheDelimiter() {
        GithubEnvFile file = new GithubEnvFile(GithubEnvFile.Kind.OUTPUT, () -> "d");
        assertThatThrownBy(() -> file.add("odd", "v")).isInstanceOf(FileCommandException.class)
                .hasMessageContaining("delimiter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A=B", "A<<B", "A\nB", "A\rB", "A\u0000B"})
    void refusesNamesTheRunnerWouldMisread(String name) {
        for (GithubEnvFile.Kind kind : GithubEnvFile.Kind.values()) {
            assertThatThrownBy(() -> new GithubEnvFile(kind).add(name, "v")).isInstanceOf(FileCommandException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NODE_OPTIONS", "node_options", "Node_Options"})
    void refusesNodeOptionsInTheEnvironmentFile(String name) {
        assertThatThrownBy(() -> new GithubEnvFile(GithubEnvFile.Kind.ENV).add(name, "--require x"))
                .isInstanceOf(FileCommandException.class).hasMessageContaining("NODE_OPTIONS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ABC", "WITH-HYPHEN", "with space", "dot.name"})
    void refusesNonPortableEnvironmentNames(String name) {
        assertThatThrownBy(() -> new GithubEnvFile(GithubEnvFile.Kind.ENV).add(name, "v"))
                .isInstanceOf(FileCommandException.class).hasMessageContaining("portable");
    }

    @Test
    void outputAndStateNamesMayHaveHyphens() throws Exception {
        Path file = dir.resolve("out");
        new GithubEnvFile(GithubEnvFile.Kind.OUTPUT).add("user-name", "alice").add("token-name", "t").appendTo(file);
        assertThat(RunnerFiles.read(file)).containsEntry("user-name", "alice").containsEntry("token-name", "t");
    }

    @Test
    void appendsToWhatIsThereInOneWrite() throws Exception {
        Path file = dir.resolve("env");
        Files.writeString(file, "EARLIER=1\n");
        new GithubEnvFile(GithubEnvFile.Kind.ENV).add("A", "x").add("B", "y").appendTo(file);
        assertThat(RunnerFiles.read(file)).containsExactly(Map.entry("EARLIER", "1"), Map.entry("A", "x"),
                Map.entry("B", "y"));
    }

    @Test
    void aRefusedEntryLeavesTheFileUntouched() throws Exception {
        Path file = Files.createFile(dir.resolve("env"));
        GithubEnvFile env = new GithubEnvFile(GithubEnvFile.Kind.ENV, () -> "ghadelimiter_x");
        env.add("SPELL_OWNER", "acme");
        assertThatThrownBy(() -> env.add("SPELL_TOKEN", "ghadelimiter_x")).isInstanceOf(FileCommandException.class);
        // The caller aborts: nothing was appended yet, so the file holds no half of the entries.
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void emptyFileWritesNothing() throws Exception {
        Path file = dir.resolve("never");
        new GithubEnvFile(GithubEnvFile.Kind.ENV).appendTo(file);
        new GithubEnvFile(GithubEnvFile.Kind.ENV).appendTo(null);
        assertThat(file).doesNotExist();
    }

    @Test
    void missingPathSaysWhichVariable() {
        assertThatThrownBy(() -> new GithubEnvFile(GithubEnvFile.Kind.STATE).add("a", "b").appendTo(null))
                .isInstanceOf(FileCommandException.class).hasMessageContaining("GITHUB_STATE is not set");
    }

    @Test
    void unwritablePathNamesTheVariablesNotTheValues() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        assertThatThrownBy(() -> new GithubEnvFile(GithubEnvFile.Kind.ENV).add("SPELL_TOKEN", "s3cr3t-value")
                .appendTo(directory))
                .isInstanceOf(FileCommandException.class)
                .hasMessageContaining("SPELL_TOKEN").hasMessageContaining("GITHUB_ENV")
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void namesAreReported() {
        GithubEnvFile file = new GithubEnvFile(GithubEnvFile.Kind.ENV).add("A", "1").add("B", "2");
        assertThat(file.names()).containsExactly("A", "B");
        assertThat(file.kind()).isEqualTo(GithubEnvFile.Kind.ENV);
    }
}

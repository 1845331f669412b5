package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spellci.action.testing.RunnerLog;
import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The class-data sharing archive the launcher keeps in the runner's tool cache (action/launcher/cds.js), through
 * the real launcher and jar. Every job runs from its own fresh copy of the action, as the runner unpacks it anew for
 * each job. Which classes the JVM mapped from an archive is read from its class-load log (JAVA_TOOL_OPTIONS, the
 * same in every job of a test, so that it names the same archive).
 */
class ClassDataSharingIT {
    static final String TOKEN = "cds-secret-token-0123456789abcdef";
    /** How the JVM's class-load log says a class came from the dynamic archive. */
    static final String FROM_ARCHIVE = "io.spellci.action.github.MainStep source: shared objects file (top)";

    @TempDir
    Path dir;

    FakeSpellApi fake;
    Path toolCache;
    Path classLog;
    String node;
    int jobs;

    @BeforeEach
    void start() throws IOException {
        node = Jar.node();
        assumeTrue(node != null, "node is not on the PATH");
        Jar.assertJarBuilt();
        fake = FakeSpellApi.builder().user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN).start();
        toolCache = Files.createDirectories(dir.resolve("tool-cache"));
        classLog = dir.resolve("class-load.log");
    }

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
        }
    }

    /** A new job on the self-hosted runner: its own folder, its own copy of the action, the shared tool cache. */
    Jar.Steps job() {
        Path jobDir = dir.resolve("job-" + ++jobs);
        Jar.Steps steps = new Jar.Steps(mkdirs(jobDir.resolve("temp"))).viaNode(node)
                .actionRoot(Jar.actionCopy(jobDir.resolve("action")))
                .input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .input("timeout-seconds", "10")
                .env("JAVA_HOME_17_X64", System.getProperty("java.home"))
                .env("RUNNER_ENVIRONMENT", "self-hosted").env("RUNNER_TOOL_CACHE", toolCache.toString())
                .env("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
        return steps;
    }

    @Test
    void aSecondJobUsesTheArchiveTheFirstJobMade() throws IOException {
        StepRun first = ok(job().main());
        assertThat(classLog()).doesNotContain(FROM_ARCHIVE);
        assertThat(debugLines(first)).singleElement().asString().contains("made").contains(toolCache.toString());
        assertThat(archives()).hasSize(1);

        Jar.Steps second = job();
        StepRun main = ok(second.main());
        assertThat(classLog()).contains(FROM_ARCHIVE);
        assertThat(debugLines(main)).singleElement().asString().contains("used");
        assertThat(main.outputs()).isEqualTo(first.outputs()).containsEntry("user-name", "alice");
        assertThat(main.env()).containsEntry("SPELL_TOKEN", TOKEN).containsEntry("SPELL_OWNER", "acme");
        StepRun post = second.post(main);
        assertThat(post.exitCode()).as(post.stdout() + post.stderr()).isZero();
        // Post maps the same archive (the classes only post loads are not in it: main made it).
        assertThat(classLog()).contains(FROM_ARCHIVE);
        assertThat(archives()).hasSize(1);
        main.assertNoLeak(TOKEN);
        post.assertNoLeak(TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"corrupt", "foreign"})
    void aCorruptOrForeignArchiveIsIgnoredAndReplaced(String kind) throws IOException {
        ok(job().main());
        Path archive = archives().get(0);
        byte[] replacement;
        if (kind.equals("corrupt")) {
            replacement = "not a class-data sharing archive\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        } else {
            // A valid archive, but of another jar (the build's own, at another path) and other options.
            Path foreign = dir.resolve("foreign.jsa");
            Jar.Result r = Jar.exec(List.of(Jar.JAVA.toString(), "-XX:ArchiveClassesAtExit=" + foreign, "-jar",
                    Jar.JAR.toString(), "--version"), Jar.baseEnv(), null);
            assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
            replacement = Files.readAllBytes(foreign);
        }
        archive.toFile().setWritable(true);
        Files.write(archive, replacement);

        StepRun ignored = ok(job().main());
        assertThat(classLog()).doesNotContain(FROM_ARCHIVE);
        assertThat(debugLines(ignored)).singleElement().asString().contains("made");
        assertThat(Files.readAllBytes(archive)).isNotEqualTo(replacement);

        ok(job().main());
        assertThat(classLog()).contains(FROM_ARCHIVE);
    }

    @Test
    void twoFirstJobsAtOnceBothSucceedAndLeaveOneValidArchive() throws IOException {
        Jar.Steps a = job();
        Jar.Steps b = job();
        CompletableFuture<StepRun> first = CompletableFuture.supplyAsync(a::main);
        CompletableFuture<StepRun> second = CompletableFuture.supplyAsync(b::main);
        for (StepRun run : List.of(first.join(), second.join())) {
            ok(run);
            assertThat(run.outputs()).containsEntry("user-name", "alice");
            run.assertNoLeak(TOKEN);
        }
        assertThat(archives()).hasSize(1);
        try (Stream<Path> files = Files.walk(toolCache)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("one jar copy, one archive and its marker; no temporary file left")
                    .hasSize(3).noneMatch(name -> name.endsWith(".tmp") || name.endsWith(".status"));
        }
        ok(job().main());
        assertThat(classLog()).contains(FROM_ARCHIVE);
    }

    @Test
    void anUnwritableToolCacheChangesNothingVisible() throws IOException {
        // A regular file where the folder should be: unwritable even for root, which ignores permission bits.
        Path notAFolder = Files.writeString(dir.resolve("tool-cache-file"), "x");
        Jar.Steps withCds = job().input("ephemeral", "false").env("RUNNER_TOOL_CACHE", notAFolder.toString());
        Jar.Steps without = job().input("ephemeral", "false").env("RUNNER_ENVIRONMENT", "github-hosted");
        StepRun on = withCds.main();
        StepRun off = without.main();
        assertThat(on.exitCode()).isEqualTo(off.exitCode()).isZero();
        assertThat(withoutDebugLines(on)).isEqualTo(withoutDebugLines(off));
        assertThat(on.stderr()).isEqualTo(off.stderr());
        assertThat(on.env()).isEqualTo(off.env());
        assertThat(on.outputs()).isEqualTo(off.outputs());
        assertThat(debugLines(on)).singleElement().asString().contains("class-data sharing off");
        assertThat(debugLines(off)).isEmpty();
        assertThat(Files.readString(notAFolder)).isEqualTo("x");
        on.assertNoLeak(TOKEN);
        StepRun post = withCds.post(on);
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().warnings()).isEmpty();
        post.assertNoLeak(TOKEN);
    }

    @Test
    void theTokensAreNotInTheArchiveNorInAnyName() throws IOException {
        StepRun main = ok(job().input("ephemeral", "true").main());
        String perJob = main.env().get("SPELL_TOKEN");
        assertThat(perJob).isNotEqualTo(TOKEN);
        Path archive = archives().get(0);
        byte[] bytes = Files.readAllBytes(archive);
        assertThat(bytes.length).isGreaterThan(1_000_000);
        for (String secret : List.of(TOKEN, perJob)) {
            for (var charset : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                assertThat(Jar.indexOf(bytes, secret.getBytes(charset))).as(secret + " in " + charset).isEqualTo(-1);
                // and no fragment that a mask would miss
                assertThat(Jar.indexOf(bytes, secret.substring(0, 12).getBytes(charset))).as(charset.name()).isEqualTo(-1);
            }
            try (Stream<Path> files = Files.walk(toolCache)) {
                assertThat(files.map(Path::toString)).noneMatch(name -> name.contains(secret.substring(0, 12)));
            }
        }
        // Checked against a value the archive does hold, so that the search itself is known to work.
        assertThat(Jar.indexOf(bytes, "io/spellci/action/github/MainStep".getBytes(StandardCharsets.UTF_8))).isNotNegative();
        main.assertNoLeak(TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hosted-auto", "self-hosted-false", "variable-false"})
    void offWhereItDoesNotPayOrWhenSwitchedOff(String how) throws IOException {
        Jar.Steps steps = job();
        switch (how) {
            case "hosted-auto" -> steps.env("RUNNER_ENVIRONMENT", "github-hosted");
            case "self-hosted-false" -> steps.input("class-data-sharing", "false");
            default -> steps.env("SPELL_CI_CLASS_DATA_SHARING", "false");
        }
        StepRun run = ok(steps.main());
        assertThat(debugLines(run)).isEmpty();
        try (Stream<Path> files = Files.list(toolCache)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void onForAHostedRunnerWhenAsked() throws IOException {
        ok(job().env("RUNNER_ENVIRONMENT", "github-hosted").input("class-data-sharing", "true").main());
        assertThat(archives()).hasSize(1);
    }

    @Test
    void anInvalidSettingNamesTheInputAndTheFix() {
        StepRun run = job().input("class-data-sharing", TOKEN).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors()).singleElement().satisfies(e -> {
            assertThat(e.title()).isEqualTo("Invalid input: class-data-sharing");
            assertThat(e.message()).contains("auto, true or false");
        });
        run.assertNoLeak(TOKEN);
    }

    @Test
    void anInvalidVariableNamesTheVariableNotTheInput() {
        // Set machine-wide by a runner's admin (the runner's .env file), not in the workflow: the error says where.
        StepRun run = job().env("SPELL_CI_CLASS_DATA_SHARING", "yes").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors()).singleElement().satisfies(e -> {
            assertThat(e.title()).isEqualTo("Invalid environment variable: SPELL_CI_CLASS_DATA_SHARING");
            assertThat(e.message()).contains("auto, true or false").doesNotContain("yes")
                    .contains("class-data-sharing input");
        });
        run.assertNoLeak(TOKEN);
    }

    private StepRun ok(StepRun run) {
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.log().errors()).isEmpty();
        return run;
    }

    private String classLog() throws IOException {
        return Files.exists(classLog) ? Files.readString(classLog) : "";
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.walk(toolCache)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    private static List<String> debugLines(StepRun run) {
        return run.stdout().lines().filter(l -> l.startsWith("::debug::")).toList();
    }

    private static List<String> withoutDebugLines(StepRun run) {
        return RunnerLog.of(run.stdout()).visible().stream().filter(l -> !l.startsWith("::debug::")).toList();
    }


    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

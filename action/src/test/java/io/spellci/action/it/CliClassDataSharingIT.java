package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line's class-data sharing on a self-hosted runner (ClassDataSharingRelaunch): a command that calls the
 * Spell API runs again in a JVM that maps, or makes, an archive in the runner's tool cache. The real jar as a process;
 * which classes came from an archive is read from each JVM's class-load log (one file per process: %p).
 */
class CliClassDataSharingIT {
    static final String TOKEN = "cli-cds-secret-token-0123456789";
    static final String FROM_ARCHIVE = "io.spellci.action.cli.CheckCommand source: shared objects file (top)";

    @TempDir
    Path dir;

    FakeSpellApi fake;
    Path toolCache;
    Path logs;

    @BeforeEach
    void start() throws IOException {
        assumeFalse(System.getProperty("os.name").startsWith("Windows"), "off on Windows by design");
        Jar.assertJarBuilt();
        fake = FakeSpellApi.builder().user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN).start();
        toolCache = Files.createDirectories(dir.resolve("tool-cache"));
        logs = Files.createDirectories(dir.resolve("logs"));
    }

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
        }
    }

    Map<String, String> selfHosted() {
        Map<String, String> env = Jar.baseEnv();
        env.put("RUNNER_ENVIRONMENT", "self-hosted");
        env.put("RUNNER_TOOL_CACHE", toolCache.toString());
        env.put("RUNNER_DEBUG", "1");
        env.put("SPELL_TOKEN", TOKEN);
        return env;
    }

    Map<String, String> hosted() {
        Map<String, String> env = selfHosted();
        env.put("RUNNER_ENVIRONMENT", "github-hosted");
        return env;
    }

    Jar.Result run(Map<String, String> env, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(Jar.JAVA.toString(),
                "-Xlog:class+load=info:file=" + logs.resolve("class-load-%p.log"), "-jar", Jar.JAR.toString()));
        command.addAll(List.of(args));
        Jar.Result r = Jar.exec(command, env, stdin);
        assertThat(r.stdout() + r.stderr()).doesNotContain(TOKEN);
        return r;
    }

    Jar.Result check(Map<String, String> env) {
        return run(env, null, "check", "--owner", "acme", "--api-url", fake.url());
    }

    @Test
    void aSecondCommandUsesTheArchiveTheFirstMadeAndPrintsTheSame() throws IOException {
        Jar.Result without = check(hosted());
        assertThat(without.exitCode()).as(without.stderr()).isZero();
        assertThat(without.stderr()).isEmpty();
        try (Stream<Path> files = Files.list(toolCache)) {
            assertThat(files).isEmpty();
        }

        Jar.Result first = check(selfHosted());
        assertThat(debugLines(first)).singleElement().asString().contains("made").contains(toolCache.toString());
        assertThat(archives()).hasSize(1);
        assertThat(classLogs()).doesNotContain(FROM_ARCHIVE);

        clearLogs();
        Jar.Result second = check(selfHosted());
        assertThat(debugLines(second)).singleElement().asString().contains("used");
        assertThat(classLogs()).contains(FROM_ARCHIVE);
        for (Jar.Result r : List.of(first, second)) {
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo(without.stdout()).contains("user alice");
            assertThat(withoutDebugLines(r)).isEqualTo(without.stderr());
        }
    }

    @Test
    void aCorruptArchiveIsIgnoredAndReplaced() throws IOException {
        check(selfHosted());
        Path archive = archives().get(0);
        byte[] corrupt = "not a class-data sharing archive\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        archive.toFile().setWritable(true);
        Files.write(archive, corrupt);
        clearLogs();

        Jar.Result again = check(selfHosted());
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("user alice");
        assertThat(debugLines(again)).singleElement().asString().contains("made");
        assertThat(Files.readAllBytes(archive)).isNotEqualTo(corrupt);
        assertThat(classLogs()).doesNotContain(FROM_ARCHIVE);
        clearLogs();
        assertThat(debugLines(check(selfHosted()))).singleElement().asString().contains("used");
        assertThat(classLogs()).contains(FROM_ARCHIVE);
    }

    @Test
    void twoFirstCommandsAtOnceBothSucceedAndLeaveOneValidArchive() throws IOException {
        CompletableFuture<Jar.Result> a = CompletableFuture.supplyAsync(() -> check(selfHosted()));
        CompletableFuture<Jar.Result> b = CompletableFuture.supplyAsync(() -> check(selfHosted()));
        for (Jar.Result r : List.of(a.join(), b.join())) {
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("user alice");
        }
        try (Stream<Path> files = Files.walk(toolCache)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("one jar copy, one archive and its marker; no temporary file left")
                    .hasSize(3).noneMatch(name -> name.endsWith(".tmp") || name.endsWith(".status"));
        }
        clearLogs();
        assertThat(debugLines(check(selfHosted()))).singleElement().asString().contains("used");
        assertThat(classLogs()).contains(FROM_ARCHIVE);
    }

    @Test
    void anUnwritableToolCacheChangesNothingVisible() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("tool-cache-file"), "x");
        Map<String, String> env = selfHosted();
        env.put("RUNNER_TOOL_CACHE", notAFolder.toString());
        Jar.Result on = check(env);
        Jar.Result off = check(hosted());
        assertThat(on.exitCode()).isEqualTo(off.exitCode()).isZero();
        assertThat(on.stdout()).isEqualTo(off.stdout());
        assertThat(debugLines(on)).singleElement().asString().contains("class-data sharing off");
        assertThat(withoutDebugLines(on)).isEqualTo(off.stderr());
        // Without debug logging, not a line more.
        env.remove("RUNNER_DEBUG");
        Jar.Result quiet = check(env);
        assertThat(quiet.stderr()).isEqualTo(off.stderr()).isEmpty();
        assertThat(Files.readString(notAFolder)).isEqualTo("x");
    }

    @Test
    void theExitCodeStdinAndStderrPassThroughAndNoTokenIsInTheArchive() throws IOException {
        Map<String, String> env = selfHosted();
        env.remove("SPELL_TOKEN");
        String[] args = {"check", "--token-stdin", "--owner", "acme", "--api-url", fake.url()};
        // A wrong token on stdin: refused (exit 1), while the archive is being made and once it is made.
        for (int i = 0; i < 2; i++) {
            Jar.Result refused = run(env, "wrong-token-0123456789\n", args);
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(withoutDebugLines(refused)).contains("rejected the access token");
        }
        // Another exit code than the one a JVM that failed to write its archive exits with: a usage error (2).
        Jar.Result usage = run(env, TOKEN + "\n", "check", "--token-stdin", "--owner", "not an owner!", "--api-url",
                fake.url());
        assertThat(usage.exitCode()).as(usage.stderr()).isEqualTo(2);
        assertThat(debugLines(usage)).singleElement().asString().contains("used");
        Jar.Result ok = run(env, TOKEN + "\n", args);
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(debugLines(ok)).singleElement().asString().contains("used");
        byte[] bytes = Files.readAllBytes(archives().get(0));
        assertThat(bytes.length).isGreaterThan(1_000_000);
        for (String secret : List.of(TOKEN, "wrong-token-0123456789")) {
            for (var charset : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                assertThat(Jar.indexOf(bytes, secret.substring(0, 12).getBytes(charset))).as(charset.name()).isEqualTo(-1);
            }
        }
        // The search works: the archive holds the command's class name.
        assertThat(Jar.indexOf(bytes, "io/spellci/action/cli/CheckCommand".getBytes(StandardCharsets.UTF_8))).isNotNegative();
    }

    @ParameterizedTest
    @ValueSource(strings = {"offline-env", "help", "hosted-auto", "variable-false", "own-sharing-option"})
    void runsHereWhereItDoesNotPayOrWhenSwitchedOff(String how) throws IOException {
        Map<String, String> env = selfHosted();
        Jar.Result r;
        switch (how) {
            case "offline-env" -> {
                // Prints the exports, the token among them, as it should: the one output here that holds it.
                r = Jar.exec(List.of(Jar.JAVA.toString(), "-jar", Jar.JAR.toString(), "env", "--owner", "acme"), env,
                        null);
                assertThat(r.stdout()).contains("SPELL_OWNER");
            }
            case "help" -> r = run(env, null, "check", "--help");
            case "hosted-auto" -> r = check(hosted());
            case "variable-false" -> {
                env.put("SPELL_CI_CLASS_DATA_SHARING", "False");
                r = check(env);
            }
            default -> {
                env.put("JAVA_TOOL_OPTIONS", "-Xshare:auto");
                r = check(env);
            }
        }
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        try (Stream<Path> files = Files.list(toolCache)) {
            assertThat(files).isEmpty();
        }
        if (how.equals("own-sharing-option")) {
            assertThat(debugLines(r)).singleElement().asString().contains("class-data sharing off");
        } else {
            assertThat(debugLines(r)).isEmpty();
        }
    }

    @Test
    void onForAHostedRunnerWhenAsked() throws IOException {
        Map<String, String> env = hosted();
        env.put("SPELL_CI_CLASS_DATA_SHARING", "true");
        assertThat(check(env).exitCode()).isZero();
        assertThat(archives()).hasSize(1);
    }

    @Test
    void anInvalidVariableNamesItAndTheFix() throws IOException {
        Map<String, String> env = selfHosted();
        env.put("SPELL_CI_CLASS_DATA_SHARING", "yes");
        Jar.Result r = check(env);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("SPELL_CI_CLASS_DATA_SHARING must be auto, true or false")
                .contains("remove it").doesNotContain("yes");
        try (Stream<Path> files = Files.list(toolCache)) {
            assertThat(files).isEmpty();
        }
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.walk(toolCache)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    private String classLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    private void clearLogs() throws IOException {
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    private static List<String> debugLines(Jar.Result r) {
        return r.stderr().lines().filter(l -> l.startsWith("::debug::")).toList();
    }

    private static String withoutDebugLines(Jar.Result r) {
        StringBuilder rest = new StringBuilder();
        r.stderr().lines().filter(l -> !l.startsWith("::debug::")).forEach(l -> rest.append(l).append('\n'));
        return rest.toString();
    }
}

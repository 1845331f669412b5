package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spellci.action.testing.RunnerLog;
import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The action as the runner starts it: {@code node action/launcher/main.js} / {@code post.js}. Skipped without node. */
class NodeLauncherIT {
    static final String TOKEN = "node-secret-token-abcdef0123456789";
    static String node;

    @TempDir
    Path dir;

    FakeSpellApi fake;
    Jar.Steps steps;

    @BeforeAll
    static void findNode() {
        String path = System.getenv("PATH");
        for (String entry : path == null ? new String[0] : path.split(File.pathSeparator)) {
            for (String exe : List.of("node", "node.exe")) {
                Path candidate = Path.of(entry, exe);
                if (Files.isExecutable(candidate)) {
                    node = candidate.toString();
                    return;
                }
            }
        }
    }

    @BeforeEach
    void start() {
        assumeTrue(node != null, "node is not on the PATH");
        Jar.assertJarBuilt();
        fake = FakeSpellApi.builder().user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN).start();
        steps = new Jar.Steps(dir).viaNode(node).input("token", TOKEN).input("owner", "acme")
                .input("api-url", fake.url()).input("ephemeral", "true").input("timeout-seconds", "10")
                .env("JAVA_HOME_17_X64", System.getProperty("java.home"));
    }

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void mainAndPostThroughTheLauncher() {
        StepRun main = steps.main();
        assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();
        assertThat(main.log().firstMaskLine()).isZero();
        assertThat(main.env()).containsKeys("SPELL_TOKEN", "SPELL_OWNER");
        String name = main.state().get("token_name");
        assertThat(fake.tokenNames("alice")).contains(name);
        main.assertNoLeak(TOKEN);

        StepRun post = steps.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        post.assertNoLeak(TOKEN);
        post.assertNoLeak(main.env().get("SPELL_TOKEN"));
    }

    @Test
    void exitCodeOfJavaIsPassedThrough() {
        StepRun main = steps.input("owner", "globex").main();
        assertThat(main.exitCode()).isOne();
        assertThat(main.log().errors()).extracting(RunnerLog.Annotation::title)
                .containsExactly("Owner not allowed for this token");
        main.assertNoLeak(TOKEN);
    }

    @Test
    void javaHomeIsUsedWhenNoVersionedVariableIsSet() {
        steps.environment().remove("JAVA_HOME_17_X64");
        steps.env("JAVA_HOME", System.getProperty("java.home")).env("PATH", nodeOnlyPath());
        StepRun main = steps.main();
        assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();
    }

    @Test
    void withoutJavaItAsksForSetupJava() {
        steps.environment().remove("JAVA_HOME_17_X64");
        steps.environment().remove("JAVA_HOME");
        steps.env("PATH", nodeOnlyPath());
        StepRun main = steps.main();
        assertThat(main.exitCode()).isOne();
        assertThat(main.log().errors()).hasSize(1);
        assertThat(main.log().errors().get(0).message()).contains("actions/setup-java").contains("Java 17");
        main.assertNoLeak(TOKEN);
    }

    @Test
    void tooOldJavaIsSkippedAndReported() throws IOException {
        Path old = dir.resolve("jdk8");
        Files.createDirectories(old.resolve("bin"));
        Path fakeJava = Files.createFile(old.resolve("bin").resolve("java"));
        fakeJava.toFile().setExecutable(true);
        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"1.8.0_402\"\n");
        steps.environment().remove("JAVA_HOME_17_X64");
        steps.env("JAVA_HOME", old.toString()).env("PATH", nodeOnlyPath());
        StepRun main = steps.main();
        assertThat(main.exitCode()).isOne();
        assertThat(main.log().errors().get(0).message()).contains("Java 8").contains("actions/setup-java");
        main.assertNoLeak(TOKEN);
    }

    @Test
    void arm64NamesAreFound() {
        steps.environment().remove("JAVA_HOME_17_X64");
        steps.env("JAVA_HOME_21_arm64", System.getProperty("java.home")).env("PATH", nodeOnlyPath());
        StepRun main = steps.main();
        assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();
    }

    @Test
    void launcherPassesTheEnvironmentThrough() {
        Map<String, String> env = steps.environment();
        env.put("INPUT_VALIDATE", "false");
        env.put("INPUT_EPHEMERAL", "false");
        StepRun main = steps.main();
        assertThat(main.exitCode()).isZero();
        assertThat(main.env()).containsEntry("SPELL_OWNER", "acme");
    }

    @Test
    void tokenReachesJavaThroughTheEnvironmentOnlyAndTheExitCodeIsPassedThrough() throws IOException {
        // A stand-in java that records its arguments and environment, then exits with 7.
        Path args = dir.resolve("java-args.txt");
        Path environment = dir.resolve("java-env.txt");
        Path home = standInJava("fs.writeFileSync(" + jsString(args)
                + ", process.argv.slice(2).map((a) => a + '\\n').join(''));\n"
                + "fs.writeFileSync(" + jsString(environment) + ", Object.entries(process.env)"
                + ".map(([k, v]) => k + '=' + v + '\\n').join(''));\n"
                + "process.exit(7);\n");
        steps.env("JAVA_HOME_17_X64", home.toString()).env("SPELL_CI_TEST_MARKER", "passed-through");
        for (String step : List.of("main", "post")) {
            StepRun run = "main".equals(step) ? steps.main() : steps.step("post", Map.of("STATE_token_name", "x"));
            // Post never fails the job: Java's 7 becomes a warning there.
            assertThat(run.exitCode()).as(step).isEqualTo("main".equals(step) ? 7 : 0);
            List<String> argv = Files.readAllLines(args);
            assertThat(argv).as(step).containsExactly("-XX:TieredStopAtLevel=1", "-jar",
                    Jar.ACTION_DIR.resolve("dist").resolve("spell-ci.jar").toString(), "github", step);
            assertThat(String.join(" ", argv)).doesNotContain(TOKEN);
            List<String> env = Files.readAllLines(environment);
            assertThat(env).contains("INPUT_TOKEN=" + TOKEN, "INPUT_API-URL=" + fake.url(), "INPUT_EPHEMERAL=true",
                    "SPELL_CI_TEST_MARKER=passed-through", "GITHUB_ENV=" + run.envFile());
            run.assertNoLeak(TOKEN);
        }
    }

    @Test
    void javaStoppedBySignalIsAnErrorThatSaysWhat() throws IOException {
        Path home = standInJava("process.kill(process.pid, 'SIGKILL');\n");
        StepRun main = steps.env("JAVA_HOME_17_X64", home.toString()).main();
        assertThat(main.exitCode()).isOne();
        assertThat(main.log().errors()).extracting(RunnerLog.Annotation::title).containsExactly("Java was stopped");
        assertThat(main.log().errors().get(0).message()).contains("SIGKILL").contains("re-run");
        main.assertNoLeak(TOKEN);
    }

    @Test
    void javaStoppedBySignalInPostIsAWarningAndExitsZero() throws IOException {
        Path home = standInJava("process.kill(process.pid, 'SIGKILL');\n");
        StepRun post = steps.env("JAVA_HOME_17_X64", home.toString()).step("post", Map.of("STATE_token_name", "x"));
        assertPostWarnsOnly(post, "Java was stopped");
        assertThat(post.log().warnings().get(0).message()).contains("SIGKILL");
    }

    @Test
    void postExitingNonZeroIsAWarningAndExitsZero() throws IOException {
        Path home = standInJava("process.exit(3);\n");
        StepRun post = steps.env("JAVA_HOME_17_X64", home.toString()).step("post", Map.of("STATE_token_name", "x"));
        assertPostWarnsOnly(post, "spell-ci post failed");
        assertThat(post.log().warnings().get(0).message()).contains("exit code 3");
    }

    @Test
    void withoutJavaPostIsAWarningAndExitsZero() {
        steps.environment().remove("JAVA_HOME_17_X64");
        steps.environment().remove("JAVA_HOME");
        steps.env("PATH", nodeOnlyPath());
        assertPostWarnsOnly(steps.step("post", Map.of("STATE_token_name", "x")), "Java 17+ not found");
    }

    @Test
    void aMissingJarFailsMainButIsAWarningInPost() throws IOException {
        steps.actionRoot(Jar.actionWithoutJar(dir));
        StepRun main = steps.main();
        assertThat(main.exitCode()).isOne();
        assertThat(main.log().errors()).extracting(RunnerLog.Annotation::title).containsExactly("spell-ci.jar missing");
        main.assertNoLeak(TOKEN);
        assertPostWarnsOnly(steps.step("post", Map.of("STATE_token_name", "x")), "spell-ci.jar missing");
    }

    @Test
    void theJarIsLookedForNextToTheLaunchersNotInGithubActionPath() throws IOException {
        // Inside a composite action the runner sets GITHUB_ACTION_PATH to the composite's folder.
        Path composite = Files.createDirectories(dir.resolve("composite"));
        Path copy = Jar.actionWithoutJar(dir);
        StepRun main = steps.actionRoot(copy).env("GITHUB_ACTION_PATH", composite.toString()).main();
        assertThat(main.exitCode()).isOne();
        assertThat(main.log().errors()).extracting(RunnerLog.Annotation::title).containsExactly("spell-ci.jar missing");
        assertThat(main.log().errors().get(0).message())
                .startsWith(copy.resolve("action").resolve("dist").resolve("spell-ci.jar") + " does not exist")
                .doesNotContain(composite.toString());
        main.assertNoLeak(TOKEN);
    }

    @Test
    void aarch64NamesAreFound() {
        // setup-java with `architecture: aarch64`, as on windows-11-arm.
        steps.environment().remove("JAVA_HOME_17_X64");
        steps.env("JAVA_HOME_17_AARCH64", System.getProperty("java.home")).env("PATH", nodeOnlyPath());
        StepRun main = steps.main();
        assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();
    }

    /** As docs/github-action.md says of post: exit code 0, the problem as a warning, no error annotation. */
    private static void assertPostWarnsOnly(StepRun post, String title) {
        assertThat(post.exitCode()).as(post.stdout() + post.stderr()).isZero();
        assertThat(post.log().errors()).isEmpty();
        assertThat(post.log().warnings()).extracting(RunnerLog.Annotation::title).containsExactly(title);
        post.assertNoLeak(TOKEN);
    }

    /**
     * A JDK directory whose bin/java is a node script running {@code body} (with {@code fs} loaded). Node rather
     * than sh: a POSIX shell drops variables with a hyphen (INPUT_API-URL) from what it passes on.
     */
    private Path standInJava(String body) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(File.separatorChar == '\\', "the stand-in java is a script");
        Path home = Files.createDirectories(dir.resolve("stand-in-jdk"));
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!" + node + "\nconst fs = require('fs');\n" + body);
        assertThat(java.toFile().setExecutable(true)).isTrue();
        return home;
    }

    private static String jsString(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A PATH holding only a link to node, so no java is found there (needs symbolic links: not on Windows). */
    private String nodeOnlyPath() {
        org.junit.jupiter.api.Assumptions.assumeFalse(File.separatorChar == '\\', "symbolic links need privileges on Windows");
        try {
            Path bin = Files.createDirectories(dir.resolve("node-only-bin"));
            Path link = bin.resolve(Path.of(node).getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of(node).toRealPath());
            }
            return bin.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .github/workflows/action-self-test.yml cannot run here, so its own shell steps run here as the runner would run
 * them (bash -eo pipefail, in the checkout): the Java lookup of its image entries and the class-data sharing checks,
 * each against the real launcher and jar, and each shown to fail where it must.
 */
class SelfTestWorkflowIT {
    static final Path WORKFLOW = Jar.ROOT.resolve(".github/workflows/action-self-test.yml");
    static final String TOKEN = "ci-fake-4242-0123456789abcdef";
    /** By its path: some tests give the step a PATH without it. */
    static final String BASH = Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "bash";

    @TempDir
    Path dir;

    JsonNode job;
    String node;

    @BeforeEach
    void read() throws IOException {
        job = new ObjectMapper(new YAMLFactory()).readTree(WORKFLOW.toFile()).path("jobs").path("action");
        node = Jar.node();
    }

    @Test
    void theImagesOwnJavaIsTestedOnEveryRunnerKindArmToo() {
        List<String> imageOnly = new ArrayList<>();
        for (JsonNode entry : job.path("strategy").path("matrix").path("include")) {
            if (entry.path("java").asText().equals("image")) {
                imageOnly.add(entry.path("os").asText());
            }
        }
        assertThat(imageOnly).contains("ubuntu-latest", "ubuntu-24.04-arm", "macos-latest", "windows-latest",
                "windows-11-arm");
        JsonNode setupJava = stepUsing("actions/setup-java@");
        assertThat(setupJava.path("if").asText()).isEqualTo("matrix.java == 'setup-java'");
    }

    @Test
    void noShellStepStartsTheImagesDefaultJava() {
        // The image's `java` may be Java 8 (Windows): the workflow's own commands use the launcher's choice, $JAVA.
        Pattern bareJava = Pattern.compile("(^|[\\s;(|&'\"])java(\\.exe)? ");
        for (JsonNode step : job.path("steps")) {
            String run = step.path("run").asText("");
            assertThat(bareJava.matcher(run).find()).as(step.path("name").asText() + ":\n" + run).isFalse();
        }
    }

    @Test
    void theJavaLookupStepExportsTheJavaTheLauncherWouldStart() throws IOException {
        assumeTrue(node != null, "node is not on the PATH");
        Map<String, String> env = Jar.baseEnv();
        env.put("JAVA_HOME_17_X64", System.getProperty("java.home"));
        Jar.Result r = bash("Find the Java the launcher uses", env);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(exported()).containsEntry("JAVA", Jar.JAVA.toString());

        // Java 8 in JAVA_HOME (as on windows-latest) and no other Java: the step fails saying what it looked at.
        Path jdk8 = Files.createDirectories(dir.resolve("jdk8/bin"));
        Files.writeString(dir.resolve("jdk8/release"), "JAVA_VERSION=\"1.8.0_412\"\n");
        Files.copy(Jar.JAVA, jdk8.resolve("java"));
        Path tools = Files.createDirectories(dir.resolve("only-node"));
        Path nodeOnly = Files.writeString(tools.resolve("node"), "#!/bin/sh\nexec '" + node + "' \"$@\"\n");
        assertThat(nodeOnly.toFile().setExecutable(true)).isTrue();
        env.remove("JAVA_HOME_17_X64");
        env.put("JAVA_HOME", dir.resolve("jdk8").toString());
        env.put("PATH", tools.toString());
        Files.delete(dir.resolve("github_env"));
        Jar.Result none = bash("Find the Java the launcher uses", env);
        assertThat(none.exitCode()).isNotZero();
        assertThat(none.stderr()).contains("no Java 17+").contains("JAVA_HOME=" + dir.resolve("jdk8") + " (Java 8)");
        assertThat(exported()).doesNotContainKey("JAVA");
    }

    @Test
    void theClassDataSharingChecksPassForTheRealLauncherAndFailWhenTheyMust() throws IOException {
        assumeTrue(node != null, "node is not on the PATH");
        Jar.assertJarBuilt();
        Path toolCache = Files.createDirectories(dir.resolve("tool-cache"));
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("ci-bot", "ci-bot@example.com", "acme"))
                .token("ci-bot", "ci", TOKEN).start()) {
            Map<String, String> env = Jar.baseEnv();
            env.put("RUNNER_TOOL_CACHE", toolCache.toString());
            env.put("FAKE_TOKEN", TOKEN);
            assertThat(bash("Check: a hosted runner's tool cache got no archive by default", env).exitCode()).isZero();
            env.putAll(exported());
            assertThat(env.get("CDS_DIR")).isEqualTo(toolCache.resolve("spell-ci-cds").toString());

            // What the earlier steps of the job leave with class-data-sharing at its default on a hosted runner.
            ok(job(toolCache, fake).main());
            assertThat(bash("Check: a hosted runner's tool cache got no archive by default", env).exitCode()).isZero();

            Jar.Steps first = job(toolCache, fake).input("class-data-sharing", "true");
            ok(first.main());
            Jar.Result made = bash("Check: one archive and its marker, nothing temporary left", env);
            assertThat(made.exitCode()).as(made.stdout() + made.stderr()).isZero();
            env.putAll(exported());
            assertThat(env.get("CDS_MARKER")).isNotBlank();

            StepRun second = ok(job(toolCache, fake).input("class-data-sharing", "true").main());
            env.put("USER_NAME", second.outputs().get("user-name"));
            Jar.Result same = bash("Check: the same archive, not made again", env);
            assertThat(same.exitCode()).as(same.stdout() + same.stderr()).isZero();

            // Each check can fail: an archive where none belongs, a remade archive, a value found in the files.
            assertThat(bash("Check: a hosted runner's tool cache got no archive by default", env).exitCode()).isNotZero();
            Map<String, String> remade = new LinkedHashMap<>(env);
            remade.put("CDS_MARKER", "1 2 3 4");
            assertThat(bash("Check: the same archive, not made again", remade).exitCode()).isNotZero();
            Map<String, String> found = new LinkedHashMap<>(env);
            found.put("FAKE_TOKEN", "io/spellci/action/github/MainStep");
            Jar.Result leak = bash("Check: the same archive, not made again", found);
            assertThat(leak.exitCode()).isNotZero();
            assertThat(leak.stdout()).contains("::error title=Token in the archive::");
            Files.writeString(toolCache.resolve("spell-ci-cds/left.jsa.1234-abcd.tmp"), "x");
            assertThat(bash("Check: one archive and its marker, nothing temporary left", env).exitCode()).isNotZero();
        }
    }

    private Jar.Steps job(Path toolCache, FakeSpellApi fake) throws IOException {
        Path jobDir = Files.createTempDirectory(dir, "job");
        return new Jar.Steps(Files.createDirectories(jobDir.resolve("temp"))).viaNode(node)
                .actionRoot(Jar.actionCopy(jobDir.resolve("action")))
                .input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .env("JAVA_HOME_17_X64", System.getProperty("java.home"))
                .env("RUNNER_ENVIRONMENT", "github-hosted").env("RUNNER_TOOL_CACHE", toolCache.toString());
    }

    private static StepRun ok(StepRun run) {
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        run.assertNoLeak(TOKEN);
        return run;
    }

    private JsonNode stepUsing(String prefix) {
        for (JsonNode step : job.path("steps")) {
            if (step.path("uses").asText().startsWith(prefix)) {
                return step;
            }
        }
        throw new AssertionError("no step uses " + prefix);
    }

    /** The step's script as the runner runs a bash step: in a file, bash --noprofile --norc -eo pipefail, in the checkout. */
    private Jar.Result bash(String stepName, Map<String, String> env) throws IOException {
        JsonNode step = null;
        for (JsonNode s : job.path("steps")) {
            if (s.path("name").asText().equals(stepName)) {
                step = s;
            }
        }
        assertThat(step).as("step " + stepName).isNotNull();
        assertThat(step.path("shell").asText()).isEqualTo("bash");
        String run = step.path("run").asText();
        assertThat(run).doesNotContain("${{");
        Path script = dir.resolve("step.sh");
        Files.writeString(script, "cd '" + Jar.ROOT + "'\n" + run);
        Map<String, String> stepEnv = new LinkedHashMap<>(env);
        stepEnv.put("GITHUB_ENV", dir.resolve("github_env").toString());
        return Jar.exec(List.of(BASH, "--noprofile", "--norc", "-eo", "pipefail", script.toString()), stepEnv, null);
    }

    private Map<String, String> exported() throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        Path file = dir.resolve("github_env");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return vars;
    }
}

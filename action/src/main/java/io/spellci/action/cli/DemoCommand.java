package io.spellci.action.cli;

import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Show what the GitHub runner sees when the action runs: starts the fake Spell API on a free"
                + " loopback port, runs the action's main and post steps as separate processes exactly as the runner"
                + " would (INPUT_* variables, fresh GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY"
                + " files), and prints the log, the files and the summary with the token masked as ***."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:the steps behaved as expected",
            "4:they did not (or the demo could not run)"})
final class DemoCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--no-ephemeral", description = "Export the given token instead of a per-job one.")
    boolean noEphemeral;

    @Option(names = "--no-validate", description = "Skip the API check.")
    boolean noValidate;

    @Option(names = "--wrong-token", description = "Pass a token the API does not know, to see a failure.")
    boolean wrongToken;

    DemoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = ctx.out();
        String token = "demo-" + random(32);
        Path dir = Files.createTempDirectory("spell-ci-demo");
        try (FakeSpellApi fake = FakeSpellApi.builder()
                .user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", token)
                .start()) {
            RunnerSimulation runner = new RunnerSimulation();
            // Only a call to the API can notice a wrong token: with neither validation nor a per-job token, main succeeds.
            boolean mainShouldFail = wrongToken && (!noValidate || !noEphemeral);
            String input = wrongToken ? "wrong-" + random(32) : token;
            Map<String, String> base = baseEnvironment(dir);
            base.put("INPUT_TOKEN", input);
            base.put("INPUT_OWNER", "acme");
            base.put("INPUT_API-URL", fake.url());
            base.put("INPUT_VALIDATE", Boolean.toString(!noValidate));
            base.put("INPUT_EPHEMERAL", Boolean.toString(!noEphemeral));
            base.put("INPUT_EXPORT-ENV", "true");
            base.put("INPUT_TIMEOUT-SECONDS", "10");

            out.println("spell-ci demo: the GitHub Action's main and post steps, run as the runner runs them.");
            out.println();
            out.println("Fake Spell API on " + fake.url() + ": user alice, organization acme, one token named 'ci'.");
            out.println("The workflow step being simulated:");
            out.println("    - uses: <org>/spell-ci@v1");
            out.println("      with:");
            out.println("        token: ${{ secrets.SPELL_TOKEN }}   # " + (wrongToken ? "a token the API does not know"
                    : "the 'ci' token"));
            out.println("        owner: acme");
            out.println("        api-url: " + fake.url());
            out.println("        validate: " + !noValidate);
            out.println("        ephemeral: " + !noEphemeral);
            out.println();
            if (wrongToken && !mainShouldFail) {
                out.println("With validate and ephemeral false nothing calls the API, so main exports the wrong token"
                        + " as given and succeeds.");
                out.println();
            }

            // Main: fresh files, as for every step.
            Map<String, Path> mainFiles = stepFiles(dir, "main");
            Map<String, String> mainEnv = new LinkedHashMap<>(base);
            mainFiles.forEach((k, v) -> mainEnv.put(k, v.toString()));
            out.println("== Run spell-ci (main) ==");
            int mainCode = runStep("main", mainEnv, runner, out);
            out.println("(exit code " + mainCode + (mainCode == 0 ? ": the step succeeded)" : ": the step failed)"));
            Map<String, String> exported = showFile(out, runner, "GITHUB_ENV (variables for the next steps)",
                    mainFiles.get("GITHUB_ENV"));
            showFile(out, runner, "GITHUB_OUTPUT (step outputs)", mainFiles.get("GITHUB_OUTPUT"));
            Map<String, String> state = showFile(out, runner, "GITHUB_STATE (for the post step only)",
                    mainFiles.get("GITHUB_STATE"));
            out.println("-- GITHUB_STEP_SUMMARY (job summary, Markdown) --");
            String summary = Files.readString(mainFiles.get("GITHUB_STEP_SUMMARY"), StandardCharsets.UTF_8);
            out.println(summary.isEmpty() ? "(empty)" : runner.mask(summary).stripTrailing());
            out.println();
            out.println("Tokens of alice on the API after main: " + String.join(", ", fake.tokenNames("alice")));
            out.println();

            // Post: inputs again, the variables main exported, STATE_* from main's GITHUB_STATE; fresh files.
            Map<String, Path> postFiles = stepFiles(dir, "post");
            Map<String, String> postEnv = new LinkedHashMap<>(base);
            postEnv.putAll(exported);
            state.forEach((k, v) -> postEnv.put("STATE_" + k, v));
            postFiles.forEach((k, v) -> postEnv.put(k, v.toString()));
            out.println("== Post spell-ci ==");
            int postCode = runStep("post", postEnv, runner, out);
            out.println("(exit code " + postCode + ")");
            out.println("Tokens of alice on the API after post: " + String.join(", ", fake.tokenNames("alice")));
            out.println();
            boolean expected = mainCode == (mainShouldFail ? 1 : 0) && postCode == 0;
            out.println(expected ? "The steps behaved as expected." : "Unexpected exit codes; see above.");
            return expected ? ExitCodes.OK : ExitCodes.ERROR;
        } finally {
            deleteTree(dir);
        }
    }

    private Map<String, String> baseEnvironment(Path dir) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("PATH", "Path", "HOME", "USERPROFILE", "SystemRoot", "TEMP", "TMP", "LANG",
                "JAVA_HOME")) {
            String value = ctx.env().get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.put("GITHUB_ACTIONS", "true");
        env.put("CI", "true");
        env.put("GITHUB_REPOSITORY", "acme/ml");
        env.put("GITHUB_RUN_ID", "1234");
        env.put("GITHUB_RUN_ATTEMPT", "1");
        env.put("GITHUB_EVENT_NAME", "push");
        env.put("GITHUB_ACTOR", "alice");
        env.put("RUNNER_TEMP", dir.toString());
        return env;
    }

    private static Map<String, Path> stepFiles(Path dir, String step) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        String[][] names = {{"GITHUB_ENV", "set_env_"}, {"GITHUB_OUTPUT", "set_output_"},
            {"GITHUB_STATE", "save_state_"}, {"GITHUB_STEP_SUMMARY", "step_summary_"}};
        for (String[] name : names) {
            files.put(name[0], Files.createFile(dir.resolve(name[1] + step)));
        }
        return files;
    }

    private static int runStep(String step, Map<String, String> env, RunnerSimulation runner, PrintStream out)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "github", step));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        process.getOutputStream().close();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String shown = runner.process(line);
                if (shown != null) {
                    out.println("  | " + shown);
                }
            }
        }
        return process.waitFor();
    }

    private static Map<String, String> showFile(PrintStream out, RunnerSimulation runner, String title, Path file)
            throws IOException {
        out.println("-- " + title + " --");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, String> values = RunnerSimulation.parseFile(text);
        if (values.isEmpty()) {
            out.println("(empty)");
        }
        values.forEach((k, v) -> out.println(k + "=" + runner.mask(v)));
        return values;
    }

    private static String random(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir; the OS cleans it eventually
        }
    }
}

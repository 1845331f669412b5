package io.spellci.action.testing;

import io.spellci.action.github.MainStep;
import io.spellci.action.github.PostStep;
import io.spellci.action.github.SpellService;
import io.spellci.action.github.StepContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulated runner for in-process step tests: fresh files per step, INPUT_* variables, and for post the variables
 * main exported plus STATE_* from main's GITHUB_STATE, as the runner passes them.
 */
public final class Runner {
    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private int steps;
    private Clock clock = Clock.systemUTC();
    private SpellService.Factory spell = SpellService.Factory.core();

    public Runner(Path dir) {
        this.dir = dir;
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_REPOSITORY", "acme/ml");
        env.put("GITHUB_RUN_ID", "1234");
        env.put("GITHUB_RUN_ATTEMPT", "2");
        env.put("GITHUB_EVENT_NAME", "push");
        env.put("GITHUB_ACTOR", "alice");
    }

    public Runner input(String name, String value) {
        env.put("INPUT_" + name.replace(' ', '_').toUpperCase(java.util.Locale.ROOT), value);
        return this;
    }

    public Runner env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public Runner clock(Clock value) {
        this.clock = value;
        return this;
    }

    public Runner spell(SpellService.Factory value) {
        this.spell = value;
        return this;
    }

    public Map<String, String> environment() {
        return env;
    }

    /** Fresh file paths for a step (created empty, as the runner does). */
    public Map<String, Path> files() {
        return stepFiles(dir, ++steps);
    }

    /**
     * The runner's per-step files for step number {@code step} in {@code dir}: GITHUB_ENV, GITHUB_OUTPUT,
     * GITHUB_STATE and GITHUB_STEP_SUMMARY, created empty.
     */
    public static Map<String, Path> stepFiles(Path dir, int step) {
        Map<String, Path> files = new LinkedHashMap<>();
        try {
            files.put("GITHUB_ENV", Files.createFile(dir.resolve("set_env_" + step)));
            files.put("GITHUB_OUTPUT", Files.createFile(dir.resolve("set_output_" + step)));
            files.put("GITHUB_STATE", Files.createFile(dir.resolve("save_state_" + step)));
            files.put("GITHUB_STEP_SUMMARY", Files.createFile(dir.resolve("step_summary_" + step)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public StepRun main() {
        return run(true, Map.of());
    }

    /** Post after {@code main}: main's exported variables and its state, as the runner passes them. */
    public StepRun post(StepRun main) {
        Map<String, String> extra = new LinkedHashMap<>(main.env());
        main.state().forEach((k, v) -> extra.put("STATE_" + k, v));
        return run(false, extra);
    }

    public StepRun post(Map<String, String> extra) {
        return run(false, extra);
    }

    private StepRun run(boolean main, Map<String, String> extra) {
        Map<String, Path> files = files();
        Map<String, String> stepEnv = new LinkedHashMap<>(env);
        stepEnv.putAll(extra);
        files.forEach((k, v) -> stepEnv.putIfAbsent(k, v.toString()));
        // A test may have removed or redirected a file variable on purpose.
        for (String name : files.keySet()) {
            if (env.containsKey(name)) {
                String value = env.get(name);
                stepEnv.put(name, value);
            }
        }
        stepEnv.values().removeIf(v -> v == null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StepContext ctx = new StepContext(stepEnv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock, spell);
        int code = main ? MainStep.run(ctx) : PostStep.run(ctx);
        return new StepRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                path(stepEnv, "GITHUB_ENV"), path(stepEnv, "GITHUB_OUTPUT"), path(stepEnv, "GITHUB_STATE"),
                path(stepEnv, "GITHUB_STEP_SUMMARY"));
    }

    private static Path path(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : Path.of(value);
    }
}

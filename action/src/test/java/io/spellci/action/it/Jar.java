package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.github.Inputs;
import io.spellci.action.testing.ActionYml;
import io.spellci.action.testing.Runner;
import io.spellci.action.testing.StepRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged jar (system property {@code spellci.jar}) as a separate process with a controlled environment,
 * as the runner does: only what is put here reaches it.
 */
final class Jar {
    static final Path JAR = Path.of(System.getProperty("spellci.jar", "dist/spell-ci.jar")).toAbsolutePath();
    static final Path ACTION_DIR = JAR.getParent().getParent();
    /** The repository root, where the action's action.yml is (GITHUB_ACTION_PATH of `uses: <org>/spell-ci@v1`). */
    static final Path ROOT = ACTION_DIR.getParent();
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin",
            System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win") ? "java.exe" : "java");

    record Result(int exitCode, String stdout, String stderr) {
    }

    private Jar() {
    }

    /** The environment every process starts from: a PATH and a temp dir, nothing of the test JVM's own. */
    static Map<String, String> baseEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("PATH", "SystemRoot", "TEMP", "TMP", "LANG", "HOME")) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    static Result run(Map<String, String> env, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return exec(command, env, stdin);
    }

    /**
     * Runs the jar with its standard output sent to {@code stdout} ({@code /dev/full}: every write fails, as on a full
     * disk) instead of a pipe; the result's stdout is empty.
     */
    static Result runWithStdoutTo(java.io.File stdout, Map<String, String> env, String... args) {
        return exec(jarCommand(args), env, pb -> pb.redirectOutput(stdout), false);
    }

    /** Runs the jar with a standard output whose reader is gone at once (a pipe into a command that failed). */
    static Result runWithStdoutClosed(Map<String, String> env, String... args) {
        return exec(jarCommand(args), env, pb -> { }, true);
    }

    private static List<String> jarCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Result exec(List<String> command, Map<String, String> env,
            java.util.function.Consumer<ProcessBuilder> setUp, boolean closeStdout) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            pb.environment().putAll(env);
            setUp.accept(pb);
            Process p = pb.start();
            p.getOutputStream().close();
            if (closeStdout) {
                p.getInputStream().close();
            }
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p, false));
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command.subList(1, command.size()));
            }
            return new Result(p.exitValue(), "", err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Result exec(List<String> command, Map<String, String> env, String stdin) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p, true));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p, false));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command.subList(1, command.size()));
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(Process p, boolean stdout) {
        try {
            return new String((stdout ? p.getInputStream() : p.getErrorStream()).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A runner for whole steps: fresh files per step, INPUT_* variables, post with main's env and state. */
    static final class Steps {
        private final Path dir;
        private final Map<String, String> env = baseEnv();
        private int count;
        private List<String> launcher;
        private Path actionRoot = ROOT;

        Steps(Path dir) {
            this.dir = dir;
            env.put("GITHUB_ACTIONS", "true");
            env.put("CI", "true");
            env.put("GITHUB_REPOSITORY", "acme/ml");
            env.put("GITHUB_RUN_ID", "4242");
            env.put("GITHUB_RUN_ATTEMPT", "1");
            env.put("GITHUB_EVENT_NAME", "push");
            env.put("GITHUB_ACTOR", "alice");
            env.put("RUNNER_TEMP", dir.toString());
        }

        /** Run as the runner does: node on action.yml's runs.main or runs.post, instead of {@code java -jar}. */
        Steps viaNode(String node) {
            this.launcher = List.of(node);
            return this;
        }

        /** Run the action from another root (a copy without the jar, say): its action.yml and launchers. */
        Steps actionRoot(Path dir) {
            this.actionRoot = dir;
            return this;
        }

        Steps input(String name, String value) {
            env.put("INPUT_" + name.replace(' ', '_').toUpperCase(Locale.ROOT), value);
            return this;
        }

        Steps env(String name, String value) {
            env.put(name, value);
            return this;
        }

        Map<String, String> environment() {
            return env;
        }

        StepRun main() {
            return step("main", Map.of());
        }

        StepRun post(StepRun main) {
            Map<String, String> extra = new LinkedHashMap<>(main.env());
            main.state().forEach((k, v) -> extra.put("STATE_" + k, v));
            return step("post", extra);
        }

        StepRun step(String step, Map<String, String> extra) {
            Map<String, Path> files = Runner.stepFiles(dir, ++count);
            ActionYml action = ActionYml.at(actionRoot);
            Map<String, String> stepEnv = new LinkedHashMap<>();
            // The runner passes action.yml's default for each input the step omits. (GITHUB_ACTION_PATH it sets only
            // inside a composite action, to the composite's folder.)
            action.defaults().forEach((name, value) -> stepEnv.put(Inputs.variable(name), value));
            stepEnv.putAll(env);
            files.forEach((k, v) -> stepEnv.put(k, v.toString()));
            // After the files, so a test can redirect one; a null value removes the variable.
            extra.forEach((k, v) -> {
                if (v == null) {
                    stepEnv.remove(k);
                } else {
                    stepEnv.put(k, v);
                }
            });
            List<String> command;
            if (launcher != null) {
                command = new ArrayList<>(launcher);
                command.add(action.script(step).toString());
            } else {
                command = List.of(JAVA.toString(), "-jar", JAR.toString(), "github", step);
            }
            Result r = exec(command, stepEnv, null);
            return new StepRun(r.exitCode(), r.stdout(), r.stderr(), files.get("GITHUB_ENV"),
                    files.get("GITHUB_OUTPUT"), files.get("GITHUB_STATE"), files.get("GITHUB_STEP_SUMMARY"));
        }
    }

    /** A copy of the action (root action.yml, launchers) in {@code dir} without the jar, as on a branch nobody built. */
    static Path actionWithoutJar(Path dir) {
        return actionWithoutJarIn(dir.resolve("action-without-jar"));
    }

    private static Path actionWithoutJarIn(Path dir) {
        try {
            Path root = Files.createDirectories(dir);
            Files.copy(ROOT.resolve("action.yml"), root.resolve("action.yml"), StandardCopyOption.REPLACE_EXISTING);
            Path launchers = Files.createDirectories(root.resolve("action").resolve("launcher"));
            try (var files = Files.list(ACTION_DIR.resolve("launcher"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, launchers.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fresh copy of the action (root action.yml, launchers and jar) in {@code dir}, as the runner unpacks it for
     * every job: same content, new modification times.
     */
    static Path actionCopy(Path dir) {
        Path root = actionWithoutJarIn(dir);
        try {
            Path dist = Files.createDirectories(root.resolve("action").resolve("dist"));
            Path jar = Files.copy(JAR, dist.resolve("spell-ci.jar"), StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node on the PATH, or null. */
    static String node() {
        String path = System.getenv("PATH");
        for (String entry : path == null ? new String[0] : path.split(java.io.File.pathSeparator)) {
            for (String exe : List.of("node", "node.exe")) {
                Path candidate = Path.of(entry, exe);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    static void assertJarBuilt() {
        assertThat(JAR).as("the shaded jar from `mvn package`").exists();
    }

    /** Where {@code needle} first occurs in {@code haystack}, or -1: for searching archives and class files. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}

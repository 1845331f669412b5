package io.spellci.action.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What one step left behind: exit code, streams and the four files, read with the runner's rules. */
public record StepRun(int exitCode, String stdout, String stderr, Path envFile, Path outputFile, Path stateFile,
        Path summaryFile) {

    public Map<String, String> env() {
        return RunnerFiles.parse(read(envFile));
    }

    public Map<String, String> outputs() {
        return RunnerFiles.parse(read(outputFile));
    }

    public Map<String, String> state() {
        return RunnerFiles.parse(read(stateFile));
    }

    public String summary() {
        return read(summaryFile);
    }

    public String rawEnv() {
        return read(envFile);
    }

    public RunnerLog log() {
        return RunnerLog.of(stdout + "\n" + stderr);
    }

    /** The secret appears nowhere a person or a later job could see it: stdout, stderr, summary, outputs, state. */
    public void assertNoLeak(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        String s = secret.strip();
        // add-mask lines are consumed by the runner and never shown; everything else must not hold the secret.
        String shown = stdout.lines().filter(l -> !l.stripLeading().startsWith("::add-mask::"))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(shown).as("stdout apart from add-mask commands").doesNotContain(s);
        assertThat(stderr).as("stderr").doesNotContain(s);
        assertThat(read(summaryFile)).as("step summary").doesNotContain(s);
        assertThat(read(outputFile)).as("outputs").doesNotContain(s);
        assertThat(read(stateFile)).as("state").doesNotContain(s);
    }

    private static String read(Path file) {
        try {
            return file != null && Files.exists(file) && !Files.isDirectory(file)
                    ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

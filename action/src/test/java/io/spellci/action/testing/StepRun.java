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

    /** Shortest part of a secret that {@link #assertNoLeak} looks for on its own. */
    static final int FRAGMENT = 12;

    /**
     * The secret appears nowhere a person or a later job could see it: stdout, stderr, summary, outputs, state; read
     * both as written and as the runner decodes it (annotation titles and messages unescaped), and neither whole nor
     * as a fragment of {@value #FRAGMENT} or more characters (a cut-off part escapes the runner's mask).
     */
    public void assertNoLeak(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        String s = secret.strip();
        // add-mask lines are consumed by the runner and never shown; everything else must not hold the secret.
        String shown = stdout.lines().filter(l -> !l.stripLeading().startsWith("::add-mask::"))
                .reduce("", (a, b) -> a + b + "\n");
        StringBuilder decoded = new StringBuilder();
        RunnerLog log = RunnerLog.of(shown + "\n" + stderr);
        for (RunnerLog.Annotation a : log.annotations()) {
            decoded.append(a.title()).append('\n').append(a.message()).append('\n');
        }
        decoded.append(log.visibleText());
        Map<String, String> places = new java.util.LinkedHashMap<>();
        places.put("stdout apart from add-mask commands", shown);
        places.put("stderr", stderr);
        places.put("the log as the runner decodes it", decoded.toString());
        places.put("step summary", read(summaryFile));
        places.put("outputs", read(outputFile));
        places.put("state", read(stateFile));
        places.forEach((place, text) -> {
            assertThat(text).as(place).doesNotContain(s);
            assertThat(text.toLowerCase(java.util.Locale.ROOT)).as(place + ", lower-cased (as host names are)")
                    .doesNotContain(s.toLowerCase(java.util.Locale.ROOT));
            for (int i = 0; s.length() > FRAGMENT && i + FRAGMENT <= s.length(); i++) {
                assertThat(text).as(place + ": a part of the secret").doesNotContain(s.substring(i, i + FRAGMENT));
            }
        });
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

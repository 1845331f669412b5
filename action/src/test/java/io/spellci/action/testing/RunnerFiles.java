package io.spellci.action.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test side's own reading of GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE, written from the runner's rules
 * (FileCommandManager.cs, Linux build) and independent of the code under test:
 * <ul>
 *   <li>UTF-8; lines split on LF only (a CR stays in the line);</li>
 *   <li>empty lines skipped; the first {@code =} and the first {@code <<} decide the form;</li>
 *   <li>{@code NAME=VALUE}: the rest of the line, untrimmed;</li>
 *   <li>{@code NAME<<DELIM}: both non-empty; value = the lines up to the first line exactly equal (ordinal) to DELIM,
 *       the LF before the delimiter line not included; no delimiter: error; a value line ending the file without an
 *       LF: error ("EOF marker missing new line").</li>
 * </ul>
 * Later entries of the same name win, as in the runner.
 */
public final class RunnerFiles {
    private RunnerFiles() {
    }

    public static final class FormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    public static Map<String, String> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        int[] index = {0};
        String line;
        while ((line = readLine(text, index, null)) != null) {
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            int heredoc = line.indexOf("<<");
            if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
                result.put(line.substring(0, equals), line.substring(equals + 1));
            } else if (heredoc >= 0) {
                String name = line.substring(0, heredoc);
                String delimiter = line.substring(heredoc + 2);
                if (name.isEmpty() || delimiter.isEmpty()) {
                    throw new FormatException("Invalid format '" + line
                            + "'. Name must not be empty and delimiter must not be empty");
                }
                int start = index[0];
                int end = index[0];
                boolean[] newline = {false};
                String value = readLine(text, index, newline);
                while (!delimiter.equals(value)) {
                    if (value == null) {
                        throw new FormatException("Invalid value. Matching delimiter not found '" + delimiter + "'");
                    }
                    if (!newline[0]) {
                        throw new FormatException("Invalid value. EOF marker missing new line.");
                    }
                    end = index[0] - 1;
                    value = readLine(text, index, newline);
                }
                result.put(name, end > start ? text.substring(start, end) : "");
            } else {
                throw new FormatException("Invalid format '" + line + "'");
            }
        }
        return result;
    }

    private static String readLine(String text, int[] index, boolean[] newline) {
        if (index[0] >= text.length()) {
            return null;
        }
        int from = index[0];
        int lf = text.indexOf('\n', from);
        if (lf < 0) {
            index[0] = text.length();
            if (newline != null) {
                newline[0] = false;
            }
            return text.substring(from);
        }
        index[0] = lf + 1;
        if (newline != null) {
            newline[0] = true;
        }
        return text.substring(from, lf);
    }
}

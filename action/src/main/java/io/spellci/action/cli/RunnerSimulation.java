package io.spellci.action.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the GitHub runner does with a step's output, for {@code spell-ci demo}: workflow commands on stdout/stderr
 * (add-mask, annotations, stop-commands) and the key-value file commands (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE)
 * parsed with the runner's rules. The tests use their own, independent parser.
 */
final class RunnerSimulation {
    private final List<String> secrets = new ArrayList<>();
    private String stopToken;

    /** The line as the runner's log would show it, or null when the runner consumes it (a command). */
    String process(String line) {
        String trimmed = line.stripLeading();
        if (stopToken != null) {
            if (trimmed.equals("::" + stopToken + "::")) {
                stopToken = null;
                return null;
            }
            return mask(line);
        }
        if (!trimmed.startsWith("::")) {
            return mask(line);
        }
        int end = trimmed.indexOf("::", 2);
        if (end < 0) {
            return mask(line);
        }
        String head = trimmed.substring(2, end);
        String data = unescapeData(trimmed.substring(end + 2));
        int space = head.indexOf(' ');
        String name = (space < 0 ? head : head.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> properties = new LinkedHashMap<>();
        if (space >= 0) {
            for (String property : head.substring(space + 1).split(",")) {
                int eq = property.indexOf('=');
                if (eq > 0) {
                    properties.put(property.substring(0, eq), unescapeProperty(property.substring(eq + 1)));
                }
            }
        }
        switch (name) {
            case "add-mask":
                addMask(data);
                return null;
            case "stop-commands":
                stopToken = data;
                return null;
            case "error":
            case "warning":
            case "notice":
                String title = properties.get("title");
                return mask(Character.toUpperCase(name.charAt(0)) + name.substring(1) + ": "
                        + (title == null ? "" : "[" + title + "] ") + data);
            case "debug":
                return null;
            case "group":
                return mask("> " + data);
            case "endgroup":
                return null;
            default:
                return mask(line);
        }
    }

    void addMask(String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        secrets.add(value);
        for (String part : value.split("\r?\n|\r")) {
            if (!part.isBlank()) {
                secrets.add(part.strip());
            }
        }
    }

    String mask(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, "***");
        }
        return result;
    }

    static String unescapeData(String data) {
        return data.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    }

    static String unescapeProperty(String value) {
        return value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
                .replace("%25", "%");
    }

    /** Parses GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE text as the runner does on Linux (LF only). */
    static Map<String, String> parseFile(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        // split(-1) leaves a final "" after a trailing LF; the runner never sees that as a line.
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        while (i < count) {
            String line = lines[i++];
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            int heredoc = line.indexOf("<<");
            if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
                result.put(line.substring(0, eq), line.substring(eq + 1));
            } else if (heredoc >= 0) {
                String name = line.substring(0, heredoc);
                String delimiter = line.substring(heredoc + 2);
                if (name.isEmpty() || delimiter.isEmpty()) {
                    throw new IllegalStateException("Invalid format '" + line + "'");
                }
                List<String> value = new ArrayList<>();
                boolean found = false;
                while (i < count) {
                    String next = lines[i++];
                    if (next.equals(delimiter)) {
                        found = true;
                        break;
                    }
                    value.add(next);
                }
                if (!found) {
                    throw new IllegalStateException("Matching delimiter not found '" + delimiter + "'");
                }
                result.put(name, String.join("\n", value));
            } else {
                throw new IllegalStateException("Invalid format '" + line + "'");
            }
        }
        return result;
    }
}

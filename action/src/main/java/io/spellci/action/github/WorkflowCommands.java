package io.spellci.action.github;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Workflow commands on stdout ({@code ::name k=v,k=v::data}), escaped the way the runner unescapes them:
 * data {@code %} first, then CR and LF; properties also {@code :} and {@code ,}.
 * Every command is flushed at once so that a mask is registered before anything else is printed.
 */
public final class WorkflowCommands {
    private final PrintStream out;

    public WorkflowCommands(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Escapes command data: {@code %} to {@code %25} first, then CR to {@code %0D}, LF to {@code %0A}. */
    public static String escapeData(String data) {
        if (data == null) {
            return "";
        }
        return data.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** Escapes a property value: like data, plus {@code :} to {@code %3A} and {@code ,} to {@code %2C}. */
    public static String escapeProperty(String value) {
        return escapeData(value).replace(":", "%3A").replace(",", "%2C");
    }

    /** Formats one command line (without the line break). Empty property values are left out, as the toolkit does. */
    public static String format(String command, Map<String, String> properties, String data) {
        StringBuilder line = new StringBuilder("::").append(command);
        if (properties != null && !properties.isEmpty()) {
            String separator = " ";
            for (Map.Entry<String, String> property : properties.entrySet()) {
                if (property.getValue() == null || property.getValue().isEmpty()) {
                    continue;
                }
                line.append(separator).append(property.getKey()).append('=').append(escapeProperty(property.getValue()));
                separator = ",";
            }
        }
        return line.append("::").append(escapeData(data)).toString();
    }

    private void emit(String line) {
        out.print(line + "\n");
        out.flush();
    }

    /**
     * Registers {@code secret} with the runner's log masker. The whole value is escaped into one line, so the runner
     * registers the value and each of its lines. Blank values are skipped (the runner would only warn).
     */
    public void addMask(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        emit(format("add-mask", null, secret));
    }

    public void error(String title, String message) {
        emit(format("error", title(title), message));
    }

    public void warning(String title, String message) {
        emit(format("warning", title(title), message));
    }

    public void notice(String title, String message) {
        emit(format("notice", title(title), message));
    }

    public void debug(String message) {
        emit(format("debug", null, message));
    }

    public void group(String name) {
        emit(format("group", null, name));
    }

    public void endGroup() {
        emit("::endgroup::");
    }

    /**
     * A plain log line. Text that could be read as a command (a line starting with {@code ::}, {@code ##[} anywhere,
     * which the runner reads as its old command syntax, or a line break followed by anything, e.g. a user name from
     * the API) is printed with command processing paused.
     */
    public void info(String line) {
        if (line != null && (line.stripLeading().startsWith("::") || line.contains("##[") || line.indexOf('\n') >= 0
                || line.indexOf('\r') >= 0)) {
            untrusted(line);
        } else {
            emit(line == null ? "" : line);
        }
    }

    /**
     * Prints text from elsewhere (e.g. an HTTP error body) with command processing paused, so it cannot issue
     * commands. The stop token is random and long, so the runner masks it.
     */
    public void untrusted(String text) {
        String token = "spellci-" + UUID.randomUUID();
        emit("::stop-commands::" + token);
        out.print((text == null ? "" : text) + "\n");
        emit("::" + token + "::");
    }

    private static Map<String, String> title(String title) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (title != null && !title.isEmpty()) {
            properties.put("title", title);
        }
        return properties;
    }
}

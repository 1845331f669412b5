package io.spellci.action.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The test side's reading of a step's stdout/stderr as the runner's log processor would see it: which secrets were
 * registered with {@code ::add-mask::} (unescaped: {@code %0D}, {@code %0A} first, {@code %25} last), which
 * annotations were raised, and what the visible log is after masking.
 */
public final class RunnerLog {
    public record Annotation(String kind, String title, String message) {
    }

    private final List<String> masks = new ArrayList<>();
    private final List<Annotation> annotations = new ArrayList<>();
    private final List<String> visible = new ArrayList<>();
    private final List<Integer> maskLineNumbers = new ArrayList<>();

    public static RunnerLog of(String output) {
        RunnerLog log = new RunnerLog();
        String stop = null;
        String[] lines = output.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String t = line.stripLeading();
            String[] v1 = t.startsWith("::") && t.indexOf("::", 2) >= 0 ? null : oldSyntax(line);
            if (stop != null) {
                if (t.equals("::" + stop + "::") || (v1 != null && v1[0].equals(stop))) {
                    stop = null;
                } else {
                    log.visible.add(line);
                }
                continue;
            }
            if (v1 != null) {
                // The runner's old syntax, honoured anywhere in a line that is not a :: command.
                switch (v1[0]) {
                    case "add-mask" -> {
                        log.masks.add(v1[1]);
                        log.maskLineNumbers.add(n);
                    }
                    case "stop-commands" -> stop = v1[1];
                    case "error", "warning" -> log.annotations.add(new Annotation(v1[0], null, v1[1]));
                    default -> log.visible.add(line);
                }
                continue;
            }
            if (!t.startsWith("::") || t.indexOf("::", 2) < 0) {
                log.visible.add(line);
                continue;
            }
            int end = t.indexOf("::", 2);
            String head = t.substring(2, end);
            String data = unescape(t.substring(end + 2));
            int space = head.indexOf(' ');
            String name = (space < 0 ? head : head.substring(0, space)).toLowerCase(Locale.ROOT);
            String title = null;
            if (space >= 0) {
                for (String property : head.substring(space + 1).split(",")) {
                    if (property.startsWith("title=")) {
                        title = unescape(property.substring(6).replace("%3A", ":").replace("%2C", ","));
                    }
                }
            }
            switch (name) {
                case "add-mask" -> {
                    log.masks.add(data);
                    log.maskLineNumbers.add(n);
                }
                case "stop-commands" -> stop = data;
                case "error", "warning", "notice" -> log.annotations.add(new Annotation(name, title, data));
                default -> log.visible.add(line);
            }
        }
        return log;
    }

    /** {@code ##[name props]data} anywhere in the line (the runner's ActionCommand.TryParse): name and data, or null. */
    static String[] oldSyntax(String line) {
        int start = line.indexOf("##[");
        int end = start < 0 ? -1 : line.indexOf(']', start + 3);
        if (end < 0) {
            return null;
        }
        String head = line.substring(start + 3, end);
        int space = head.indexOf(' ');
        String name = (space < 0 ? head : head.substring(0, space)).toLowerCase(Locale.ROOT);
        return name.isEmpty() ? null : new String[] {name, line.substring(end + 1)};
    }

    static String unescape(String data) {
        return data.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    }

    public List<String> masks() {
        return masks;
    }

    /** Index (0-based) of the line of the first add-mask, or -1. */
    public int firstMaskLine() {
        return maskLineNumbers.isEmpty() ? -1 : maskLineNumbers.get(0);
    }

    public List<Annotation> annotations() {
        return annotations;
    }

    public List<Annotation> errors() {
        return annotations.stream().filter(a -> a.kind().equals("error")).toList();
    }

    public List<Annotation> warnings() {
        return annotations.stream().filter(a -> a.kind().equals("warning")).toList();
    }

    public List<String> visible() {
        return visible;
    }

    public String visibleText() {
        return String.join("\n", visible);
    }
}

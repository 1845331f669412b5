package io.spellci.action.github;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes the runner's key-value file commands: {@code GITHUB_ENV}, {@code GITHUB_OUTPUT} and {@code GITHUB_STATE}
 * (one parser reads all three). Every entry uses the heredoc form with a fresh {@code ghadelimiter_<UUID>}:
 *
 * <pre>
 * NAME&lt;&lt;ghadelimiter_…
 * value
 * ghadelimiter_…
 * </pre>
 *
 * UTF-8, {@code \n} only. A name or value that contains the delimiter is refused (that would let the value end the
 * entry early and inject more). All entries are composed first and appended in one write, so the file never holds
 * half of them.
 */
public final class GithubEnvFile {
    /** Which file this is; decides the rules for names and the words in messages. */
    public enum Kind {
        ENV("GITHUB_ENV", "environment variable"),
        OUTPUT("GITHUB_OUTPUT", "output"),
        STATE("GITHUB_STATE", "state value");

        private final String variable;
        private final String noun;

        Kind(String variable, String noun) {
            this.variable = variable;
            this.noun = noun;
        }

        /** The runner's environment variable that holds the file's path. */
        public String variable() {
            return variable;
        }
    }

    public static final String DELIMITER_PREFIX = "ghadelimiter_";

    private final Kind kind;
    private final Supplier<String> delimiters;
    private final List<String> names = new ArrayList<>();
    private final StringBuilder content = new StringBuilder();

    public GithubEnvFile(Kind kind) {
        this(kind, null);
    }

    /** For tests: the delimiters come from {@code delimiters}. */
    GithubEnvFile(Kind kind, Supplier<String> delimiters) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.delimiters = delimiters; // null: Delimiters.next(), without a lambda on the start-up path
    }

    public Kind kind() {
        return kind;
    }

    /** Adds one entry; nothing is written until {@link #appendTo(Path)}. */
    public GithubEnvFile add(String name, String value) {
        checkName(name);
        if (value == null) {
            value = "";
        }
        String delimiter = delimiters == null ? Delimiters.next() : delimiters.get();
        if (name.contains(delimiter)) {
            throw new FileCommandException(kind.noun + " name '" + printable(name) + "' contains the delimiter "
                    + delimiter);
        }
        if (value.contains(delimiter)) {
            throw new FileCommandException("the value of " + kind.noun + " " + name
                    + " contains the heredoc delimiter; refusing to write it to " + kind.variable
                    + " because it could end the entry early and inject other variables");
        }
        content.append(name).append("<<").append(delimiter).append('\n')
                .append(value).append('\n')
                .append(delimiter).append('\n');
        names.add(name);
        return this;
    }

    /** The names added so far, in order. */
    public List<String> names() {
        return List.copyOf(names);
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** What {@link #appendTo(Path)} writes. */
    public String content() {
        return content.toString();
    }

    /** Appends all entries in one write, UTF-8. Does nothing when empty. */
    public void appendTo(Path file) {
        if (isEmpty()) {
            return;
        }
        if (file == null) {
            throw new FileCommandException(kind.variable + " is not set: run this inside a GitHub Actions job"
                    + " (the runner sets it for every step)");
        }
        byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new FileOutputStream(file.toFile(), true)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new FileCommandException("could not write " + String.join(", ", names) + " to " + kind.variable
                    + " (" + file + "): " + e.getMessage() + "; the runner creates this file for every step: check that its"
                    + " temporary directory (RUNNER_TEMP) is writable and not full, then re-run the job", e);
        }
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new FileCommandException(kind.noun + " name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '=' || c == '\r' || c == '\n' || Character.isISOControl(c)) {
                throw new FileCommandException(kind.noun + " name '" + printable(name)
                        + "' contains '=' or a control character, which the runner would misread");
            }
        }
        if (name.contains("<<")) {
            throw new FileCommandException(kind.noun + " name '" + printable(name) + "' contains '<<'");
        }
        if (kind == Kind.ENV) {
            if (name.toUpperCase(Locale.ROOT).equals("NODE_OPTIONS")) {
                throw new FileCommandException("the runner refuses NODE_OPTIONS in GITHUB_ENV; pick another name");
            }
            if (!isPortableName(name)) {
                throw new FileCommandException("environment variable name '" + printable(name)
                        + "' is not a portable name ([A-Za-z_][A-Za-z0-9_]*)");
            }
        }
    }

    /** {@code [A-Za-z_][A-Za-z0-9_]*}, checked by hand: no regex (and its lambda bootstrap) on the start-up path. */
    static boolean isPortableName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}

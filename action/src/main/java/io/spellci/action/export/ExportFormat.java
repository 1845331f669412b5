package io.spellci.action.export;

import io.spellci.action.github.GithubEnvFile;
import io.spellci.core.env.Variable;
import java.util.List;
import java.util.Locale;

/**
 * How {@code spell-ci env} prints the variables, each quoted so that the value arrives byte for byte:
 * <ul>
 *   <li>{@code sh}: {@code export NAME='value'} for {@code eval "$(spell-ci env ...)"} in any POSIX shell;</li>
 *   <li>{@code dotenv}: {@code NAME=value}, quoted only when needed, for docker {@code --env-file}, compose and
 *       dotenv libraries;</li>
 *   <li>{@code github}: the heredoc form of {@code GITHUB_ENV}, to append to {@code $GITHUB_ENV}.</li>
 * </ul>
 */
public enum ExportFormat {
    SH, DOTENV, GITHUB;

    public static ExportFormat parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + text + "': use sh, dotenv or github");
        }
    }

    public String render(List<Variable> variables) {
        if (this == GITHUB) {
            GithubEnvFile file = new GithubEnvFile(GithubEnvFile.Kind.ENV);
            for (Variable variable : variables) {
                file.add(variable.name(), variable.value());
            }
            return file.content();
        }
        StringBuilder out = new StringBuilder();
        for (Variable variable : variables) {
            out.append(this == SH ? sh(variable.name(), variable.value()) : dotenv(variable.name(), variable.value()))
                    .append('\n');
        }
        return out.toString();
    }

    /** {@code export NAME='value'}; a {@code '} inside becomes {@code '\''}. Exact for every POSIX shell. */
    public static String sh(String name, String value) {
        requireName(name);
        return "export " + name + "=" + shQuote(value);
    }

    public static String shQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * {@code NAME=value}: bare when the value holds only characters no dotenv reader treats specially, else in single
     * quotes (literal in docker compose, python-dotenv and the node dotenv package), else (a value with a
     * {@code '}) in double quotes with {@code \}, {@code "}, {@code $} and {@code `} escaped. Line breaks are
     * refused: dotenv readers disagree on them.
     */
    public static String dotenv(String name, String value) {
        requireName(name);
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("the value of " + name + " contains a line break, which the dotenv"
                    + " format cannot carry portably; use --format sh or github");
        }
        if (value.matches("[A-Za-z0-9_./:@%+,=-]*")) {
            return name + "=" + value;
        }
        if (value.indexOf('\'') < 0) {
            return name + "='" + value + "'";
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '"' || c == '$' || c == '`') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return name + "=" + quoted.append('"');
    }

    private static void requireName(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid variable name");
        }
    }
}

package io.spellci.action.github;

import io.spellci.core.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The action's inputs as the runner passes them: {@code INPUT_} + the name with spaces replaced by {@code _},
 * upper-cased (hyphens are kept, so {@code api-url} arrives as {@code INPUT_API-URL}). The runner neither trims
 * values nor enforces {@code required}; this class does both.
 */
public final class Inputs {
    /** Longest value an error message quotes. */
    static final int MAX_QUOTED = 40;

    private final Map<String, String> env;

    public Inputs(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** The environment variable the runner uses for input {@code name}. */
    public static String variable(String name) {
        return "INPUT_" + name.replace(' ', '_').toUpperCase(Locale.ROOT);
    }

    /** The value as given, or {@code ""} when the input is absent. */
    public String raw(String name) {
        String value = env.get(variable(name));
        return value == null ? "" : value;
    }

    /** The value as given, or {@code null} when the runner did not pass the input at all. */
    public String rawOrNull(String name) {
        return env.get(variable(name));
    }

    /** The value trimmed, {@code ""} when absent or blank. */
    public String get(String name) {
        return raw(name).strip();
    }

    /** The value trimmed, or {@code defaultValue} when absent or blank. */
    public String get(String name, String defaultValue) {
        String value = get(name);
        return value.isEmpty() ? defaultValue : value;
    }

    /**
     * A boolean input: {@code true/True/TRUE/false/False/FALSE} (as the toolkit's getBooleanInput), blank gives
     * {@code defaultValue}. Anything else is an error naming the input; the value is shown (never use this for a
     * secret).
     */
    public boolean getBoolean(String name, boolean defaultValue) {
        String value = get(name);
        switch (value) {
            case "":
                return defaultValue;
            case "true":
            case "True":
            case "TRUE":
                return true;
            case "false":
            case "False":
            case "FALSE":
                return false;
            default:
                throw new InvalidInputException(name, "is " + quoted(value) + ", which is not a boolean",
                        "use true or false (True, TRUE, False and FALSE work too)");
        }
    }

    /** A whole number of seconds in [min, max]; blank gives {@code defaultValue}. */
    public int getSeconds(String name, int defaultValue, int min, int max) {
        String value = get(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        int seconds;
        try {
            seconds = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, "is " + quoted(value) + ", which is not a whole number of seconds",
                    "use a number between " + min + " and " + max);
        }
        if (seconds < min || seconds > max) {
            throw new InvalidInputException(name, "is " + seconds + ", out of range",
                    "use a number between " + min + " and " + max);
        }
        return seconds;
    }

    /**
     * The value as an error message may quote it: up to {@value #MAX_QUOTED} characters, control characters as
     * {@code ?}; a longer value is not quoted at all (a cut-off part of a secret would escape every mask).
     */
    private static String quoted(String value) {
        if (value.length() > MAX_QUOTED) {
            return "a text of " + value.length() + " characters";
        }
        StringBuilder printable = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            printable.append(Character.isISOControl(c) ? '?' : c);
        }
        return printable.append('\'').toString();
    }
}

package io.spellci.core.ephemeral;

import io.spellci.core.InvalidInputException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names of per-job tokens: {@code <prefix>-<context...>-tmp-<random>}, e.g. {@code ci-gha-acme-ml-1234-1-tmp-k3j9x2ab}.
 * Lower-case letters, digits and dashes only (Spell's accepted characters are unpublished; these are safe),
 * unique per call, and recognisable by prefix so a later sweep can find the ones a clean-up missed.
 */
public final class EphemeralTokenName {
    /** Prefixes of the front ends; a sweep only ever touches names under one of them, its own. */
    public static final String GITHUB_PREFIX = "ci-gha";
    public static final String JENKINS_PREFIX = "ci-jenkins";
    public static final String CLI_PREFIX = "ci-cli";
    public static final List<String> PREFIXES = List.of(CLI_PREFIX, GITHUB_PREFIX, JENKINS_PREFIX);

    public static final int MAX_LENGTH = 100;
    static final int SUFFIX_LENGTH = 8;
    /** Sets our names apart from tokens a person named {@code ci-gha-my-laptop}: sweeps must never touch those. */
    static final String MARKER = "tmp";

    private static final Pattern EPHEMERAL =
            Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*-" + MARKER + "-[a-z0-9]{" + SUFFIX_LENGTH + "}");
    private static final Pattern SUFFIX = Pattern.compile(".*-" + MARKER + "-[a-z0-9]{" + SUFFIX_LENGTH + "}");
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private EphemeralTokenName() {
    }

    /** A fresh name from a prefix and the parts that say where it was made (repository, run, attempt...). */
    public static String of(String prefix, List<String> context) {
        requirePrefix(prefix);
        Objects.requireNonNull(context, "context");
        StringBuilder middle = new StringBuilder();
        for (String part : context) {
            String slug = slug(part);
            if (!slug.isEmpty()) {
                middle.append(middle.length() == 0 ? "" : "-").append(slug);
            }
        }
        int room = MAX_LENGTH - prefix.length() - MARKER.length() - SUFFIX_LENGTH - 3;
        String context2 = middle.length() <= room ? middle.toString() : middle.substring(0, room);
        context2 = trimDashes(context2);
        return prefix + "-" + (context2.isEmpty() ? "" : context2 + "-") + MARKER + "-" + randomSuffix();
    }

    /** True when {@code name} was made by {@link #of}, with any prefix: only such tokens are deleted by name. */
    public static boolean isEphemeral(String name) {
        return name != null && name.length() <= MAX_LENGTH && EPHEMERAL.matcher(name).matches();
    }

    /**
     * True when {@code name} was made by {@link #of} with this prefix. As strict as {@link #isEphemeral}: a name
     * that only ends like ours (upper case, spaces) is a person's, and {@code EphemeralTokens.delete} refuses it.
     */
    public static boolean isOurs(String name, String prefix) {
        // Only the known prefixes: "ci" would take in every front end's names, "foo" names spell-ci never made.
        if (!PREFIXES.contains(prefix) || !isEphemeral(name) || !name.startsWith(prefix + "-")) {
            return false;
        }
        return SUFFIX.matcher(name.substring(prefix.length())).matches();
    }

    static String slug(String part) {
        if (part == null) {
            return "";
        }
        String lower = part.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (ok) {
                out.append(c);
            } else if (out.length() > 0 && out.charAt(out.length() - 1) != '-') {
                out.append('-');
            }
        }
        return trimDashes(out.toString());
    }

    private static String trimDashes(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '-') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '-') {
            end--;
        }
        return text.substring(start, end);
    }

    static void requirePrefix(String prefix) {
        requirePrefix(prefix, "token name prefix");
    }

    /** Refuses a prefix that is not one of {@link #PREFIXES}, naming the option or field it came from. */
    public static void requirePrefix(String prefix, String field) {
        if (prefix == null || !PREFIXES.contains(prefix)) {
            // Not echoed: it may be a token pasted into the wrong option.
            throw new InvalidInputException(field, "is not one of spell-ci's per-job token prefixes",
                    "use ci-cli, ci-gha or ci-jenkins (the names made by the command line, the GitHub Action and the"
                            + " Jenkins plugin); a sweep under any other prefix would delete tokens spell-ci did not make");
        }
    }

    private static String randomSuffix() {
        char[] suffix = new char[SUFFIX_LENGTH];
        for (int i = 0; i < suffix.length; i++) {
            suffix[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(suffix);
    }
}

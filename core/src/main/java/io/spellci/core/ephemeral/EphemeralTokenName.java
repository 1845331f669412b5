package io.spellci.core.ephemeral;

import io.spellci.core.InvalidInputException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of per-job tokens. Made today: {@code <prefix>[-<controller>]-<context...>-tmp<hours>h-<random>}, e.g.
 * {@code ci-gha-acme-ml-1234-1-tmp6h-k3j9x2ab} or {@code ci-jenkins-k7q2m9ab-folder-job-42-tmp48h-k3j9x2ab}: the
 * hours are the longest life the job may have (a sweep waits that long after {@code created_at}), the controller
 * (Jenkins only) says which Jenkins made it. Names of the earlier format, {@code <prefix>-<context...>-tmp-<random>},
 * stay recognised as <em>legacy</em>: they carry no life, so a sweep gives them the longest of their kind. Old
 * releases only know the legacy shape, so they never sweep a name of today's. Lower-case letters, digits and
 * dashes only (Spell's accepted characters are unpublished; these are safe), unique per call.
 */
public final class EphemeralTokenName {
    /** Prefixes of the front ends; a sweep only ever touches names under one of them, its own. */
    public static final String GITHUB_PREFIX = "ci-gha";
    public static final String JENKINS_PREFIX = "ci-jenkins";
    public static final String CLI_PREFIX = "ci-cli";
    public static final List<String> PREFIXES = List.of(CLI_PREFIX, GITHUB_PREFIX, JENKINS_PREFIX);

    public static final int MAX_LENGTH = 100;
    /** The longest life a name can carry, in hours (416 days): four digits keep the name's tail fixed. */
    public static final int MAX_LIFE_HOURS = 9999;
    /** A controller identity: lower-case letters and digits, no dash, so it parses as the first part after the prefix. */
    public static final Pattern CONTROLLER_ID = Pattern.compile("[a-z0-9]{4,12}");
    static final int SUFFIX_LENGTH = 8;
    /** Sets our names apart from tokens a person named {@code ci-gha-my-laptop}: sweeps must never touch those. */
    static final String MARKER = "tmp";

    private static final String RANDOM = "[a-z0-9]{" + SUFFIX_LENGTH + "}";
    private static final String LIFE = "tmp([1-9][0-9]{0,3})h";
    private static final Pattern LEGACY_ANY =
            Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*-" + MARKER + "-" + RANDOM);
    private static final Pattern CURRENT_ANY = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*-" + LIFE + "-" + RANDOM);
    private static final Pattern LEGACY = Pattern.compile("(ci-cli|ci-gha|ci-jenkins)(-[a-z0-9]+)*-" + MARKER + "-" + RANDOM);
    private static final Pattern CURRENT =
            Pattern.compile("(ci-cli|ci-gha|ci-jenkins)((?:-[a-z0-9]+)*)-" + LIFE + "-" + RANDOM);
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();

    private EphemeralTokenName() {
    }

    /**
     * How one front end names its per-job tokens: its prefix, the controller (Jenkins only, else null) and the
     * longest life its jobs may have.
     */
    public record Template(String prefix, String controller, int lifeHours) {
        public Template {
            requirePrefix(prefix);
            requireLifeHours(lifeHours, "per-job token life");
            if (JENKINS_PREFIX.equals(prefix)) {
                requireControllerId(controller);
            } else if (controller != null) {
                throw new IllegalArgumentException("only ci-jenkins names carry a controller identity");
            }
        }

        /** The CLI's ({@code ci-cli}) or the action's ({@code ci-gha}) names. */
        public static Template of(String prefix, int lifeHours) {
            if (JENKINS_PREFIX.equals(prefix)) {
                throw new IllegalArgumentException("ci-jenkins names need a controller: use Template.jenkins");
            }
            return new Template(prefix, null, lifeHours);
        }

        /** The Jenkins plugin's names, with this controller's identity (see {@link #controllerIdOf}). */
        public static Template jenkins(String controller, int lifeHours) {
            return new Template(JENKINS_PREFIX, controller, lifeHours);
        }

        public Duration life() {
            return Duration.ofHours(lifeHours);
        }

        /** A fresh name from the parts that say where it was made (repository, run, attempt; job, build...). */
        public String newName(List<String> context) {
            Objects.requireNonNull(context, "context");
            String head = prefix + (controller == null ? "" : "-" + controller);
            String tail = MARKER + lifeHours + "h-" + randomSuffix();
            StringBuilder middle = new StringBuilder();
            for (String part : context) {
                String slug = slug(part);
                if (!slug.isEmpty()) {
                    middle.append(middle.length() == 0 ? "" : "-").append(slug);
                }
            }
            int room = MAX_LENGTH - head.length() - tail.length() - 2;
            String context2 = trimDashes(middle.length() <= room ? middle.toString() : middle.substring(0, room));
            return head + "-" + (context2.isEmpty() ? "" : context2 + "-") + tail;
        }
    }

    /**
     * A per-job token's name read back: its prefix, its controller (Jenkins names of today's format, else null)
     * and its life ({@code lifeHours} 0 for a legacy name, which carries none).
     */
    public record Parsed(String name, String prefix, String controller, int lifeHours) {
        public boolean legacy() {
            return lifeHours == 0;
        }

        /** The life written in the name; empty for a legacy name. */
        public Optional<Duration> life() {
            return legacy() ? Optional.empty() : Optional.of(Duration.ofHours(lifeHours));
        }
    }

    /**
     * The parts of a per-job token name made by any spell-ci front end, today's format or legacy; empty for every
     * other name (a person's {@code ci-gha-my-laptop}, a name with upper case or spaces, another prefix).
     */
    public static Optional<Parsed> parse(String name) {
        if (name == null || name.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher current = CURRENT.matcher(name);
        if (current.matches()) {
            String prefix = current.group(1);
            String controller = null;
            if (JENKINS_PREFIX.equals(prefix)) {
                String middle = current.group(2);
                int end = middle.indexOf('-', 1);
                controller = middle.isEmpty() ? "" : middle.substring(1, end < 0 ? middle.length() : end);
                if (!CONTROLLER_ID.matcher(controller).matches()) {
                    return Optional.empty(); // not a name the plugin makes
                }
            }
            int hours = Integer.parseInt(current.group(3));
            return hours > MAX_LIFE_HOURS ? Optional.empty() : Optional.of(new Parsed(name, prefix, controller, hours));
        }
        Matcher legacy = LEGACY.matcher(name);
        if (legacy.matches()) {
            return Optional.of(new Parsed(name, legacy.group(1), null, 0));
        }
        return Optional.empty();
    }

    /**
     * True when {@code name} has the shape of a per-job token name (either format, any prefix): only such tokens are
     * deleted by name. {@link #parse} is the stricter reading, with the known prefixes only.
     */
    public static boolean isEphemeral(String name) {
        return name != null && name.length() <= MAX_LENGTH
                && (LEGACY_ANY.matcher(name).matches() || CURRENT_ANY.matcher(name).matches());
    }

    /**
     * True when {@code name} was made by a spell-ci front end with this prefix, in either format. As strict as
     * {@link #parse}: a name that only ends like ours (upper case, spaces) is a person's.
     */
    public static boolean isOurs(String name, String prefix) {
        // Only the known prefixes: "ci" would take in every front end's names, "foo" names spell-ci never made.
        return PREFIXES.contains(prefix) && parse(name).map(p -> p.prefix().equals(prefix)).orElse(false);
    }

    /** Refuses a life outside 1 to {@link #MAX_LIFE_HOURS} hours, naming the field it came from. */
    public static int requireLifeHours(int hours, String field) {
        if (hours < 1 || hours > MAX_LIFE_HOURS) {
            throw new InvalidInputException(field, "is " + hours + " hours, not from 1 to " + MAX_LIFE_HOURS,
                    "give the longest time in hours a job may run (a sweep deletes its per-job token only after that)");
        }
        return hours;
    }

    /** Refuses a controller identity that is not 4 to 12 lower-case letters or digits. */
    public static String requireControllerId(String id) {
        if (id == null || !CONTROLLER_ID.matcher(id).matches()) {
            // Not echoed: it is derived from the controller, but callers should never pass a secret here anyway.
            throw new InvalidInputException("controller id", "is not 4 to 12 lower-case letters or digits",
                    "derive it with EphemeralTokenName.controllerIdOf(a stable identity of the controller)");
        }
        return id;
    }

    /**
     * A short controller identity (8 lower-case letters or digits) derived from something stable and unique per
     * controller, such as its instance id: the same input always gives the same id, and the input cannot be read
     * back from it. Token names are listed in clear, so the id must say nothing more than "this controller".
     */
    public static String controllerIdOf(String stableIdentity) {
        if (stableIdentity == null || stableIdentity.isEmpty()) {
            throw new IllegalArgumentException("stableIdentity is empty");
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(stableIdentity.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        byte[] first = new byte[5];
        System.arraycopy(digest, 0, first, 0, first.length);
        String id = new BigInteger(1, first).toString(36);
        return "0".repeat(SUFFIX_LENGTH - id.length()) + id;
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
            suffix[i] = ALPHABET[SECURE_RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(suffix);
    }
}

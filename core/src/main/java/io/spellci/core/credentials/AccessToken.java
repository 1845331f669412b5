package io.spellci.core.credentials;

import io.spellci.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A Spell access token. Opaque: Spell never published a format, so only what would break a header
 * or an environment variable is refused. {@link #toString()} never shows the value.
 */
public final class AccessToken {
    /** Longer than any bearer token a sane server issues; keeps headers and env files bounded. */
    public static final int MAX_LENGTH = 4096;

    private final String value;

    private AccessToken(String value) {
        this.value = value;
    }

    /** Checks and trims a token given as the input called {@code token}. */
    public static AccessToken of(String raw) {
        return of(raw, "token");
    }

    /**
     * Checks and trims a token; errors name {@code field} (as the user knows the input) and never
     * contain the value itself.
     */
    public static AccessToken of(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidInputException(field, "is empty",
                    "pass your Spell access token (create one with `spell access-tokens create <name>`"
                            + " and keep it in your CI's secret store)");
        }
        String token = raw.strip();
        if (token.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, "is " + token.length() + " characters long, more than "
                    + MAX_LENGTH, "pass the access token alone, not a file or a whole configuration");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new InvalidInputException(field, "contains a space, line break or control character at"
                        + " position " + (i + 1) + " of " + token.length(),
                        "copy the access token again as one line with nothing around it");
            }
            if (c > '~') {
                // A bearer token travels in an HTTP header, which carries printable ASCII only.
                throw new InvalidInputException(field, "contains a character that is not printable ASCII at"
                        + " position " + (i + 1) + " of " + token.length(),
                        "copy the access token again; a typographic quote or similar was pasted with it");
            }
        }
        return new AccessToken(token);
    }

    /** The secret itself. The only way to get it; call it where the value leaves for its one destination. */
    public String reveal() {
        return value;
    }

    public int length() {
        return value.length();
    }

    /** Below this length a token is only compared whole: a short one would be "found" in ordinary values. */
    public static final int MIN_LENGTH_TO_SEARCH = 8;

    /** True when {@code text} contains this token exactly; for scrubbing text from elsewhere. */
    public boolean appearsIn(CharSequence text) {
        return text != null && text.toString().contains(value);
    }

    /**
     * True when {@code text} is this token, or (for tokens of {@value #MIN_LENGTH_TO_SEARCH}+ characters) holds
     * it in any letter case: a value shown in clear (an owner, a URL, a token name) must not carry the token,
     * and host names and token names are lower-cased on their way out, past any exact-match mask.
     */
    public boolean isFoundIn(String text) {
        if (text == null) {
            return false;
        }
        if (text.equals(value)) {
            return true;
        }
        return value.length() >= MIN_LENGTH_TO_SEARCH
                && text.toLowerCase(java.util.Locale.ROOT).contains(value.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Refuses {@code value}, given as {@code field}, when {@link #isFoundIn} finds this token in it; {@code fix} says
     * what belongs there. The message never repeats the value.
     */
    public void requireNotIn(String value, String field, String fix) {
        if (isFoundIn(value)) {
            throw new InvalidInputException(field, value.equals(this.value) ? "is the access token itself"
                    : "contains the access token", fix);
        }
    }

    /** Replaces this token in {@code text} with {@code ***}, by the rule of {@link #redact(String, String)}. */
    public String redact(String text) {
        return redact(text, value);
    }

    /**
     * Replaces {@code secret} in {@code text} with {@code ***}: exactly, and for secrets of
     * {@value #MIN_LENGTH_TO_SEARCH}+ characters in any letter case too (host names reach messages lower-cased),
     * as {@link #isFoundIn} finds them. Static for front ends that scrub raw values which never became a token.
     */
    public static String redact(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        String result = text.replace(secret, "***");
        if (secret.length() < MIN_LENGTH_TO_SEARCH) {
            return result;
        }
        StringBuilder out = null;
        int from = 0;
        for (int i = 0; i + secret.length() <= result.length(); i++) {
            if (result.regionMatches(true, i, secret, 0, secret.length())) {
                if (out == null) {
                    out = new StringBuilder(result.length());
                }
                out.append(result, from, i).append("***");
                i += secret.length() - 1;
                from = i + 1;
            }
        }
        return out == null ? result : out.append(result, from, result.length()).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessToken other && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "AccessToken[redacted, " + value.length() + " chars]";
    }
}

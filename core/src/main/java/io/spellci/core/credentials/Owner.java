package io.spellci.core.credentials;

import io.spellci.core.InvalidInputException;

/**
 * Whom a token acts for: the user's own name or one of their organizations. Not secret.
 * One token serves every organization of its user, so CI always says which one.
 */
public final class Owner {
    public static final int MAX_LENGTH = 255;

    private final String name;

    private Owner(String name) {
        this.name = name;
    }

    public static Owner of(String raw) {
        return of(raw, "owner");
    }

    /** Checks and trims an owner given as the input called {@code field}. */
    public static Owner of(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidInputException(field, "is empty",
                    "set it to the Spell organization (or your user name) the token should act for");
        }
        String name = raw.strip();
        if (name.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, "is " + name.length() + " characters long, more than "
                    + MAX_LENGTH, "set it to a Spell organization or user name");
        }
        if (name.indexOf('\uFFFD') >= 0) {
            // What Java 17 makes of every non-ASCII byte of an environment variable under LANG=C or POSIX.
            throw new InvalidInputException(field, "contains a character Java could not decode from the environment"
                    + " (the locale is not UTF-8, e.g. LANG=C)",
                    "set LANG=C.UTF-8 (or another UTF-8 locale) where this runs, or use the ASCII name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new InvalidInputException(field, "contains a space or control character at position "
                        + (i + 1), "set it to the bare organization or user name, e.g. acme");
            }
            if (c == '/' || c == '\\') {
                throw new InvalidInputException(field, "contains '" + c + "' at position " + (i + 1),
                        "set it to the bare organization or user name (not a path or URL), e.g. acme");
            }
        }
        return new Owner(name);
    }

    /**
     * Refuses an owner that is, or holds, the token: swapped or mangled inputs would otherwise put the token
     * where owners are shown in clear (exported public variables, error messages).
     */
    public Owner requireDistinctFrom(AccessToken token) {
        return requireDistinctFrom(token, "owner", "its own input");
    }

    /** As {@link #requireDistinctFrom(AccessToken)}, for an owner given as {@code field}; {@code tokenPlace} says where the token goes. */
    public Owner requireDistinctFrom(AccessToken token, String field, String tokenPlace) {
        if (token != null) {
            token.requireNotIn(name, field, "set " + field + " to the Spell organization or user name; the access"
                    + " token goes in " + tokenPlace + ", never in " + field);
        }
        return this;
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Owner other && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}

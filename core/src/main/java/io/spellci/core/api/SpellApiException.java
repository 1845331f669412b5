package io.spellci.core.api;

import java.io.IOException;
import java.util.Objects;

/**
 * A call to the Spell API failed. Carries what kind of failure it was, the HTTP status (0 when there was
 * no answer) and a sentence a person can act on. Never contains the token.
 */
public final class SpellApiException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as a caller needs to branch on it. */
    public enum Kind {
        /** 401: wrong, revoked or deleted token. */
        UNAUTHORIZED,
        /** 403: the token's user may not do this. */
        FORBIDDEN,
        /** The token works, but its user is not the owner nor a member of it. */
        OWNER_NOT_ALLOWED,
        /** 404. */
        NOT_FOUND,
        /** 409, e.g. a duplicate token name. */
        CONFLICT,
        /** 400 or another 4xx the client has no special handling for. */
        BAD_REQUEST,
        /** 429 until the attempts or the deadline ran out. */
        RATE_LIMITED,
        /** 5xx until the attempts or the deadline ran out. */
        SERVER_ERROR,
        /** No connection, DNS failure, connection reset. */
        NETWORK,
        /** No answer in time. */
        TIMEOUT,
        /** An answer that is not what Spell sends (not JSON, missing fields). */
        BAD_RESPONSE,
        /** A 3xx: not followed, so the token only goes where it was told to go. */
        REDIRECT
    }

    private final Kind kind;
    private final int status;
    private final boolean outcomeUnknown;

    SpellApiException(Kind kind, int status, String message, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.status = status;
        this.outcomeUnknown = outcomeUnknown;
    }

    SpellApiException(Kind kind, int status, String message) {
        this(kind, status, message, false, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the last answer, or 0 when there was none. */
    public int status() {
        return status;
    }

    /**
     * True when a request that changes state may have reached the server although no answer came
     * (a timeout or a dropped connection after sending): the change may or may not have happened.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    /** Whether trying the same call later may work (network, rate limit, server error). */
    public boolean isTransient() {
        return kind == Kind.NETWORK || kind == Kind.TIMEOUT || kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR;
    }
}

package io.spellci.action.cli;

import io.spellci.core.api.SpellApiException;

/**
 * The exit codes of every command; {@code docs/cli.md} and the commands' {@code exitCodeList} (annotations take
 * only literals) list them too.
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** The Spell API refused: token rejected, owner not allowed, or another definite refusal. Also: a GitHub step failed. */
    public static final int REFUSED = 1;
    /** Bad usage: an unknown option, a missing or invalid input (token, owner, URL, format). */
    public static final int USAGE = 2;
    /** The Spell API could not be reached or did not answer properly (network, timeout, 429, 5xx): try again later. */
    public static final int UNAVAILABLE = 3;
    /** Anything else: a file could not be read or written, or an internal error. */
    public static final int ERROR = 4;
    /** {@code rotate --finish} refused: the old token was used after its successor was made, so something holds it. */
    public static final int IN_USE = 5;

    private ExitCodes() {
    }

    public static int of(SpellApiException e) {
        switch (e.kind()) {
            case NETWORK:
            case TIMEOUT:
            case RATE_LIMITED:
            case SERVER_ERROR:
            case BAD_RESPONSE:
                return UNAVAILABLE;
            default:
                return REFUSED;
        }
    }
}

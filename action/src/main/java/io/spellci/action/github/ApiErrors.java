package io.spellci.action.github;

import io.spellci.core.api.SpellApiException;

/** Annotation titles for API failures; the messages themselves come from core. */
final class ApiErrors {
    private ApiErrors() {
    }

    static String title(SpellApiException e) {
        switch (e.kind()) {
            case UNAUTHORIZED:
                return "Spell token rejected";
            case FORBIDDEN:
                return "Spell API refused the request";
            case OWNER_NOT_ALLOWED:
                return "Owner not allowed for this token";
            case RATE_LIMITED:
                return "Spell API rate limit";
            case SERVER_ERROR:
                return "Spell API unavailable";
            case NETWORK:
                return "Spell API unreachable";
            case TIMEOUT:
                return "Spell API timed out";
            case BAD_RESPONSE:
                return "Unexpected answer from the Spell API";
            case REDIRECT:
                return "Spell API redirected elsewhere";
            case CONFLICT:
                return "Spell API conflict";
            case NOT_FOUND:
                return "Spell API: not found";
            case BAD_REQUEST:
                return "Spell API: bad request";
            default:
                return "Spell API error";
        }
    }

    /** True when the token itself was refused, so the fork/Dependabot advice may apply. */
    static boolean tokenRejected(SpellApiException e) {
        return e.kind() == SpellApiException.Kind.UNAUTHORIZED;
    }
}

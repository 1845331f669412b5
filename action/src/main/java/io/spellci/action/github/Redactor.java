package io.spellci.action.github;

import io.spellci.core.credentials.AccessToken;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces known secrets with {@code ***} in any text that is about to be printed: a second line of defence behind
 * core's promise that no message carries the token, and behind the runner's masker.
 */
public final class Redactor {
    private final List<String> secrets = new ArrayList<>();

    public void add(String secret) {
        if (secret != null && !secret.isBlank()) {
            secrets.add(secret);
            String stripped = secret.strip();
            if (!stripped.equals(secret)) {
                secrets.add(stripped);
            }
        }
    }

    /** {@code text} with every known secret replaced by {@code ***}, by core's rule ({@link AccessToken#redact}). */
    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String result = text;
        for (String secret : secrets) {
            result = AccessToken.redact(result, secret);
        }
        return result;
    }
}

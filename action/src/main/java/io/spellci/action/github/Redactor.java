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

    /**
     * {@code text} with every known secret replaced by {@code ***}; secrets of
     * {@value AccessToken#MIN_LENGTH_TO_SEARCH}+ characters in any letter case (host names, for one, reach exception
     * messages lower-cased), as core's {@link AccessToken#isFoundIn} finds them.
     */
    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, "***");
            if (secret.length() >= AccessToken.MIN_LENGTH_TO_SEARCH) {
                result = replaceIgnoringCase(result, secret);
            }
        }
        return result;
    }

    private static String replaceIgnoringCase(String text, String secret) {
        StringBuilder out = null;
        int from = 0;
        for (int i = 0; i + secret.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, secret, 0, secret.length())) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, from, i).append("***");
                i += secret.length() - 1;
                from = i + 1;
            }
        }
        return out == null ? text : out.append(text, from, text.length()).toString();
    }
}

package io.spellci.action.github;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The action's inputs, checked with core's rules. {@link #parse} collects every problem, so one run reports them
 * all; no problem text contains the token.
 */
public record ActionInputs(AccessToken token, Owner owner, ApiUrl apiUrl, boolean validate, boolean ephemeral,
        boolean exportEnv, Duration timeout) {

    public static final String TOKEN = "token";
    public static final String OWNER = "owner";
    public static final String API_URL = "api-url";
    public static final String VALIDATE = "validate";
    public static final String EPHEMERAL = "ephemeral";
    public static final String EXPORT_ENV = "export-env";
    public static final String TIMEOUT_SECONDS = "timeout-seconds";

    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    /** The inputs, or the list of what is wrong with them. */
    public record Result(ActionInputs inputs, List<InvalidInputException> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static Result parse(Inputs in) {
        return parse(in, false);
    }

    /** Post needs only the token, the API URL and the timeout; the other inputs are not checked again. */
    public static Result parseForPost(Inputs in) {
        return parse(in, true);
    }

    /** Below this length a token is compared whole only: a short one would be "found" inside ordinary values. */
    static final int MIN_LENGTH_TO_SEARCH = 8;
    private static final String BOOLEAN_FIX = "set it to true or false, and the token in the token input only";

    // Plain try/catch rather than lambdas: this runs on the start-up path, where every avoided bootstrap counts.
    private static Result parse(Inputs in, boolean post) {
        List<InvalidInputException> problems = new ArrayList<>();
        AccessToken token = null;
        Owner owner = null;
        ApiUrl apiUrl = null;
        boolean validate = false;
        boolean ephemeral = post;
        boolean exportEnv = false;
        int timeout = DEFAULT_TIMEOUT_SECONDS;
        String secret = in.get(TOKEN);
        try {
            token = AccessToken.of(in.raw(TOKEN), TOKEN);
        } catch (InvalidInputException e) {
            problems.add(e);
        }
        // The token pasted into another input: refused before that value is echoed, printed, exported or sent.
        // Checked against the raw token, so it also holds when the token itself was refused above.
        if (!post) {
            try {
                requireNoToken(in, OWNER, secret,
                        "set owner to the Spell organization or user name, and the token in the token input only");
                requireDecoded(in, OWNER);
                owner = Owner.of(in.raw(OWNER), OWNER);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
        }
        try {
            requireNoToken(in, API_URL, secret,
                    "set api-url to the Spell API's base URL, and the token in the token input only");
            apiUrl = ApiUrl.of(in.get(API_URL), API_URL);
        } catch (InvalidInputException e) {
            problems.add(e);
        }
        if (!post) {
            try {
                requireNoToken(in, VALIDATE, secret, BOOLEAN_FIX);
                validate = in.getBoolean(VALIDATE, true);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
            try {
                requireNoToken(in, EPHEMERAL, secret, BOOLEAN_FIX);
                ephemeral = in.getBoolean(EPHEMERAL, false);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
            try {
                requireNoToken(in, EXPORT_ENV, secret, BOOLEAN_FIX);
                exportEnv = in.getBoolean(EXPORT_ENV, true);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
        }
        try {
            requireNoToken(in, TIMEOUT_SECONDS, secret,
                    "set timeout-seconds to a number of seconds, and the token in the token input only");
            timeout = in.getSeconds(TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS, 1, 3600);
        } catch (InvalidInputException e) {
            problems.add(e);
        }
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new ActionInputs(token, owner, apiUrl, validate, ephemeral, exportEnv,
                Duration.ofSeconds(timeout)), List.of());
    }

    /**
     * Refuses a value holding U+FFFD: what Java makes of bytes it could not decode from the environment, which on
     * Java 17 happens to every non-ASCII character when the runner's locale is not UTF-8 (LANG=C, POSIX). Exporting
     * it would silently rename the owner.
     */
    private static void requireDecoded(Inputs in, String name) {
        if (in.raw(name).indexOf('\uFFFD') >= 0) {
            throw new InvalidInputException(name, "contains a character Java could not decode from the environment"
                    + " (the runner's locale is not UTF-8, e.g. LANG=C)",
                    "set LANG=C.UTF-8 (or another UTF-8 locale) in the runner's environment, or use the ASCII name");
        }
    }

    /**
     * Refuses input {@code name} when it is, or (for a token of {@value #MIN_LENGTH_TO_SEARCH}+ characters)
     * contains, the token: swapped or mangled inputs would otherwise put the token, or a part of it that no mask
     * covers, where values are shown in clear (error messages, exported public variables, outputs).
     */
    private static void requireNoToken(Inputs in, String name, String secret, String fix) {
        if (secret.isEmpty()) {
            return;
        }
        String value = in.get(name);
        if (value.equals(secret)) {
            throw new InvalidInputException(name, "is the access token itself", fix);
        }
        if (secret.length() >= MIN_LENGTH_TO_SEARCH && value.contains(secret)) {
            throw new InvalidInputException(name, "contains the access token", fix);
        }
    }

    @Override
    public String toString() {
        return "ActionInputs[token=" + token + ", owner=" + owner + ", apiUrl=" + apiUrl + ", validate=" + validate
                + ", ephemeral=" + ephemeral + ", exportEnv=" + exportEnv + ", timeout=" + timeout + "]";
    }
}

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
        boolean exportEnv, Duration timeout, String caCertificates) {

    public static final String TOKEN = "token";
    public static final String OWNER = "owner";
    public static final String API_URL = "api-url";
    public static final String VALIDATE = "validate";
    public static final String EPHEMERAL = "ephemeral";
    public static final String EXPORT_ENV = "export-env";
    public static final String TIMEOUT_SECONDS = "timeout-seconds";
    /** A PEM file of extra CAs; read (with HTTPS_PROXY and friends) only when the API is called. */
    public static final String CA_CERTIFICATES = "ca-certificates";

    /** Optional: the token's name in Spell, to show its age and last use (see {@link TokenAgeInputs}). */
    public static final String TOKEN_NAME = "token-name";
    /** Optional: warn when the named token is older than this many days. */
    public static final String MAX_TOKEN_AGE_DAYS = "max-token-age-days";

    /** auto, true or false: read by the launcher (action/launcher/cds.js), which starts the JVM with or without it. */
    public static final String CLASS_DATA_SHARING = "class-data-sharing";

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
        try {
            token = AccessToken.of(in.raw(TOKEN), TOKEN);
        } catch (InvalidInputException e) {
            problems.add(e);
        }
        // The token pasted into another input is refused (core's AccessToken.isFoundIn) before that value is
        // echoed, printed, exported or sent. (A token refused above is still masked and redacted whole, and Inputs
        // quotes no long value, so no part of it is shown either.)
        if (!post) {
            try {
                owner = Owner.of(in.raw(OWNER), OWNER);
                if (token != null) {
                    owner.requireDistinctFrom(token);
                }
            } catch (InvalidInputException e) {
                problems.add(e);
            }
        }
        try {
            requireNoToken(in, API_URL, token,
                    "set api-url to the Spell API's base URL, and the token in the token input only");
            // Omitted, the runner passes action.yml's default; '' comes from an expression that evaluated empty.
            apiUrl = ApiUrl.ofSetting(in.rawOrNull(API_URL), API_URL);
        } catch (InvalidInputException e) {
            problems.add(e);
        }
        if (!post) {
            try {
                requireNoToken(in, VALIDATE, token, BOOLEAN_FIX);
                validate = in.getBoolean(VALIDATE, true);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
            try {
                requireNoToken(in, EPHEMERAL, token, BOOLEAN_FIX);
                ephemeral = in.getBoolean(EPHEMERAL, false);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
            try {
                requireNoToken(in, EXPORT_ENV, token, BOOLEAN_FIX);
                exportEnv = in.getBoolean(EXPORT_ENV, true);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
        }
        try {
            requireNoToken(in, TIMEOUT_SECONDS, token,
                    "set timeout-seconds to a number of seconds, and the token in the token input only");
            timeout = in.getSeconds(TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS, 1, 3600);
        } catch (InvalidInputException e) {
            problems.add(e);
        }
        String caCertificates = "";
        try {
            requireNoToken(in, CA_CERTIFICATES, token,
                    "set ca-certificates to the path of a PEM file, and the token in the token input only");
            caCertificates = in.get(CA_CERTIFICATES);
        } catch (InvalidInputException e) {
            problems.add(e);
        }
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new ActionInputs(token, owner, apiUrl, validate, ephemeral, exportEnv,
                Duration.ofSeconds(timeout), caCertificates), List.of());
    }

    /**
     * Refuses input {@code name} when it is or holds the token (core's rule, {@link AccessToken#isFoundIn}): swapped
     * or mangled inputs would otherwise put the token, or a part of it that no mask covers, where values are shown
     * in clear (error messages, exported public variables, outputs, a DNS lookup).
     */
    private static void requireNoToken(Inputs in, String name, AccessToken token, String fix) {
        if (token != null) {
            token.requireNotIn(in.get(name), name, fix);
        }
    }

    @Override
    public String toString() {
        return "ActionInputs[token=" + token + ", owner=" + owner + ", apiUrl=" + apiUrl + ", validate=" + validate
                + ", ephemeral=" + ephemeral + ", exportEnv=" + exportEnv + ", timeout=" + timeout + ", caCertificates="
                + caCertificates + "]";
    }
}

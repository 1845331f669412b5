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
        if (!post) {
            try {
                owner = Owner.of(in.raw(OWNER), OWNER);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
        }
        try {
            apiUrl = ApiUrl.of(in.get(API_URL), API_URL);
        } catch (InvalidInputException e) {
            problems.add(e);
        }
        if (!post) {
            try {
                validate = in.getBoolean(VALIDATE, true);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
            try {
                ephemeral = in.getBoolean(EPHEMERAL, false);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
            try {
                exportEnv = in.getBoolean(EXPORT_ENV, true);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
        }
        try {
            timeout = in.getSeconds(TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS, 1, 3600);
        } catch (InvalidInputException e) {
            problems.add(e);
        }
        if (token != null && owner != null) {
            // The token pasted into owner: refused before the owner is printed, exported or sent anywhere.
            try {
                owner.requireDistinctFrom(token);
            } catch (InvalidInputException e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new ActionInputs(token, owner, apiUrl, validate, ephemeral, exportEnv,
                Duration.ofSeconds(timeout)), List.of());
    }

    @Override
    public String toString() {
        return "ActionInputs[token=" + token + ", owner=" + owner + ", apiUrl=" + apiUrl + ", validate=" + validate
                + ", ephemeral=" + ephemeral + ", exportEnv=" + exportEnv + ", timeout=" + timeout + "]";
    }
}

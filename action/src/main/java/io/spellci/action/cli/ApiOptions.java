package io.spellci.action.cli;

import io.spellci.core.api.ApiUrl;
import io.spellci.core.credentials.AccessToken;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The API URL and the time allowed per call (retries included). */
final class ApiOptions {
    @Option(names = "--api-url", paramLabel = "URL", description = "Spell API base URL (default: $SPELL_API_URL,"
            + " else $SPELL_BASE_URL, else " + ApiUrl.DEFAULT + "). Plain http:// only for loopback hosts.")
    String apiUrl;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Upper bound for each call to the API, retries included (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** The URL from the first source that is set, refused (naming that source) when it holds {@code token}. */
    ApiUrl url(CliContext ctx, AccessToken token) {
        // The first source that is set wins; set but empty is an error in core (an unset variable in a script).
        String source = "--api-url";
        String value = apiUrl;
        for (String variable : new String[] {"SPELL_API_URL", "SPELL_BASE_URL"}) {
            if (value == null) {
                source = variable;
                value = ctx.env().get(variable);
            }
        }
        if (value == null) {
            return ApiUrl.defaultUrl();
        }
        token.requireNotIn(value, source, "set " + source + " to the Spell API's base URL; the access token goes in "
                + TokenOptions.TOKEN_PLACES + ", never in " + source);
        return ApiUrl.ofSetting(value, source);
    }

    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw CliException.usage("--timeout must be between 1 and 3600 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}

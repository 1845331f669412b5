package io.spellci.action.cli;

import io.spellci.core.api.ApiUrl;
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

    ApiUrl url(CliContext ctx) {
        // The first source that is set wins; set but empty is an error in core (an unset variable in a script).
        if (apiUrl != null) {
            return ApiUrl.ofSetting(apiUrl, "--api-url");
        }
        for (String variable : new String[] {"SPELL_API_URL", "SPELL_BASE_URL"}) {
            String value = ctx.env().get(variable);
            if (value != null) {
                return ApiUrl.ofSetting(value, variable);
            }
        }
        return ApiUrl.defaultUrl();
    }

    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new CliException(ExitCodes.USAGE, "--timeout must be between 1 and 3600 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}

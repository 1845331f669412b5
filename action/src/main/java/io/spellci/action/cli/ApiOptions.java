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
        if (apiUrl != null) {
            if (apiUrl.isBlank()) {
                // Given but empty (an unset variable in a script): falling back would send the token elsewhere.
                throw new CliException(ExitCodes.USAGE, "--api-url is empty: give the Spell API's base URL,"
                        + " or leave the option out to use $SPELL_API_URL, $SPELL_BASE_URL or " + ApiUrl.DEFAULT);
            }
            return ApiUrl.of(apiUrl, "--api-url");
        }
        if (!ctx.env("SPELL_API_URL").isBlank()) {
            return ApiUrl.of(ctx.env("SPELL_API_URL"), "SPELL_API_URL");
        }
        if (!ctx.env("SPELL_BASE_URL").isBlank()) {
            return ApiUrl.of(ctx.env("SPELL_BASE_URL"), "SPELL_BASE_URL");
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

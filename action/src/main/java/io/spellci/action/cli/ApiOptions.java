package io.spellci.action.cli;

import io.spellci.core.api.ApiUrl;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.net.NetworkSettings;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The API URL, the time allowed per call (retries included), and the network: the proxy from HTTPS_PROXY /
 * HTTP_PROXY / NO_PROXY and extra CAs from --ca-certificates, else SSL_CERT_FILE.
 */
final class ApiOptions {
    @Option(names = "--api-url", paramLabel = "URL", description = "Spell API base URL (default: $SPELL_API_URL,"
            + " else $SPELL_BASE_URL, else " + ApiUrl.DEFAULT + "). Plain http:// only for loopback hosts.")
    String apiUrl;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Upper bound for each call to the API, retries included (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--ca-certificates", paramLabel = "FILE", description = "A PEM file of CA certificates to trust"
            + " in addition to Java's, for a private Spell API or a TLS-inspecting proxy (default: $SSL_CERT_FILE when"
            + " set). The proxy comes from $HTTPS_PROXY and $NO_PROXY.")
    String caCertificates;

    /** The URL {@link #url} resolved, for the error handler's hint at the default URL; null before. */
    private ApiUrl resolved;

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
            resolved = ApiUrl.defaultUrl();
            return resolved;
        }
        token.requireNotIn(value, source, "set " + source + " to the Spell API's base URL; the access token goes in "
                + TokenOptions.TOKEN_PLACES + ", never in " + source);
        resolved = ApiUrl.ofSetting(value, source);
        return resolved;
    }

    /**
     * Advice for an API failure of a command using these options, in the words the Jenkins plugin and the action use:
     * at the default URL, Spell's hosted API no longer answers. Empty for any other URL.
     */
    static String defaultUrlHint(CommandLine command) {
        CommandLine.Model.CommandSpec mixin = command.getCommandSpec().mixins().get("api");
        if (mixin == null || !(mixin.userObject() instanceof ApiOptions options) || options.resolved == null
                || !options.resolved.isDefault()) {
            return "";
        }
        return " " + ApiUrl.DEFAULT_NO_LONGER_ANSWERS + ": give the URL of your Spell API with --api-url or"
                + " SPELL_API_URL.";
    }

    /** Reads the proxy and CA settings for calls to {@code url} and says on stderr which apply. */
    NetworkSettings network(CliContext ctx, ApiUrl url) {
        if (caCertificates != null && caCertificates.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "--ca-certificates is empty: give a PEM file, or leave the option"
                    + " out (then $SSL_CERT_FILE is used when set)");
        }
        NetworkSettings network = NetworkSettings.fromEnvironment(ctx.env(), url, caCertificates, "--ca-certificates");
        for (String line : network.describe(url)) {
            ctx.err().println("spell-ci: " + line);
        }
        return network;
    }

    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw CliException.usage("--timeout must be between 1 and 3600 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}

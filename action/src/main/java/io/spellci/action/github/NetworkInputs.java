package io.spellci.action.github;

import io.spellci.core.InvalidInputException;
import io.spellci.core.net.NetworkSettings;

/**
 * The proxy (HTTPS_PROXY, NO_PROXY... of the step's environment, which the runner passes from the job) and the extra
 * CAs (the ca-certificates input, else SSL_CERT_FILE). Called only before the API is called, so that a step that
 * does not call it neither reads them nor fails on them.
 */
final class NetworkInputs {
    private NetworkInputs() {
    }

    /** @throws InvalidInputException naming the input or variable that is wrong */
    static NetworkSettings read(StepContext ctx, ActionInputs in) {
        return NetworkSettings.fromEnvironment(ctx.env(), in.apiUrl(), in.caCertificates(),
                ActionInputs.CA_CERTIFICATES);
    }

    /** The annotation title for a problem {@link #read} found. */
    static String title(InvalidInputException e) {
        return e.field().equals(ActionInputs.CA_CERTIFICATES) ? "Invalid input: " + e.field()
                : "Invalid environment variable: " + e.field();
    }
}

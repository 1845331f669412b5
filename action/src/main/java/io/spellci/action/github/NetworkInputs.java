package io.spellci.action.github;

import io.spellci.core.InvalidInputException;
import io.spellci.core.net.NetworkSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

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
        String caCertificates = againstStepDirectory(in.caCertificates(), ctx.env());
        return NetworkSettings.fromEnvironment(ctx.env(), in.apiUrl(), caCertificates, ActionInputs.CA_CERTIFICATES);
    }

    /**
     * Set by the launcher on Windows, where it starts Java in the jar's folder (a {@code -jar} path outside the ANSI
     * code page could not be opened otherwise): the step's own working directory, against which a relative path
     * in an input means what the user wrote.
     */
    static final String WORKING_DIRECTORY = "SPELL_CI_WORKING_DIRECTORY";

    static String againstStepDirectory(String file, Map<String, String> env) {
        String base = env.get(WORKING_DIRECTORY);
        if (file == null || file.isBlank() || base == null || base.isBlank()) {
            return file;
        }
        try {
            Path path = Path.of(file.strip());
            return path.isAbsolute() ? file : Path.of(base).resolve(path).toString();
        } catch (InvalidPathException e) {
            return file; // core names the input and the problem
        }
    }

    /** The annotation title for a problem {@link #read} found. */
    static String title(InvalidInputException e) {
        return e.field().equals(ActionInputs.CA_CERTIFICATES) ? "Invalid input: " + e.field()
                : "Invalid environment variable: " + e.field();
    }
}

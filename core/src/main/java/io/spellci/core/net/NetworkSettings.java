package io.spellci.core.net;

import io.spellci.core.InvalidInputException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the action and the CLI read about the network from their environment and options, by one rule: the proxy
 * from {@link ProxySettings} for the API URL's scheme, and the extra CAs from the front end's own option when given,
 * else from {@code SSL_CERT_FILE} when set (not both: the explicit option is what the user chose for this call).
 * Jenkins does not use this; its client comes with Jenkins' own proxy settings.
 */
public final class NetworkSettings {
    public static final String SSL_CERT_FILE = "SSL_CERT_FILE";

    private final ProxySettings proxy;
    private final TrustedCertificates certificates;

    public NetworkSettings(ProxySettings proxy, TrustedCertificates certificates) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    /**
     * Reads the settings for calls to {@code apiUrl} (the Spell API's base, as {@code ApiUrl.uri()} gives it).
     *
     * @param caCertificates the front end's CA bundle option as given (blank = not given)
     * @param caField the option's name as the user knows it, e.g. {@code ca-certificates} or {@code --ca-certificates}
     * @throws io.spellci.core.InvalidInputException naming the variable or option that is wrong
     */
    public static NetworkSettings fromEnvironment(Map<String, String> env, URI apiUrl, String caCertificates,
            String caField) {
        ProxySettings proxy = ProxySettings.fromEnvironment(env, apiUrl.getScheme());
        TrustedCertificates certificates;
        String sslCertFile = env.get(SSL_CERT_FILE);
        if (caCertificates != null && !caCertificates.isBlank()) {
            certificates = TrustedCertificates.fromPemFile(path(caCertificates, caField), caField);
        } else if (sslCertFile != null && !sslCertFile.isBlank() && apiUrl.getScheme().equals("https")) {
            // Only for TLS: machines often point SSL_CERT_FILE at the whole system bundle, slow to parse for nothing.
            certificates = TrustedCertificates.fromPemFile(path(sslCertFile, SSL_CERT_FILE), SSL_CERT_FILE)
                    .replaceableWith(caField);
        } else {
            certificates = TrustedCertificates.jvmDefaults(caField);
        }
        return new NetworkSettings(proxy, certificates);
    }

    private static Path path(String value, String field) {
        try {
            return Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw new InvalidInputException(field, "is not a valid file path (" + e.getReason() + ")",
                    "set " + field + " to the path of a PEM file holding the CA certificate(s) to trust");
        }
    }

    public ProxySettings proxy() {
        return proxy;
    }

    public TrustedCertificates certificates() {
        return certificates;
    }

    /** Lines for the log: the route to the API and the extra CAs; empty when neither applies. */
    public List<String> describe(URI apiUrl) {
        List<String> lines = new ArrayList<>(2);
        String route = proxy.describeRoute(apiUrl.getHost(), port(apiUrl));
        if (!route.isEmpty()) {
            lines.add("Reaching the API " + route + ".");
        }
        if (!certificates.isEmpty()) {
            String text = certificates.describe();
            lines.add(Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".");
        }
        return lines;
    }

    static int port(URI apiUrl) {
        int port = apiUrl.getPort();
        return port != -1 ? port : "https".equals(apiUrl.getScheme()) ? 443 : 80;
    }
}

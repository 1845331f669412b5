package io.spellci.core.net;

import io.spellci.core.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Extra CA certificates from a PEM bundle (a private Spell-compatible API, a TLS-inspecting proxy), trusted in
 * addition to the JVM's own CAs, never instead of them. Errors name the field the file came from:
 * {@code ca-certificates}, {@code --ca-certificates} or {@code SSL_CERT_FILE}. Pure JDK.
 */
public final class TrustedCertificates {
    /** A CA bundle is a few hundred kilobytes at most (the whole Mozilla set is about 220 KB). */
    static final long MAX_BYTES = 4L << 20;
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private final String field;
    private final String option;
    private final Path file;
    private final List<X509Certificate> certificates;

    private TrustedCertificates(String field, String option, Path file, List<X509Certificate> certificates) {
        this.field = field;
        this.option = option;
        this.file = file;
        this.certificates = certificates;
    }

    /**
     * Only the JVM's CAs. {@code option} is how the front end lets a user add some (e.g. {@code ca-certificates}),
     * named in the hint when an API's certificate is not trusted.
     */
    public static TrustedCertificates jvmDefaults(String option) {
        Objects.requireNonNull(option, "option");
        return new TrustedCertificates(option, option, null, List.of());
    }

    /**
     * Reads every {@code -----BEGIN CERTIFICATE-----} block of {@code file}; text around the blocks (comments,
     * names) is ignored.
     *
     * @throws InvalidInputException naming {@code field} when the file is missing, unreadable, empty or holds no
     *         readable certificate
     */
    public static TrustedCertificates fromPemFile(Path file, String field) {
        Objects.requireNonNull(field, "field");
        String fix = "set " + field + " to a PEM file holding the CA certificate(s) to trust (-----BEGIN"
                + " CERTIFICATE----- blocks)";
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new InvalidInputException(field, "is a directory (" + file + "), not a file", fix);
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(field, "is larger than " + (MAX_BYTES >> 20) + " MiB (" + file
                        + "), which no CA bundle is", fix);
            }
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(field, "names a file that does not exist (" + file.toAbsolutePath()
                    + ")", fix + "; a relative path is resolved against the working directory");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(field, "names a file this job may not read (" + file + ")", fix);
        } catch (IOException e) {
            throw new InvalidInputException(field, "could not be read (" + file + ": " + e.getClass().getSimpleName()
                    + ")", fix);
        }
        if (text.isBlank()) {
            throw new InvalidInputException(field, "names an empty file (" + file + ")", fix);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JVM cannot read X.509 certificates", e);
        }
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                break;
            }
            int end = text.indexOf(END, begin);
            int number = certificates.size() + 1;
            if (end < 0) {
                throw new InvalidInputException(field, "has certificate number " + number + " without its " + END
                        + " line (" + file + ")", fix);
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new InvalidInputException(field, "has certificate number " + number + " that is not a readable"
                        + " X.509 certificate (" + file + ")", fix);
            }
            from = end + END.length();
        }
        if (certificates.isEmpty()) {
            throw new InvalidInputException(field, "holds no PEM certificate (" + file + ")", fix
                    + "; convert a binary (DER) one with `openssl x509 -inform der -in ca.der -out ca.pem`");
        }
        return new TrustedCertificates(field, field, file, List.copyOf(certificates));
    }

    /**
     * The same certificates, read from an ambient variable such as {@code SSL_CERT_FILE}, with {@code option} the front
     * end's own way to give another bundle instead, named in the hint when an API's certificate is not trusted.
     */
    public TrustedCertificates replaceableWith(String option) {
        return new TrustedCertificates(field, Objects.requireNonNull(option, "option"), file, certificates);
    }

    public boolean isEmpty() {
        return certificates.isEmpty();
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** The field the certificates came from, or the option that would add some when there are none. */
    public String field() {
        return field;
    }

    /** The bundle's path, or null for {@link #jvmDefaults}. */
    public Path file() {
        return file;
    }

    /** One line for the log. */
    public String describe() {
        return isEmpty() ? "" : "trusting " + certificates.size() + " CA certificate(s) from " + field + " (" + file
                + ") in addition to the JVM's";
    }

    /** What to do when an API's certificate chains to no trusted CA. */
    public String untrustedFix() {
        if (isEmpty()) {
            return "if the API, or a TLS-inspecting proxy on the way, uses a private CA, give that CA's certificate"
                    + " as a PEM file with " + field + " (or SSL_CERT_FILE)";
        }
        String check = "check that " + field + " (" + file + ") holds the CA that signed the API's certificate, or the"
                + " TLS-inspecting proxy's CA";
        if (option.equals(field)) {
            return check;
        }
        // SSL_CERT_FILE is set on many runners and images (often to the system bundle): name the way to replace it.
        return check + "; or give that CA as a PEM file with " + option + ", which is used instead of " + field;
    }

    /**
     * A trust manager that accepts chains to the JVM's default CAs or to this bundle's certificates, or null when
     * there is no bundle (the HTTP client's own default then applies unchanged).
     */
    public X509TrustManager trustManager() {
        if (isEmpty()) {
            return null;
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
                anchors.setCertificateEntry("jvm-" + i++, ca);
            }
            i = 0;
            for (X509Certificate ca : certificates) {
                anchors.setCertificateEntry("bundle-" + i++, ca);
            }
            return trustManagerFor(anchors);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not set up the trusted CAs: " + e, e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        return trustManagerFor(null);
    }

    private static X509TrustManager trustManagerFor(KeyStore anchors) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager in " + factory.getAlgorithm());
    }

    @Override
    public String toString() {
        return "TrustedCertificates[" + certificates.size() + " from " + field + "]";
    }
}

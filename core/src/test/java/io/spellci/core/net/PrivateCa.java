package io.spellci.core.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/** A private CA (in no JVM's trust store) and a server certificate it signed, for TLS test servers. */
public final class PrivateCa {
    private final HeldCertificate root;
    private final HeldCertificate server;

    /** A CA and a certificate for {@code hosts} (names or IP addresses). */
    public PrivateCa(String... hosts) {
        // A name of its own, as real CAs have: two test CAs of one name would make each other's chains look forged.
        root = new HeldCertificate.Builder().commonName("spell-ci test CA " + java.util.UUID.randomUUID())
                .certificateAuthority(0).build();
        HeldCertificate.Builder leaf = new HeldCertificate.Builder().commonName(hosts[0]).signedBy(root);
        for (String host : hosts) {
            leaf.addSubjectAlternativeName(host);
        }
        server = leaf.build();
    }

    /** The CA's certificate as PEM: what a user puts in ca-certificates. */
    public String caPem() {
        return root.certificatePem();
    }

    /** Writes {@link #caPem()}, after a comment line as bundles have, to {@code file}. */
    public Path writeCaPem(Path file) {
        try {
            return Files.writeString(file, "# spell-ci test CA\n" + caPem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SSLSocketFactory serverSocketFactory() {
        return new HandshakeCertificates.Builder().heldCertificate(server, root.certificate()).build()
                .sslSocketFactory();
    }

    /** Starts {@code server} with TLS on 127.0.0.1 and a free port. */
    public MockWebServer serve(MockWebServer mock) {
        mock.useHttps(serverSocketFactory());
        try {
            mock.start(java.net.InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mock;
    }
}

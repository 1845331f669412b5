package io.spellci.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustedCertificatesTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryCertificateOfABundleWithCommentsAndAddsThemToTheJvmsCas() throws Exception {
        PrivateCa one = new PrivateCa("api.spell.test");
        PrivateCa two = new PrivateCa("other.test");
        Path bundle = Files.writeString(dir.resolve("bundle.pem"), "Test CA one\n==========\n" + one.caPem()
                + "\n# two\n" + two.caPem(), StandardCharsets.US_ASCII);
        TrustedCertificates certificates = TrustedCertificates.fromPemFile(bundle, "ca-certificates");
        assertThat(certificates.certificates()).hasSize(2);
        assertThat(certificates.describe()).isEqualTo("trusting 2 CA certificate(s) from ca-certificates (" + bundle
                + ") in addition to the JVM's");
        X509TrustManager trust = certificates.trustManager();
        X509Certificate[] issuers = trust.getAcceptedIssuers();
        assertThat(Arrays.asList(issuers)).containsAll(certificates.certificates());
        assertThat(issuers.length).as("the JVM's own CAs are kept").isGreaterThan(certificates.certificates().size() + 10);
    }

    @Test
    void withoutABundleTheClientsDefaultStaysAndTheHintNamesTheOption() {
        TrustedCertificates none = TrustedCertificates.jvmDefaults("--ca-certificates");
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.trustManager()).isNull();
        assertThat(none.untrustedFix()).contains("--ca-certificates").contains("SSL_CERT_FILE");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty       | ''                                                         | an empty file",
        "blank       | '  \n\n'                                                   | an empty file",
        "not PEM     | 'just some text\n'                                         | holds no PEM certificate",
        "DER-ish     | '0\u0082\u0003'                                            | holds no PEM certificate",
        "bad base64  | '-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n' | number 1 that is not a readable",
        "not a cert  | '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' | number 1 that is not a readable",
        "unfinished  | '-----BEGIN CERTIFICATE-----\nAAAA\n'                      | without its -----END",
    })
    void unusableFilesNameTheField(String name, String content, String says) throws Exception {
        Path file = Files.writeString(dir.resolve(name.replace(' ', '-') + ".pem"), content, StandardCharsets.ISO_8859_1);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> TrustedCertificates.fromPemFile(file, "ca-certificates"));
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo("ca-certificates");
        assertThat(e.getMessage()).startsWith("ca-certificates ").contains(says).contains(file.toString());
    }

    @Test
    void aMissingFileOrADirectoryNamesTheField() {
        InvalidInputException missing = catchThrowableOfType(InvalidInputException.class,
                () -> TrustedCertificates.fromPemFile(dir.resolve("nope.pem"), "--ca-certificates"));
        assertThat(missing.getMessage()).startsWith("--ca-certificates names a file that does not exist")
                .contains("nope.pem");
        InvalidInputException directory = catchThrowableOfType(InvalidInputException.class,
                () -> TrustedCertificates.fromPemFile(dir, "SSL_CERT_FILE"));
        assertThat(directory.getMessage()).startsWith("SSL_CERT_FILE is a directory");
    }

    @Test
    void theExplicitBundleWinsOverSslCertFileWhichIsUsedOtherwise() {
        Path mine = new PrivateCa("a.test").writeCaPem(dir.resolve("mine.pem"));
        Path ambient = new PrivateCa("b.test").writeCaPem(dir.resolve("ambient.pem"));
        URI url = ApiUrl.of("https://api.spell.test").uri();
        Map<String, String> env = Map.of("SSL_CERT_FILE", ambient.toString());
        assertThat(NetworkSettings.fromEnvironment(env, url, mine.toString(), "ca-certificates").certificates().file())
                .isEqualTo(mine);
        NetworkSettings fromEnv = NetworkSettings.fromEnvironment(env, url, " ", "ca-certificates");
        assertThat(fromEnv.certificates().file()).isEqualTo(ambient);
        assertThat(fromEnv.certificates().field()).isEqualTo("SSL_CERT_FILE");
        assertThat(fromEnv.certificates().untrustedFix()).contains("SSL_CERT_FILE (" + ambient + ")")
                .contains("with ca-certificates, which is used instead of SSL_CERT_FILE");
        assertThat(fromEnv.describe(url)).containsExactly("Trusting 1 CA certificate(s) from SSL_CERT_FILE (" + ambient
                + ") in addition to the JVM's.");
        assertThat(NetworkSettings.fromEnvironment(Map.of("SSL_CERT_FILE", ""), url, "", "ca-certificates")
                .certificates().isEmpty()).isTrue();
        InvalidInputException broken = catchThrowableOfType(InvalidInputException.class,
                () -> NetworkSettings.fromEnvironment(Map.of("SSL_CERT_FILE", dir.resolve("gone.pem").toString()), url,
                        "", "ca-certificates"));
        assertThat(broken.field()).isEqualTo("SSL_CERT_FILE");
    }
}

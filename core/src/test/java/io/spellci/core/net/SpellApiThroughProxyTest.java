package io.spellci.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.SpellApiException.Kind;
import io.spellci.core.credentials.AccessToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SpellApi through a real (recording) CONNECT proxy to a TLS API whose certificate comes from a private CA. The API
 * host api.spell.test is never resolved: the proxy maps it to the mock API's loopback port, and the tests that go
 * direct give the client a Dns that knows only that name.
 */
class SpellApiThroughProxyTest {
    static final String SECRET = "spell-tok-proxy-5f4e3d2c1b0a99";
    static final AccessToken TOKEN = AccessToken.of(SECRET);
    static final String PASSWORD = "Pr0xy-s3cret:pass@word";
    static final String ENCODED_PASSWORD = "Pr0xy-s3cret%3Apass%40word";
    static final String USER_ALICE = "{\"user\": {\"user_name\": \"alice\", \"memberships\": []}}";
    static final String HOST = "api.spell.test";

    @TempDir
    Path dir;

    PrivateCa ca;
    Path bundle;
    MockWebServer api;
    RecordingProxy proxy;
    final List<SpellApi> clients = new ArrayList<>();
    final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        ca = new PrivateCa(HOST, "localhost", "127.0.0.1");
        bundle = ca.writeCaPem(dir.resolve("ca.pem"));
        api = ca.serve(new MockWebServer());
        api.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .body(USER_ALICE).build();
            }
        });
        proxy = new RecordingProxy().route(HOST + ":443", api.getPort());
    }

    @AfterEach
    void stop() throws IOException {
        clients.forEach(SpellApi::close);
        proxy.close();
        api.close();
    }

    SpellApi.Builder builder(String url, TrustedCertificates trust) {
        return SpellApi.builder().apiUrl(ApiUrl.of(url)).frontEnd("test")
                .retryPolicy(RetryPolicy.none()).callTimeout(Duration.ofSeconds(10))
                .proxy(ProxySettings.fromEnvironment(env, URI.create(url).getScheme()))
                .trustedCertificates(trust);
    }

    SpellApi client(String url, TrustedCertificates trust) {
        SpellApi client = builder(url, trust).build();
        clients.add(client);
        return client;
    }

    TrustedCertificates withBundle() {
        return TrustedCertificates.fromPemFile(bundle, "ca-certificates");
    }

    /** An OkHttp client that resolves only api.spell.test and 127.0.0.1, both to loopback: no lookup leaves. */
    static OkHttpClient loopbackDns() {
        return new OkHttpClient.Builder().dns(hostname -> {
            if (hostname.equals(HOST) || hostname.equals("127.0.0.1")) {
                return List.of(InetAddress.getLoopbackAddress());
            }
            throw new UnknownHostException("this test resolves no " + hostname);
        }).build();
    }

    SpellApiException failure(SpellApi client) {
        SpellApiException e = catchThrowableOfType(SpellApiException.class, () -> client.whoami(TOKEN));
        assertThat(e).as("expected a SpellApiException").isNotNull();
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET).doesNotContain(PASSWORD)
                    .doesNotContain(ENCODED_PASSWORD);
            assertThat(t.toString()).doesNotContain(SECRET).doesNotContain(PASSWORD);
        }
        return e;
    }

    /** Neither the proxy's request heads nor the bytes it relayed hold the token or the proxy password. */
    void assertProxySawNoSecret() {
        for (RecordingProxy.Exchange exchange : proxy.exchanges()) {
            assertThat(exchange.header("Authorization")).isNull();
            assertThat(exchange.headers().toString()).doesNotContain(SECRET);
        }
        String relayed = proxy.relayed();
        assertThat(relayed).doesNotContain(SECRET).doesNotContain(PASSWORD).doesNotContain("Proxy-Authorization")
                .doesNotContain(basic("ci@corp", PASSWORD));
    }

    static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void httpsCallsGoThroughTheProxyInATunnelAndTheTokenOnlyInsideTls() throws Exception {
        env.put("HTTPS_PROXY", proxy.url());
        assertThat(client("https://" + HOST, withBundle()).whoami(TOKEN).userName()).isEqualTo("alice");
        assertThat(proxy.tunnels()).containsExactly("CONNECT " + HOST + ":443 HTTP/1.1");
        RecordedRequest seen = api.takeRequest();
        assertThat(seen.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(seen.getHeaders().get("Proxy-Authorization")).isNull();
        assertThat(proxy.relayed()).as("TLS went through the tunnel").isNotEmpty();
        assertProxySawNoSecret();
    }

    @Test
    void proxyCredentialsGoOnlyToTheProxyAndAtOnce() throws Exception {
        proxy.requireCredentials("ci@corp", PASSWORD);
        env.put("https_proxy", "http://ci%40corp:" + ENCODED_PASSWORD + "@127.0.0.1:" + proxy.port());
        assertThat(client("https://" + HOST, withBundle()).whoami(TOKEN).userName()).isEqualTo("alice");
        assertThat(proxy.exchanges()).as("sent with the first CONNECT, not after a 407").hasSize(1);
        assertThat(proxy.exchanges().get(0).header("Proxy-Authorization")).isEqualTo("Basic " + basic("ci@corp", PASSWORD));
        RecordedRequest seen = api.takeRequest();
        assertThat(seen.getHeaders().get("Proxy-Authorization")).isNull();
        assertThat(seen.getHeaders().toString()).doesNotContain(basic("ci@corp", PASSWORD));
        assertProxySawNoSecret();
    }

    @Test
    void aProxyAskingForCredentialsThatWereNotGivenSaysWhereToPutThem() {
        proxy.requireCredentials("ci@corp", PASSWORD);
        env.put("HTTPS_PROXY", proxy.url());
        SpellApiException e = failure(client("https://" + HOST, withBundle()));
        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).contains("the proxy " + proxy.url() + " from HTTPS_PROXY requires a user name and"
                + " password (HTTP 407").contains("HTTPS_PROXY as http://USER:PASSWORD@127.0.0.1:" + proxy.port());
        assertThat(e.outcomeUnknown()).as("nothing reached the API").isFalse();
        assertThat(api.getRequestCount()).isZero();
        assertProxySawNoSecret();
    }

    @Test
    void wrongProxyCredentialsAreSentOnceAndReportedWithoutThem() {
        proxy.requireCredentials("ci@corp", "the-right-one");
        env.put("HTTPS_PROXY", "http://ci%40corp:" + ENCODED_PASSWORD + "@127.0.0.1:" + proxy.port());
        SpellApiException e = failure(client("https://" + HOST, withBundle()));
        assertThat(e.getMessage()).contains("refused the user name and password given there (HTTP 407");
        assertThat(proxy.exchanges()).as("no loop of refused credentials").hasSize(1);
        assertThat(api.getRequestCount()).isZero();
    }

    @Test
    void aProxyRefusingTheTunnelSaysWhatToFix() {
        env.put("HTTPS_PROXY", proxy.url());
        SpellApiException e = failure(client("https://" + HOST + ":8443", withBundle()));
        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).contains("the proxy " + proxy.url() + " from HTTPS_PROXY refused to open a tunnel"
                + " to " + HOST + ":8443 (HTTP 502 to CONNECT)").contains("NO_PROXY");
    }

    @Test
    void aRefusingProxyAndAnUntrustedCertificateAreNotRetried() {
        RetryPolicy four = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(20));
        env.put("HTTPS_PROXY", proxy.url());
        SpellApi refused = builder("https://" + HOST + ":8443", withBundle()).retryPolicy(four).build();
        clients.add(refused);
        assertThat(failure(refused).getMessage()).contains("refused to open a tunnel").doesNotContain("attempts");
        assertThat(proxy.exchanges()).as("one CONNECT: a refusal stays a refusal").hasSize(1);

        SpellApi untrusted = builder("https://" + HOST, TrustedCertificates.jvmDefaults("ca-certificates"))
                .retryPolicy(four).build();
        clients.add(untrusted);
        assertThat(failure(untrusted).getMessage()).contains("does not chain to a trusted CA").doesNotContain("attempts");
        assertThat(proxy.tunnels()).as("one more tunnel, one handshake").hasSize(1);
    }

    @Test
    void anUnreachableProxyIsNamedInTheError() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        env.put("https_proxy", "http://ci:" + ENCODED_PASSWORD + "@127.0.0.1:" + closed);
        SpellApiException e = failure(client("https://" + HOST, withBundle()));
        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).contains("via the proxy http://127.0.0.1:" + closed + " from https_proxy");
    }

    @Test
    void aPrivateCaIsRefusedWithoutTheBundleAndTheErrorNamesTheFix() {
        env.put("HTTPS_PROXY", proxy.url());
        SpellApiException e = failure(client("https://" + HOST, TrustedCertificates.jvmDefaults("ca-certificates")));
        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).contains("the TLS certificate of " + HOST + " does not chain to a trusted CA")
                .contains("ca-certificates").contains("SSL_CERT_FILE").contains("via the proxy " + proxy.url());
        assertThat(api.getRequestCount()).as("the token never left").isZero();
        assertProxySawNoSecret();
    }

    @Test
    void aBundleWithAnotherCaDoesNotHelpAndTheErrorSaysToCheckIt() {
        env.put("HTTPS_PROXY", proxy.url());
        Path other = new PrivateCa("other.test").writeCaPem(dir.resolve("other.pem"));
        SpellApiException e = failure(client("https://" + HOST, TrustedCertificates.fromPemFile(other, "--ca-certificates")));
        assertThat(e.getMessage()).contains("neither the JVM's nor one in --ca-certificates")
                .contains("check that --ca-certificates (" + other + ") holds the CA");
    }

    @Test
    void aCaOfTheSameNameWithAnotherKeyIsReportedAsUntrustedToo() throws Exception {
        HeldCertificate realCa = new HeldCertificate.Builder().commonName("Corp CA").certificateAuthority(0).build();
        HeldCertificate staleCa = new HeldCertificate.Builder().commonName("Corp CA").certificateAuthority(0).build();
        HeldCertificate leaf = new HeldCertificate.Builder().addSubjectAlternativeName(HOST).signedBy(realCa).build();
        try (MockWebServer server = new MockWebServer()) {
            server.useHttps(new HandshakeCertificates.Builder().heldCertificate(leaf, realCa.certificate()).build()
                    .sslSocketFactory());
            server.start(InetAddress.getLoopbackAddress(), 0);
            proxy.route(HOST + ":9443", server.getPort());
            env.put("HTTPS_PROXY", proxy.url());
            Path stale = java.nio.file.Files.writeString(dir.resolve("stale.pem"), staleCa.certificatePem());
            SpellApiException e = failure(client("https://" + HOST + ":9443",
                    TrustedCertificates.fromPemFile(stale, "ca-certificates")));
            assertThat(e.getMessage()).contains("does not chain to a trusted CA").contains("check that ca-certificates");
        }
    }

    @Test
    void aSelfSignedApiCertificateIsAcceptedOnlyWithItselfInTheBundle() throws Exception {
        HeldCertificate self = new HeldCertificate.Builder().commonName(HOST).addSubjectAlternativeName(HOST).build();
        try (MockWebServer selfSigned = new MockWebServer()) {
            selfSigned.useHttps(new HandshakeCertificates.Builder().heldCertificate(self).build().sslSocketFactory());
            selfSigned.start(InetAddress.getLoopbackAddress(), 0);
            selfSigned.enqueue(new MockResponse.Builder().code(200).body(USER_ALICE).build());
            proxy.route(HOST + ":9443", selfSigned.getPort());
            env.put("HTTPS_PROXY", proxy.url());
            String url = "https://" + HOST + ":9443";
            failure(client(url, TrustedCertificates.jvmDefaults("ca-certificates")));
            Path own = java.nio.file.Files.writeString(dir.resolve("self.pem"), self.certificatePem());
            assertThat(client(url, TrustedCertificates.fromPemFile(own, "ca-certificates")).whoami(TOKEN).userName())
                    .isEqualTo("alice");
        }
    }

    @ParameterizedTest(name = "NO_PROXY={0}")
    @ValueSource(strings = {HOST, "." + "spell.test", "spell.test", "*.spell.test", "*", "other.test, " + HOST,
        HOST + ":PORT", " " + HOST + " "})
    void noProxyHostsBypassTheProxy(String noProxy) throws Exception {
        env.put("HTTPS_PROXY", proxy.url());
        env.put("NO_PROXY", noProxy.replace("PORT", String.valueOf(api.getPort())));
        SpellApi direct = builder("https://" + HOST + ":" + api.getPort(), withBundle()).httpClient(loopbackDns()).build();
        clients.add(direct);
        assertThat(direct.whoami(TOKEN).userName()).isEqualTo("alice");
        assertThat(proxy.exchanges()).isEmpty();
        assertThat(api.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "NO_PROXY={0}")
    @ValueSource(strings = {"other.test", "pi.spell.test", HOST + ":1", "10.0.0.0/8", "127.0.0.1"})
    void otherNoProxyEntriesDoNotBypassIt(String noProxy) throws Exception {
        proxy.route(HOST + ":" + api.getPort(), api.getPort());
        env.put("HTTPS_PROXY", proxy.url());
        env.put("no_proxy", noProxy);
        SpellApi proxied = builder("https://" + HOST + ":" + api.getPort(), withBundle()).httpClient(loopbackDns()).build();
        clients.add(proxied);
        assertThat(proxied.whoami(TOKEN).userName()).isEqualTo("alice");
        assertThat(proxy.tunnels()).containsExactly("CONNECT " + HOST + ":" + api.getPort() + " HTTP/1.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void loopbackApiUrlsNeverGoThroughTheProxy(String host) throws Exception {
        env.put("HTTPS_PROXY", proxy.url());
        env.put("HTTP_PROXY", proxy.url());
        assertThat(client("https://" + host + ":" + api.getPort(), withBundle()).whoami(TOKEN).userName())
                .isEqualTo("alice");
        try (MockWebServer plain = new MockWebServer()) {
            plain.start(InetAddress.getLoopbackAddress(), 0);
            plain.enqueue(new MockResponse.Builder().code(200).body(USER_ALICE).build());
            assertThat(client("http://" + host + ":" + plain.getPort(), withBundle()).whoami(TOKEN).userName())
                    .isEqualTo("alice");
        }
        assertThat(proxy.exchanges()).isEmpty();
    }

    @Test
    void aServersBasicChallengeNeverGetsTheProxyCredentials() throws Exception {
        api.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Basic realm=\"spell\"")
                        .addHeader("Proxy-Authenticate", "Basic realm=\"spell\"").body("{\"error\": \"no\"}").build();
            }
        });
        proxy.requireCredentials("ci@corp", PASSWORD);
        env.put("HTTPS_PROXY", "http://ci%40corp:" + ENCODED_PASSWORD + "@127.0.0.1:" + proxy.port());
        SpellApiException e = failure(client("https://" + HOST, withBundle()));
        assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(api.getRequestCount()).as("not repeated with credentials").isEqualTo(1);
        RecordedRequest seen = api.takeRequest();
        assertThat(seen.getHeaders().get("Proxy-Authorization")).isNull();
        assertThat(seen.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
    }

    @Test
    void theSelectorUsesTheProxyOfItsSchemeForOtherHostsOnly() {
        ProxySettings http = ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", "proxy.example:8080",
                "NO_PROXY", "intranet.example"), "http");
        Proxy endpoint = new Proxy(Proxy.Type.HTTP, java.net.InetSocketAddress.createUnresolved("proxy.example", 8080));
        OkHttpNetwork.EnvironmentProxySelector selector = new OkHttpNetwork.EnvironmentProxySelector(http, endpoint);
        assertThat(selector.select(URI.create("http://spell.example/v1"))).containsExactly(endpoint);
        assertThat(selector.select(URI.create("http://intranet.example/v1"))).containsExactly(Proxy.NO_PROXY);
        assertThat(selector.select(URI.create("http://[::1]:8080/v1"))).containsExactly(Proxy.NO_PROXY);
    }
}

package io.spellci.action.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.testing.Runner;
import io.spellci.action.testing.StepRun;
import io.spellci.core.net.RecordingProxy;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The steps with proxy variables and the ca-certificates input (the proxied TLS path is in ActionJarIT). */
class NetworkStepsTest {
    static final String TOKEN = "net-secret-token-0123456789abcdef";
    static final String PASSWORD = "step-proxy-Passw0rd";

    @TempDir
    Path dir;

    FakeSpellApi fake;
    RecordingProxy proxy;
    Runner runner;

    @BeforeEach
    void start() throws Exception {
        fake = FakeSpellApi.builder().user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN).start();
        proxy = new RecordingProxy();
        runner = new Runner(dir).input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .input("timeout-seconds", "5");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        fake.close();
    }

    @Test
    void aLoopbackApiIsReachedDirectlyWhateverTheProxyAndTheLogSaysSo() {
        StepRun run = runner.env("HTTP_PROXY", proxy.url()).env("HTTPS_PROXY", proxy.url()).main();
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        assertThat(run.stdout()).contains("Reaching the API directly, as 127.0.0.1 is a loopback host (never proxied).");
        assertThat(proxy.exchanges()).isEmpty();
        assertThat(fake.requests()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "HTTP_PROXY  | socks5://u:" + PASSWORD + "@proxy.example:1080 | SOCKS",
        "http_proxy  | http://u:" + PASSWORD + "@proxy.example:notaport | port",
        "HTTP_PROXY  | https://proxy.example:3128                       | https://"})
    void aMalformedProxyVariableFailsTheValidatingStepNamingIt(String variable, String value, String says) {
        StepRun run = runner.env(variable, value).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors()).hasSize(1);
        assertThat(run.log().errors().get(0).title()).isEqualTo("Invalid environment variable: " + variable);
        assertThat(run.log().errors().get(0).message()).startsWith(variable + " ").contains(says);
        assertThat(run.rawEnv()).isEmpty();
        assertThat(fake.requests()).isEmpty();
        run.assertNoLeak(TOKEN);
        run.assertNoLeak(PASSWORD);
    }

    @Test
    void aMalformedProxyVariableDoesNotMatterWithoutACall() {
        StepRun run = runner.input("validate", "false").env("HTTP_PROXY", "socks5://u:" + PASSWORD + "@x:1")
                .env("HTTPS_PROXY", "socks5://u:" + PASSWORD + "@x:1").main();
        assertThat(run.exitCode()).isZero();
        assertThat(run.env()).containsKey("SPELL_TOKEN");
        run.assertNoLeak(PASSWORD);
    }

    @Test
    void anHttpsProxyIsNotUsedForAnHttpApiSoItsMistakesDoNotCount() {
        StepRun run = runner.env("HTTPS_PROXY", "socks5://u:" + PASSWORD + "@x:1").main();
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        run.assertNoLeak(PASSWORD);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing  | | names a file that does not exist",
        "empty    | '' | names an empty file",
        "not PEM  | 'hello\n' | holds no PEM certificate"})
    void anUnusableCaBundleIsAnInvalidInput(String name, String content, String says) throws Exception {
        Path file = dir.resolve(name.replace(' ', '-') + ".pem");
        if (content != null) {
            Files.writeString(file, content);
        }
        StepRun run = runner.input("ca-certificates", file.toString()).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).title()).isEqualTo("Invalid input: ca-certificates");
        assertThat(run.log().errors().get(0).message()).startsWith("ca-certificates " + says);
        assertThat(fake.requests()).isEmpty();
        assertThat(run.summary()).contains("Failed");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void anUnusableSslCertFileIsNamedAsSuchForAnHttpsApiAndNotReadForPlainHttp() {
        // Refused before any connection is made, so the made-up host is never looked up.
        StepRun https = runner.env("SSL_CERT_FILE", dir.resolve("gone.pem").toString())
                .input("api-url", "https://api.spell.test").main();
        assertThat(https.exitCode()).isOne();
        assertThat(https.log().errors().get(0).title()).isEqualTo("Invalid environment variable: SSL_CERT_FILE");
        https.assertNoLeak(TOKEN);

        // Plain http (loopback) has no certificates to check: the variable, often the system bundle, is not read.
        StepRun http = runner.input("api-url", fake.url()).main();
        assertThat(http.exitCode()).as(http.stdout()).isZero();
    }

    @Test
    void theTokenPastedIntoCaCertificatesIsRefusedUnshown() {
        StepRun run = runner.input("ca-certificates", TOKEN).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).title()).isEqualTo("Invalid input: ca-certificates");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void postWithABrokenBundleWarnsAndKeepsTheNameForTheUser() {
        StepRun main = runner.input("ephemeral", "true").main();
        assertThat(main.exitCode()).isZero();
        String name = main.state().get("token_name");
        runner.input("ca-certificates", dir.resolve("gone.pem").toString());
        StepRun post = runner.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().warnings().get(0).message()).contains("ca-certificates names a file that does not exist")
                .contains("spell access-tokens delete " + name);
        assertThat(fake.tokenNames("alice")).contains(name);
        post.assertNoLeak(TOKEN);
    }
}

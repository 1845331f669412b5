package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.testing.RunnerLog;
import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real jar, started as the runner starts it, against the fake API; files read with the runner's rules. */
class ActionJarIT {
    static final String TOKEN = "it-secret-token-abcdef0123456789";

    @TempDir
    Path dir;

    FakeSpellApi fake;
    Jar.Steps steps;

    @BeforeEach
    void start() {
        Jar.assertJarBuilt();
        fake = FakeSpellApi.builder()
                .user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN)
                .start();
        steps = new Jar.Steps(dir).input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .input("validate", "true").input("ephemeral", "false").input("export-env", "true")
                .input("timeout-seconds", "10");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    static Stream<Arguments> goodInputs() {
        return Stream.of(
                Arguments.of("defaults", Map.of(), 4, true),
                Arguments.of("no validation", Map.of("validate", "false"), 4, false),
                Arguments.of("True/FALSE spellings", Map.of("validate", "True", "export-env", "TRUE"), 4, true),
                Arguments.of("padded values", Map.of("token", "  " + TOKEN + "\n", "owner", " acme "), 4, true),
                Arguments.of("own user name as owner", Map.of("owner", "alice"), 4, true),
                Arguments.of("export-env false", Map.of("export-env", "false"), 0, true),
                Arguments.of("blank optional inputs take defaults", Map.of("validate", "", "ephemeral", " "), 4, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodInputs")
    void goodInputsExport(String name, Map<String, String> inputs, int variables, boolean validated) {
        inputs.forEach(steps::input);
        StepRun run = steps.main();
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.log().firstMaskLine()).isZero();
        assertThat(run.log().errors()).isEmpty();
        assertThat(run.env()).hasSize(variables);
        if (variables > 0) {
            assertThat(run.env()).containsEntry("SPELL_TOKEN", TOKEN)
                    .containsEntry("SPELL_OWNER", inputs.getOrDefault("owner", "acme").strip())
                    .containsEntry("SPELL_API_URL", fake.url()).containsEntry("SPELL_BASE_URL", fake.url());
        }
        assertThat(run.outputs()).containsKeys("owner", "api-url");
        assertThat(run.outputs().containsKey("user-name")).isEqualTo(validated);
        assertThat(fake.requests().isEmpty()).isEqualTo(!validated);
        run.assertNoLeak(TOKEN);
    }

    @Test
    void defaultApiUrlIsExportedToo() {
        StepRun run = steps.input("api-url", "https://api.spell.run").input("validate", "false").main(); // as omitted
        assertThat(run.exitCode()).isZero();
        assertThat(run.env()).containsOnlyKeys("SPELL_TOKEN", "SPELL_OWNER", "SPELL_BASE_URL", "SPELL_API_URL")
                .containsEntry("SPELL_BASE_URL", "https://api.spell.run")
                .containsEntry("SPELL_API_URL", "https://api.spell.run");
        assertThat(run.outputs()).containsEntry("api-url", "https://api.spell.run");
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(Map.of("token", ""), "Invalid input: token"),
                Arguments.of(Map.of("token", "two words"), "Invalid input: token"),
                Arguments.of(Map.of("token", "line\nbreak"), "Invalid input: token"),
                Arguments.of(Map.of("owner", ""), "Invalid input: owner"),
                Arguments.of(Map.of("owner", "acme/ml"), "Invalid input: owner"),
                Arguments.of(Map.of("owner", "a b"), "Invalid input: owner"),
                Arguments.of(Map.of("owner", TOKEN), "Invalid input: owner"),
                Arguments.of(Map.of("api-url", "ftp://example.com"), "Invalid input: api-url"),
                Arguments.of(Map.of("api-url", ""), "Invalid input: api-url"),
                Arguments.of(Map.of("api-url", "http://spell.example.com"), "Invalid input: api-url"),
                Arguments.of(Map.of("validate", "yes"), "Invalid input: validate"),
                Arguments.of(Map.of("ephemeral", "1"), "Invalid input: ephemeral"),
                Arguments.of(Map.of("export-env", "no"), "Invalid input: export-env"),
                Arguments.of(Map.of("timeout-seconds", "0"), "Invalid input: timeout-seconds"),
                Arguments.of(Map.of("timeout-seconds", "ten"), "Invalid input: timeout-seconds"),
                Arguments.of(Map.of("validate", TOKEN), "Invalid input: validate"),
                Arguments.of(Map.of("api-url", "https://" + TOKEN + ".example.com"), "Invalid input: api-url"),
                Arguments.of(Map.of("token", "wrong-token-xyz-123"), "Spell token rejected"),
                Arguments.of(Map.of("owner", "globex"), "Owner not allowed for this token"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badInputs")
    void badInputsFailWithoutLeaking(Map<String, String> inputs, String title) {
        inputs.forEach(steps::input);
        StepRun run = steps.main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors()).extracting(RunnerLog.Annotation::title).contains(title);
        assertThat(run.rawEnv()).isEmpty();
        assertThat(run.summary()).contains("Failed");
        run.assertNoLeak(TOKEN);
        run.assertNoLeak(inputs.get("token"));
    }

    @Test
    void unauthorizedOnForkPullRequestGivesTheForkHint() {
        StepRun run = steps.input("token", "wrong-token-xyz-123").env("GITHUB_EVENT_NAME", "pull_request").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).message()).contains("401").contains("forks");
        run.assertNoLeak("wrong-token-xyz-123");
    }

    @Test
    void rateLimitedThenSuccess() {
        fake.failNext(2, 429, null, "0");
        StepRun run = steps.main();
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        assertThat(run.outputs()).containsEntry("user-name", "alice");
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void anApiRestartIsWaitedOutWithinTimeoutSeconds() {
        // Fifty 503s (a restart; Retry-After 0 keeps the test quick): the step retries until timeout-seconds.
        fake.failNext(50, 503, null, "0");
        StepRun run = steps.input("timeout-seconds", "600").main();
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        assertThat(run.outputs()).containsEntry("user-name", "alice");
        assertThat(fake.requests()).hasSize(51);
        run.assertNoLeak(TOKEN);
    }

    @Test
    void serviceUnavailableUntilTheDeadline() {
        fake.failNext(10_000, 503);
        StepRun run = steps.input("timeout-seconds", "2").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).title()).isIn("Spell API unavailable", "Spell API timed out");
        assertThat(run.rawEnv()).isEmpty();
        run.assertNoLeak(TOKEN);
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StepRun run = steps.input("api-url", "http://127.0.0.1:" + port).input("timeout-seconds", "3").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).title()).isIn("Spell API unreachable", "Spell API timed out");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void droppedConnectionThenSuccess() {
        fake.dropNext(1);
        StepRun run = steps.main();
        assertThat(run.exitCode()).as(run.stdout()).isZero();
    }

    @Test
    void ephemeralCreateAndDelete() {
        StepRun main = steps.input("ephemeral", "true").main();
        assertThat(main.exitCode()).as(main.stdout()).isZero();
        String name = main.state().get("token_name");
        String perJob = main.env().get("SPELL_TOKEN");
        assertThat(name).startsWith("ci-gha-acme-ml-4242-1-");
        assertThat(perJob).isNotEqualTo(TOKEN);
        assertThat(fake.hasToken(perJob)).isTrue();
        assertThat(main.log().masks()).containsExactly(TOKEN, perJob);
        assertThat(main.outputs()).containsEntry("token-name", name).doesNotContainValue(perJob);
        main.assertNoLeak(TOKEN);
        main.assertNoLeak(perJob);

        StepRun post = steps.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().warnings()).isEmpty();
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        post.assertNoLeak(TOKEN);
        post.assertNoLeak(perJob);
    }

    @Test
    void ephemeralDeleteThatFailsIsAWarning() {
        StepRun main = steps.input("ephemeral", "true").input("timeout-seconds", "2").main();
        assertThat(main.exitCode()).isZero();
        String name = main.state().get("token_name");
        fake.failNext(10_000, 503);
        StepRun post = steps.post(main);
        fake.resetFaults();
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().errors()).isEmpty();
        assertThat(post.log().warnings()).isNotEmpty();
        assertThat(post.log().warnings().get(0).message()).contains(name).contains("spell access-tokens delete");
        assertThat(fake.tokenNames("alice")).contains(name);
        post.assertNoLeak(TOKEN);
        post.assertNoLeak(main.env().get("SPELL_TOKEN"));
    }

    @Test
    void ephemeralCreateRejected() {
        StepRun main = steps.input("ephemeral", "true").input("validate", "false").input("token", "unknown-token-99")
                .main();
        assertThat(main.exitCode()).isOne();
        assertThat(main.state()).isEmpty();
        main.assertNoLeak("unknown-token-99");
        StepRun post = steps.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(post.stdout()).contains("nothing to clean up");
    }

    @Test
    void postWithoutEphemeralDoesNothing() {
        StepRun main = steps.main();
        fake.clearRequests();
        StepRun post = steps.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(post.stdout().strip()).isEqualTo("::add-mask::" + TOKEN
                + "\nspell-ci post: no per-job token was created, nothing to clean up.");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void perJobTokensWorkEveryTimeAgainstServersThatCloseAfterEachAnswer() {
        for (FakeSpellApi.ConnectionMode mode : List.of(FakeSpellApi.ConnectionMode.HTTP_1_0,
                FakeSpellApi.ConnectionMode.CLOSE)) {
            fake.connectionMode(mode);
            for (int job = 0; job < 3; job++) {
                StepRun main = steps.input("ephemeral", "true").env("GITHUB_RUN_ID", mode + "-" + job).main();
                assertThat(main.exitCode()).as(mode + ": " + main.stdout()).isZero();
                StepRun post = steps.post(main);
                assertThat(post.exitCode()).isZero();
                assertThat(post.log().warnings()).as(mode + ": " + post.stdout()).isEmpty();
                main.assertNoLeak(TOKEN);
            }
        }
        // Every per-job token was deleted by its post step; no request was dropped or retried.
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(fake.requests()).extracting(r -> r.status()).allMatch(status -> status >= 200 && status < 300);
    }

    @Test
    void aPerJobTokenWhoseCreateAnswerWasLostAndWhoseCleanUpFailedIsNamedInAWarning() {
        fake.dropAfterNext(1, "POST"); // made, but the answer is lost
        fake.failNextOf(10_000, 500, "DELETE"); // and its clean-up fails until its deadline
        StepRun run = steps.input("ephemeral", "true").input("timeout-seconds", "2").main();

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        List<String> perJob = fake.tokenNames("alice").stream().filter(n -> !n.equals("ci")).toList();
        assertThat(perJob).hasSize(2);
        String lost = perJob.stream().filter(n -> !n.equals(run.outputs().get("token-name"))).findFirst().orElseThrow();
        assertThat(run.log().warnings()).anySatisfy(w -> {
            assertThat(w.title()).isEqualTo("Per-job token may be left alive");
            assertThat(w.message()).contains(lost).contains("spell access-tokens delete " + lost);
        });
        // Each name was in the log before its create went out.
        assertThat(run.stdout()).contains("Creating the per-job token " + lost)
                .contains("Creating the per-job token " + run.outputs().get("token-name"));
        run.assertNoLeak(TOKEN);
    }

    static final String PROXY_PASSWORD = "jar-proxy-Passw0rd!";

    @Test
    void throughAProxyWithCredentialsToAnApiOfAPrivateCa() throws Exception {
        try (ProxiedApi api = new ProxiedApi(TOKEN)) {
            api.proxy.requireCredentials("ci-bot", PROXY_PASSWORD);
            Path bundle = api.writeBundle(dir.resolve("corp-ca.pem"));
            StepRun run = steps.input("api-url", ProxiedApi.URL).input("ca-certificates", bundle.toString())
                    .env("https_proxy", "http://ci-bot:" + PROXY_PASSWORD.replace("!", "%21") + "@127.0.0.1:"
                            + api.proxy.port())
                    .env("NO_PROXY", "localhost,.internal.example").main();
            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
            assertThat(run.outputs()).containsEntry("user-name", "alice");
            assertThat(run.stdout()).contains("Reaching the API via the proxy http://127.0.0.1:" + api.proxy.port()
                    + " from https_proxy").contains("Trusting 1 CA certificate(s) from ca-certificates");
            assertThat(api.proxy.tunnels()).containsExactly("CONNECT api.spell.test:443 HTTP/1.1");
            assertThat(api.requests).hasSize(1);
            assertThat(api.requests.get(0).getHeaders().get("Proxy-Authorization")).isNull();
            assertThat(api.proxy.relayed()).doesNotContain(TOKEN).doesNotContain(PROXY_PASSWORD);
            run.assertNoLeak(TOKEN);
            run.assertNoLeak(PROXY_PASSWORD);
        }
    }

    @Test
    void aRelativeCaBundleIsReadFromTheStepsDirectoryTheLauncherPassesOn() throws Exception {
        // As on Windows, where the launcher starts Java in the jar's folder: the step's folder comes in the environment.
        try (ProxiedApi api = new ProxiedApi(TOKEN)) {
            api.writeBundle(dir.resolve("corp-ca.pem"));
            assertThat(Path.of("corp-ca.pem")).doesNotExist();
            StepRun run = steps.input("api-url", ProxiedApi.URL).input("ca-certificates", "corp-ca.pem")
                    .env("SPELL_CI_WORKING_DIRECTORY", dir.toString())
                    .env("HTTPS_PROXY", "http://127.0.0.1:" + api.proxy.port()).main();
            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
            assertThat(run.stdout()).contains("Trusting 1 CA certificate(s) from ca-certificates");
            assertThat(api.requests).hasSize(1);
            run.assertNoLeak(TOKEN);
        }
    }

    @Test
    void aPrivateCaWithoutTheBundleFailsNamingTheInput() throws Exception {
        try (ProxiedApi api = new ProxiedApi(TOKEN)) {
            String proxyUrl = "http://ci-bot:" + PROXY_PASSWORD.replace("!", "%21") + "@127.0.0.1:" + api.proxy.port();
            StepRun run = steps.input("api-url", ProxiedApi.URL).input("timeout-seconds", "3")
                    .env("HTTPS_PROXY", proxyUrl).main();
            assertThat(run.exitCode()).isOne();
            RunnerLog.Annotation error = run.log().errors().get(0);
            assertThat(error.title()).isEqualTo("Spell API unreachable");
            assertThat(error.message()).contains("does not chain to a trusted CA").contains("ca-certificates")
                    .contains("SSL_CERT_FILE").contains("via the proxy http://127.0.0.1:" + api.proxy.port());
            assertThat(api.requests).isEmpty();
            assertThat(run.rawEnv()).isEmpty();
            run.assertNoLeak(TOKEN);
            run.assertNoLeak(PROXY_PASSWORD);
        }
    }

    @Test
    void commonPathLoadsNoHttpJsonKotlinOrPicocli() {
        steps.input("validate", "false");
        // Not read without a call to the API: neither fails the step nor loads the network classes.
        steps.env("HTTPS_PROXY", "socks5://u:" + PROXY_PASSWORD + "@nowhere").env("SSL_CERT_FILE", "/nonexistent.pem")
                .input("ca-certificates", "/nonexistent/ca.pem");
        StepRun plain = steps.main();
        assertThat(plain.exitCode()).isZero();
        plain.assertNoLeak(PROXY_PASSWORD);
        Jar.Result traced = Jar.exec(java.util.List.of(Jar.JAVA.toString(), "-Xlog:class+load=info", "-jar",
                Jar.JAR.toString(), "github", "main"), withFiles(), null);
        assertThat(traced.exitCode()).isZero();
        assertThat(traced.stdout()).contains("io.spellci.action.github.MainStep")
                .doesNotContain("okhttp3.").doesNotContain("com.fasterxml.").doesNotContain("kotlin.")
                .doesNotContain("picocli.").doesNotContain("CoreSpellService").doesNotContain("io.spellci.core.net.");
    }

    @Test
    void validationLoadsTheHttpClient() {
        Jar.Result traced = Jar.exec(java.util.List.of(Jar.JAVA.toString(), "-Xlog:class+load=info", "-jar",
                Jar.JAR.toString(), "github", "main"), withFiles(), null);
        assertThat(traced.exitCode()).isZero();
        assertThat(traced.stdout()).contains("okhttp3.").doesNotContain("picocli.");
    }

    private Map<String, String> withFiles() {
        Map<String, String> env = new java.util.LinkedHashMap<>(steps.environment());
        try {
            env.put("GITHUB_ENV", java.nio.file.Files.createTempFile(dir, "env", "").toString());
            env.put("GITHUB_OUTPUT", java.nio.file.Files.createTempFile(dir, "out", "").toString());
            env.put("GITHUB_STATE", java.nio.file.Files.createTempFile(dir, "state", "").toString());
            env.put("GITHUB_STEP_SUMMARY", java.nio.file.Files.createTempFile(dir, "sum", "").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return env;
    }
}

package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar as a command-line tool. */
class CliJarIT {
    static final String TOKEN = "cli-jar-secret-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void versionAndHelp() {
        Jar.Result version = Jar.run(Jar.baseEnv(), null, "--version");
        assertThat(version.exitCode()).isZero();
        // The version the jar was built with (999999-SNAPSHOT on main, the tag's version in a release).
        assertThat(version.stdout()).startsWith("spell-ci " + builtVersion() + "\n");
        Jar.Result help = Jar.run(Jar.baseEnv(), null, "github", "main", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Usage: spell-ci github main");
    }

    @Test
    void envWithTokenFromStdinValidated() {
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("alice", "a@example.com", "acme"))
                .token("alice", "ci", TOKEN).start()) {
            Jar.Result r = Jar.run(Jar.baseEnv(), TOKEN + "\n", "env", "--owner", "acme", "--token-stdin",
                    "--validate", "--api-url", fake.url());
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("export SPELL_TOKEN='" + TOKEN + "'").contains("export SPELL_OWNER='acme'");
            assertThat(r.stderr()).doesNotContain(TOKEN);
        }
    }

    @Test
    void envWritesUtf8WhateverThePlatformCharset() {
        Map<String, String> env = Jar.baseEnv();
        env.put("SPELL_TOKEN", TOKEN);
        // As under LANG=C on Java 17 (or a Windows code page): System.out would write 'é' as '?'.
        Jar.Result r = Jar.exec(List.of(Jar.JAVA.toString(), "-Dfile.encoding=US-ASCII", "-Dsun.stdout.encoding=US-ASCII",
                "-Dsun.stderr.encoding=US-ASCII", "-jar", Jar.JAR.toString(), "env", "--owner", "acmé",
                "--format", "github"), env, null);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(io.spellci.action.testing.RunnerFiles.parse(r.stdout())).containsEntry("SPELL_OWNER", "acmé");
    }

    @Test
    void envRejectedTokenExitsOneWithoutLeaking() {
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("alice", "a@example.com", "acme")).start()) {
            Map<String, String> env = Jar.baseEnv();
            env.put("SPELL_TOKEN", TOKEN);
            Jar.Result r = Jar.run(env, null, "env", "--owner", "acme", "--validate", "--api-url", fake.url());
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).contains("401").doesNotContain(TOKEN);
        }
    }

    @Test
    void envEphemeralAgainstAnHttp10ServerWorksAndALostCreateIsNamedOnStderr() {
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("alice", "a@example.com", "acme"))
                .token("alice", "ci", TOKEN).connectionMode(FakeSpellApi.ConnectionMode.HTTP_1_0).start()) {
            Map<String, String> env = Jar.baseEnv();
            env.put("SPELL_TOKEN", TOKEN);
            Jar.Result ok = Jar.run(env, null, "env", "--owner", "acme", "--validate", "--ephemeral",
                    "--api-url", fake.url());
            assertThat(ok.exitCode()).as(ok.stderr()).isZero();
            assertThat(ok.stderr()).contains("spell-ci: creating the per-job token ci-cli-").doesNotContain("warning");

            fake.dropAfterNext(1, "POST");
            fake.failNextOf(10_000, 500, "DELETE");
            Jar.Result warned = Jar.run(env, null, "env", "--owner", "acme", "--ephemeral", "--api-url", fake.url(),
                    "--timeout", "2");
            assertThat(warned.exitCode()).as(warned.stderr()).isZero();
            // Two creates, each named before it went out; the first one's answer was lost and it is still there.
            List<String> made = java.util.regex.Pattern.compile("creating the per-job token (\\S+)")
                    .matcher(warned.stderr()).results().map(m -> m.group(1)).toList();
            assertThat(made).hasSize(2);
            assertThat(fake.tokenNames("alice")).contains(made.get(0), made.get(1));
            assertThat(warned.stderr()).contains("warning: the per-job token " + made.get(0) + " may be left alive")
                    .contains("spell-ci revoke --name " + made.get(0));
            assertThat(ok.stderr() + warned.stderr()).doesNotContain(TOKEN);
        }
    }

    @Test
    void checkWaitsOutAnApiRestartWithinItsTimeout() {
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("alice", "a@example.com", "acme"))
                .token("alice", "ci", TOKEN).start()) {
            Map<String, String> env = Jar.baseEnv();
            env.put("SPELL_TOKEN", TOKEN);
            fake.failNext(50, 503, null, "0"); // fifty 503s; Retry-After 0 keeps the test quick
            Jar.Result r = Jar.run(env, null, "check", "--owner", "acme", "--api-url", fake.url(), "--timeout", "600");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(fake.requests()).hasSize(51);
            assertThat(r.stdout() + r.stderr()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aSweepSaysWhyEachDeleteFailedAndExitsOneForARefusalAndThreeForTryAgain() {
        java.time.Instant old = java.time.Instant.now().minus(java.time.Duration.ofDays(6));
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("alice", "a@example.com", "acme"))
                .token("alice", "ci", TOKEN).token("alice", "ci-cli-x-1-tmp-abcd1234", "left-over-value-0123456789", old)
                .start()) {
            Map<String, String> env = Jar.baseEnv();
            env.put("SPELL_TOKEN", TOKEN);
            fake.failNextOf(10_000, 403, "DELETE");
            Jar.Result refused = Jar.run(env, null, "revoke", "--sweep", "--prefix", "ci-cli", "--api-url", fake.url());
            assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(1);
            assertThat(refused.stderr()).contains("could not delete ci-cli-x-1-tmp-abcd1234: ", "HTTP 403",
                    "running it again will not help").doesNotContain("again later");

            fake.resetFaults();
            fake.failNextOf(10_000, 500, "DELETE");
            Jar.Result later = Jar.run(env, null, "tokens", "sweep", "--prefix", "ci-cli", "--api-url", fake.url(),
                    "--timeout", "1");
            assertThat(later.exitCode()).as(later.stderr()).isEqualTo(3);
            assertThat(later.stderr()).contains("could not delete ci-cli-x-1-tmp-abcd1234: ", "HTTP 500",
                    "run the sweep again later");
            assertThat(refused.stdout() + refused.stderr() + later.stdout() + later.stderr()).doesNotContain(TOKEN);
        }
    }

    @Test
    void revokeOfANameThatIsNotThereSaysSo() {
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("alice", "a@example.com", "acme"))
                .token("alice", "ci", TOKEN).token("alice", "ci-cli-x-2-tmp-efgh5678", "per-job-value-0123456789").start()) {
            Map<String, String> env = Jar.baseEnv();
            env.put("SPELL_TOKEN", TOKEN);
            Jar.Result missing = Jar.run(env, null, "revoke", "--name", "ci-cli-x-1-tmp-abcd1234", "--api-url", fake.url());
            assertThat(missing.exitCode()).as(missing.stderr()).isZero();
            assertThat(missing.stdout()).contains("No token named ci-cli-x-1-tmp-abcd1234").doesNotContain("Deleted");
            Jar.Result there = Jar.run(env, null, "revoke", "--name", "ci-cli-x-2-tmp-efgh5678", "--api-url", fake.url());
            assertThat(there.exitCode()).as(there.stderr()).isZero();
            assertThat(there.stdout()).contains("Deleted ci-cli-x-2-tmp-efgh5678");
            assertThat(fake.tokenNames("alice")).containsExactly("ci");
            assertThat(missing.stdout() + missing.stderr() + there.stdout() + there.stderr()).doesNotContain(TOKEN);
        }
    }

    static final String PROXY_PASSWORD = "cli-proxy-Passw0rd";

    @Test
    void checkThroughAProxyWithTheCaBundleOption() throws Exception {
        try (ProxiedApi api = new ProxiedApi(TOKEN)) {
            api.proxy.requireCredentials("ci", PROXY_PASSWORD);
            Path bundle = api.writeBundle(dir.resolve("ca.pem"));
            Map<String, String> env = Jar.baseEnv();
            env.put("SPELL_TOKEN", TOKEN);
            env.put("HTTPS_PROXY", "http://ci:" + PROXY_PASSWORD + "@127.0.0.1:" + api.proxy.port());
            Jar.Result r = Jar.run(env, null, "check", "--api-url", ProxiedApi.URL, "--owner", "acme",
                    "--ca-certificates", bundle.toString());
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("user alice").contains("Owner acme: allowed");
            assertThat(r.stderr()).contains("via the proxy http://127.0.0.1:" + api.proxy.port() + " from HTTPS_PROXY");
            assertThat(api.proxy.tunnels()).containsExactly("CONNECT api.spell.test:443 HTTP/1.1");
            assertThat(api.proxy.relayed()).doesNotContain(TOKEN).doesNotContain(PROXY_PASSWORD);
            assertThat(r.stdout() + r.stderr()).doesNotContain(TOKEN).doesNotContain(PROXY_PASSWORD);
        }
    }

    @Test
    void envValidatesThroughAProxyWithSslCertFileAndFailsWithoutIt() throws Exception {
        try (ProxiedApi api = new ProxiedApi(TOKEN)) {
            Map<String, String> env = Jar.baseEnv();
            env.put("SPELL_TOKEN", TOKEN);
            env.put("https_proxy", api.proxy.url());
            Jar.Result refused = Jar.run(env, null, "env", "--owner", "acme", "--validate", "--timeout", "3",
                    "--api-url", ProxiedApi.URL);
            assertThat(refused.exitCode()).isEqualTo(3);
            assertThat(refused.stdout()).isEmpty();
            assertThat(refused.stderr()).contains("does not chain to a trusted CA").contains("--ca-certificates")
                    .contains("SSL_CERT_FILE").doesNotContain(TOKEN);
            assertThat(api.requests).isEmpty();

            env.put("SSL_CERT_FILE", api.writeBundle(dir.resolve("ca.pem")).toString());
            Jar.Result r = Jar.run(env, null, "env", "--owner", "acme", "--validate", "--api-url", ProxiedApi.URL);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("export SPELL_TOKEN='" + TOKEN + "'");
            assertThat(r.stderr()).contains("from SSL_CERT_FILE").contains("token OK: user alice").doesNotContain(TOKEN);
            assertThat(api.requests).hasSize(1);
        }
    }

    @Test
    void fakeApiRunsUntilKilledAndPrintsItsUrl() throws Exception {
        Path config = dir.resolve("fake.json");
        Files.writeString(config, "{\"users\": [{\"user_name\": \"ci-bot\", \"organizations\": [\"acme\"],"
                + " \"tokens\": [{\"name\": \"ci\", \"value\": \"" + TOKEN + "\"}]}]}");
        ProcessBuilder pb = new ProcessBuilder(Jar.JAVA.toString(), "-jar", Jar.JAR.toString(), "fake-api",
                "--config", config.toString());
        pb.environment().clear();
        pb.environment().putAll(Jar.baseEnv());
        Process p = pb.start();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = reader.readLine();
            assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url + "/v1/users/me")).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("ci-bot");

            Map<String, String> env = Jar.baseEnv();
            env.put("SPELL_TOKEN", TOKEN);
            Jar.Result check = Jar.run(env, null, "check", "--api-url", url, "--owner", "acme");
            assertThat(check.exitCode()).as(check.stderr()).isZero();
            assertThat(check.stdout()).contains("user ci-bot").contains("Owner acme: allowed");
            assertThat(p.isAlive()).isTrue();
        } finally {
            p.destroy();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void fakeApiWithoutConfigServesTheDemoUser() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Jar.JAVA.toString(), "-jar", Jar.JAR.toString(), "fake-api",
                "--url-file", dir.resolve("url").toString());
        pb.environment().clear();
        pb.environment().putAll(Jar.baseEnv());
        Process p = pb.start();
        try {
            String url = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(Files.readString(dir.resolve("url")).strip()).isEqualTo(url);
            Map<String, String> env = Jar.baseEnv();
            env.put("SPELL_TOKEN", "spell-ci-demo-token");
            Jar.Result check = Jar.run(env, null, "check", "--api-url", url, "--owner", "acme");
            assertThat(check.exitCode()).as(check.stderr()).isZero();
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void demoShowsTheRunnersViewWithTheTokenMasked() {
        Jar.Result r = Jar.run(Jar.baseEnv(), null, "demo");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("SPELL_TOKEN=***").contains("token_name=ci-gha-acme-ml-1234-1-")
                .contains("- uses: <org>/spell-ci@v1")
                .contains("The steps behaved as expected.")
                .doesNotContainPattern("SPELL_TOKEN=(?!\\*\\*\\*)")
                .doesNotContain("::add-mask::");
        List<String> after = r.stdout().lines().filter(l -> l.startsWith("Tokens of alice on the API after post"))
                .toList();
        assertThat(after).containsExactly("Tokens of alice on the API after post: ci");
    }

    @Test
    void aWrongTokenThatNothingChecksIsNoFailureOfTheDemo() {
        // Without validation or a per-job token nothing calls the API, so main rightly succeeds; the demo said exit 4.
        Jar.Result r = Jar.run(Jar.baseEnv(), null, "demo", "--no-validate", "--no-ephemeral", "--wrong-token");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("(exit code 0: the step succeeded)").contains("The steps behaved as expected.")
                .contains("nothing calls the API");
    }

    @Test
    void demoOfAFailure() {
        Jar.Result r = Jar.run(Jar.baseEnv(), null, "demo", "--wrong-token");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("Error: [Spell token rejected]").contains("(exit code 1");
    }

    private static String builtVersion() {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Jar.JAR.toFile())) {
            String version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            assertThat(version).isNotBlank();
            return version;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

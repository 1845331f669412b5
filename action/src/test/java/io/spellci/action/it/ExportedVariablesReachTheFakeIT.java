package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the real jar: the action's main (validate, ephemeral) and the CLI's {@code env}, with only the
 * API URL set to the fake's; then the exported variables alone (an empty {@code HOME}, nothing else Spell-related)
 * bring a client that reads them as Spell's CLI and Python client do to the fake, with the per-job token.
 */
class ExportedVariablesReachTheFakeIT {
    static final String TOKEN = "e2e-parent-token-0123456789abcdef";

    @TempDir
    Path dir;

    FakeSpellApi fake;
    Path emptyHome;

    @BeforeEach
    void start() throws Exception {
        Jar.assertJarBuilt();
        fake = FakeSpellApi.builder().user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN).start();
        emptyHome = Files.createDirectory(dir.resolve("home"));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** The exported variables and an empty HOME: nothing else a Spell client could read. */
    Map<String, String> onlyThe(Map<String, String> exported) {
        Map<String, String> env = new LinkedHashMap<>(exported);
        env.put("HOME", emptyHome.toString());
        return env;
    }

    void assertBothClientsReachTheFakeWith(Map<String, String> env, String perJobToken) throws Exception {
        for (SpellClientEnvironment client : new SpellClientEnvironment[] {SpellClientEnvironment.cli(env),
            SpellClientEnvironment.python(env)}) {
            fake.clearRequests();
            HttpResponse<String> me = client.whoami();
            assertThat(me.statusCode()).as(client.base()).isEqualTo(200);
            assertThat(me.body()).contains("\"user_name\":\"alice\"");
            assertThat(fake.requests()).hasSize(1);
            assertThat(fake.lastRequest().header("Authorization")).isEqualTo("Bearer " + perJobToken);
        }
    }

    @Test
    void theActionsGithubEnvAloneBringsSpellsClientsToTheApiItChecked() throws Exception {
        Jar.Steps steps = new Jar.Steps(dir).input("token", TOKEN).input("owner", "acme")
                .input("api-url", fake.url()).input("validate", "true").input("ephemeral", "true")
                .input("timeout-seconds", "10");
        StepRun main = steps.main();
        assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();
        Map<String, String> exported = main.env();
        assertThat(exported).containsOnlyKeys("SPELL_TOKEN", "SPELL_OWNER", "SPELL_BASE_URL", "SPELL_API_URL");
        String perJob = exported.get("SPELL_TOKEN");
        assertThat(perJob).isNotEqualTo(TOKEN);

        assertBothClientsReachTheFakeWith(onlyThe(exported), perJob);

        StepRun post = steps.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(fake.hasToken(perJob)).as("the post step deleted the per-job token").isFalse();
        main.assertNoLeak(TOKEN);
        main.assertNoLeak(perJob);
        post.assertNoLeak(TOKEN);
    }

    @Test
    void theCliEnvOutputAloneBringsSpellsClientsToTheApiItChecked() throws Exception {
        Map<String, String> env = Jar.baseEnv();
        env.put("SPELL_TOKEN", TOKEN);
        Jar.Result r = Jar.run(env, null, "env", "--owner", "acme", "--api-url", fake.url(), "--validate",
                "--ephemeral", "--format", "dotenv");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Map<String, String> exported = new HashMap<>();
        for (String line : r.stdout().split("\n")) {
            int eq = line.indexOf('=');
            exported.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertThat(exported).containsOnlyKeys("SPELL_TOKEN", "SPELL_OWNER", "SPELL_BASE_URL", "SPELL_API_URL")
                .containsEntry("SPELL_API_URL", fake.url()).containsEntry("SPELL_BASE_URL", fake.url());
        String perJob = exported.get("SPELL_TOKEN");
        assertThat(perJob).isNotEqualTo(TOKEN);
        assertThat(r.stderr()).doesNotContain(TOKEN);

        assertBothClientsReachTheFakeWith(onlyThe(exported), perJob);
    }

    @Test
    void withoutTheUrlVariablesTheClientsWouldCallTheirOwnDefault() {
        // What spell-ci did at its default before: no URL exported, so each client used its built-in host.
        Map<String, String> env = onlyThe(Map.of("SPELL_TOKEN", TOKEN, "SPELL_OWNER", "acme"));
        assertThat(SpellClientEnvironment.cli(env).base()).isEqualTo("https://api.spell.run");
        assertThatThrownBy(() -> SpellClientEnvironment.python(env).whoami())
                .hasMessageContaining("would call https://api.spell.run")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        assertThat(fake.requests()).isEmpty();
    }
}

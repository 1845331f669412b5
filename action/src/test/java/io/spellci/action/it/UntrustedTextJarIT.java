package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.testing.RunnerLog;
import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from the API cannot switch off the runner's masking: the runner reads {@code ##[stop-commands]} anywhere in a
 * line (its old syntax), so a user name holding it would make it ignore every later {@code ::add-mask::} (issue 15, 2b).
 */
class UntrustedTextJarIT {
    static final String TOKEN = "untrusted-secret-token-0123456789";
    static final String USER = "ci##[stop-commands]x";

    @TempDir
    Path dir;

    FakeSpellApi fake;

    @BeforeEach
    void start() {
        fake = FakeSpellApi.builder().user(FakeUser.of(USER, "ci@example.com", "acme")).token(USER, "ci", TOKEN).start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void aUserNameWithTheRunnersOldStopCommandCannotUnmaskThePerJobToken() {
        StepRun main = new Jar.Steps(dir).input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .input("validate", "true").input("ephemeral", "true").main();
        assertThat(main.exitCode()).as(main.stdout()).isZero();
        String perJob = main.env().get("SPELL_TOKEN");
        RunnerLog log = main.log();
        assertThat(log.masks()).as("both masks reach the runner").contains(TOKEN, perJob);
        assertThat(log.visibleText()).contains("Validated: the token belongs to " + USER);
        main.assertNoLeak(TOKEN);
        main.assertNoLeak(perJob);
    }

    @Test
    void theCliMasksThePerJobTokenBeforeItPrintsTheUserName() {
        Map<String, String> env = Jar.baseEnv();
        env.put("GITHUB_ACTIONS", "true");
        env.put("SPELL_TOKEN", TOKEN);
        Jar.Result r = Jar.run(env, null, "env", "--owner", "acme", "--validate", "--ephemeral", "--api-url", fake.url());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        RunnerLog log = RunnerLog.of(r.stderr());
        assertThat(log.masks()).hasSize(2).contains(TOKEN);
        assertThat(r.stderr()).contains("token OK: user " + USER);
    }
}

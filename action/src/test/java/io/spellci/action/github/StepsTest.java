package io.spellci.action.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.testing.Runner;
import io.spellci.action.testing.RunnerLog;
import io.spellci.action.testing.StepRun;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MainStep and PostStep in-process against the fake API, every file read with the runner's rules. */
class StepsTest {
    static final String TOKEN = "alice-secret-token-0123456789abcdef";

    @TempDir
    Path dir;

    FakeSpellApi fake;
    Runner runner;

    @BeforeEach
    void start() {
        fake = FakeSpellApi.builder()
                .user(FakeUser.of("alice", "alice@example.com", "acme", "research"))
                .user(FakeUser.of("bob", "bob@example.com"))
                .token("alice", "ci", TOKEN)
                .start();
        runner = new Runner(dir).input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .input("timeout-seconds", "5");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static void assertMaskedFirst(StepRun run, String secret) {
        RunnerLog log = run.log();
        assertThat(log.firstMaskLine()).as("the first line masks the token").isZero();
        assertThat(log.masks()).contains(secret);
    }

    @Test
    void validatesAndExportsEverything() {
        StepRun run = runner.main();
        assertThat(run.exitCode()).isZero();
        assertMaskedFirst(run, TOKEN);
        assertThat(run.env()).containsExactly(Map.entry("SPELL_TOKEN", TOKEN), Map.entry("SPELL_OWNER", "acme"),
                Map.entry("SPELL_BASE_URL", fake.url()), Map.entry("SPELL_API_URL", fake.url()));
        assertThat(run.outputs()).containsExactly(Map.entry("owner", "acme"), Map.entry("user-name", "alice"),
                Map.entry("api-url", fake.url()));
        assertThat(run.state()).isEmpty();
        assertThat(run.summary()).contains("acme").contains("alice").contains("| Validated | yes |");
        assertThat(run.log().errors()).isEmpty();
        run.assertNoLeak(TOKEN);
        assertThat(run.rawEnv()).contains(TOKEN); // GITHUB_ENV is the one place it goes
        assertThat(fake.requests()).hasSize(1);
        assertThat(fake.requests().get(0).header("User-Agent")).contains("github-action");
    }

    @Test
    void anEmptyApiUrlIsRefusedInsteadOfFallingBackToTheDefault() {
        // `api-url: ${{ vars.SPELL_API_URL }}` with the variable unset arrives as '': it sent the token to the default.
        runner.input("api-url", "").spell((url, timeout, frontEnd, network) -> {
            throw new AssertionError("the API at " + url + " was called");
        });
        for (String ephemeral : List.of("false", "true")) {
            StepRun run = runner.input("ephemeral", ephemeral).main();
            assertThat(run.exitCode()).isOne();
            assertThat(run.log().errors()).extracting(RunnerLog.Annotation::title).containsExactly("Invalid input: api-url");
            assertThat(run.log().errors().get(0).message()).startsWith("api-url is empty: ")
                    .contains("or leave api-url out");
            assertThat(run.rawEnv()).isEmpty();
            run.assertNoLeak(TOKEN);
        }
    }

    @Test
    void anOmittedApiUrlIsTheDefault() {
        // Omitted, the runner passes action.yml's default; absent altogether (outside a runner), the same default.
        for (String value : new String[] {"https://api.spell.run", null}) {
            StepRun run = runner.input("validate", "false").env("INPUT_API-URL", value).main();
            assertThat(run.exitCode()).as(run.stdout()).isZero();
            assertThat(run.outputs()).containsEntry("api-url", "https://api.spell.run");
            // Exported at the default too: a client built with another default would call another host.
            assertThat(run.env()).containsExactly(Map.entry("SPELL_TOKEN", TOKEN), Map.entry("SPELL_OWNER", "acme"),
                    Map.entry("SPELL_BASE_URL", "https://api.spell.run"),
                    Map.entry("SPELL_API_URL", "https://api.spell.run"));
        }
    }

    @Test
    void aFailedCallToTheDefaultUrlSaysTheHostedServiceNoLongerAnswers() {
        // The default URL is served by the fake here (only loopback in tests); the step still sees the default.
        fake.failNext(1, 401);
        runner.env("INPUT_API-URL", null).spell((url, timeout, frontEnd, network) -> {
            assertThat(url.isDefault()).isTrue();
            return SpellService.Factory.core().open(io.spellci.core.api.ApiUrl.of(fake.url()), timeout, frontEnd,
                    network);
        });
        StepRun run = runner.main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors()).hasSize(1);
        assertThat(run.log().errors().get(0).message()).contains(" Spell's hosted API at https://api.spell.run no"
                + " longer answers: set the api-url input to the URL of your Spell API.");
        assertThat(run.rawEnv()).isEmpty();
        run.assertNoLeak(TOKEN);
    }

    @Test
    void aFailedCallToAnotherUrlHasNoDefaultUrlHint() {
        fake.failNext(1, 401);
        StepRun run = runner.main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).message()).doesNotContain("no longer answers");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void withoutValidationNoRequestIsMade() {
        runner.input("validate", "false").env("INPUT_API-URL", null);
        StepRun run = runner.main();
        assertThat(run.exitCode()).isZero();
        assertThat(run.env()).containsOnlyKeys("SPELL_TOKEN", "SPELL_OWNER", "SPELL_BASE_URL", "SPELL_API_URL");
        assertThat(run.outputs()).containsOnlyKeys("owner", "api-url").containsEntry("api-url", "https://api.spell.run");
        assertThat(run.summary()).contains("| Validated | no |");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void exportEnvFalseWritesNoVariables() {
        runner.input("export-env", "FALSE");
        StepRun run = runner.main();
        assertThat(run.exitCode()).isZero();
        assertThat(run.rawEnv()).isEmpty();
        assertThat(run.outputs()).containsEntry("user-name", "alice");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void exportEnvFalseNeedsNoEnvFile() {
        runner.input("export-env", "false").env("GITHUB_ENV", "");
        assertThat(runner.main().exitCode()).isZero();
    }

    @Test
    void ephemeralTokenIsCreatedMaskedExportedAndDeletedInPost() {
        runner.input("ephemeral", "true");
        StepRun main = runner.main();
        assertThat(main.exitCode()).isZero();
        String perJob = main.env().get("SPELL_TOKEN");
        assertThat(perJob).isNotEqualTo(TOKEN);
        assertThat(fake.hasToken(perJob)).isTrue();
        assertThat(main.log().masks()).containsExactly(TOKEN, perJob);
        String name = main.state().get("token_name");
        assertThat(name).startsWith("ci-gha-acme-ml-1234-2-");
        assertThat(EphemeralTokenName.isOurs(name, "ci-gha")).isTrue();
        assertThat(main.outputs()).containsEntry("token-name", name);
        assertThat(main.summary()).contains(name);
        main.assertNoLeak(TOKEN);
        main.assertNoLeak(perJob);
        assertThat(main.rawEnv()).doesNotContain(TOKEN);
        assertThat(fake.tokenNames("alice")).containsExactlyInAnyOrder("ci", name);

        StepRun post = runner.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().warnings()).isEmpty();
        assertThat(post.stdout()).contains("deleted the per-job token " + name);
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(fake.hasToken(perJob)).isFalse();
        post.assertNoLeak(TOKEN);
        post.assertNoLeak(perJob);
    }

    @Test
    void postWithoutPerJobTokenSaysSoInOneLine() {
        StepRun main = runner.main();
        fake.clearRequests();
        StepRun post = runner.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().visible().stream().filter(l -> !l.isBlank()).toList())
                .containsExactly("spell-ci post: no per-job token was created, nothing to clean up.");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void postDeleteFailureIsOnlyAWarning() {
        runner.input("ephemeral", "true").input("timeout-seconds", "2");
        StepRun main = runner.main();
        String name = main.state().get("token_name");
        fake.failNext(50, 503);
        StepRun post = runner.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().errors()).isEmpty();
        assertThat(post.log().warnings()).extracting(RunnerLog.Annotation::message)
                .anySatisfy(m -> assertThat(m).contains("could not delete the per-job token " + name));
        post.assertNoLeak(TOKEN);
        post.assertNoLeak(main.env().get("SPELL_TOKEN"));
        fake.resetFaults();
    }

    @Test
    void postSweepsOurTokensWhoseLifeHasPassedOnly() {
        Instant old = Instant.now().minus(Duration.ofHours(30));
        String stale = EphemeralTokenName.Template.of("ci-gha", 6).newName(List.of("other", "run"));
        String young = EphemeralTokenName.Template.of("ci-gha", 6).newName(List.of("still", "running"));
        String selfHosted = EphemeralTokenName.Template.of("ci-gha", 120).newName(List.of("training", "run"));
        String legacy = "ci-gha-older-release-1-1-tmp-abcd1234";
        fake.addToken("alice", stale, "stale-value-123", old);
        fake.addToken("alice", young, "young-value-123", Instant.now().minus(Duration.ofHours(1)));
        fake.addToken("alice", selfHosted, "self-hosted-value-123", old);
        fake.addToken("alice", legacy, "legacy-value-123", old);
        fake.addToken("alice", "keep-me", "keep-value-123", old);
        fake.addToken("alice", EphemeralTokenName.Template.jenkins("k7q2m9ab", 1).newName(List.of("x")),
                "jenkins-value-123", old);
        runner.input("ephemeral", "true");
        StepRun main = runner.main();
        StepRun post = runner.post(main);
        assertThat(post.exitCode()).isZero();
        assertThat(fake.tokenNames("alice")).doesNotContain(stale, main.state().get("token_name"))
                .contains("ci", young, selfHosted, legacy, "keep-me");
        assertThat(fake.tokenNames("alice")).anyMatch(n -> n.startsWith("ci-jenkins-"));
        assertThat(post.stdout()).contains("swept 1 per-job token(s)").contains(stale);
    }

    @Test
    void postWithAStateNameThatIsNotAPerJobTokenWarnsAndDeletesNothing() {
        StepRun post = runner.post(Map.of("STATE_token_name", "ci"));
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().warnings()).extracting(RunnerLog.Annotation::title)
                .containsExactly("Per-job token not deleted");
        assertThat(post.log().warnings().get(0).message()).contains("is not a per-job token made by spell-ci");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        post.assertNoLeak(TOKEN);
    }

    @Test
    void postWithInvalidTokenInputWarnsAndExitsZero() {
        StepRun post = runner.input("token", "").post(Map.of("STATE_token_name", "ci-gha-x-tmp-abcdefgh"));
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().warnings()).hasSize(1);
        assertThat(post.log().warnings().get(0).message()).contains("ci-gha-x-tmp-abcdefgh").contains("token is empty");
    }

    @Test
    void rejectedTokenFailsWithTheFix() {
        String wrong = "wrong-token-abcdef123456";
        StepRun run = runner.input("token", wrong).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors()).hasSize(1);
        RunnerLog.Annotation error = run.log().errors().get(0);
        assertThat(error.title()).isEqualTo("Spell token rejected");
        assertThat(error.message()).contains("401").doesNotContain("fork");
        assertThat(run.rawEnv()).isEmpty();
        assertThat(run.summary()).contains("Failed");
        run.assertNoLeak(wrong);
    }

    @Test
    void rejectedTokenOnPullRequestExplainsForks() {
        String wrong = "wrong-token-abcdef123456";
        StepRun run = runner.input("token", wrong).env("GITHUB_EVENT_NAME", "pull_request").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).message()).contains("forks").contains("pull_request");
        run.assertNoLeak(wrong);
    }

    @Test
    void emptyTokenOnPullRequestExplainsForksWithoutAMask() {
        StepRun run = runner.input("token", "").env("GITHUB_EVENT_NAME", "pull_request").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().masks()).isEmpty();
        assertThat(run.log().errors()).extracting(RunnerLog.Annotation::title).containsExactly("Invalid input: token");
        assertThat(run.log().errors().get(0).message()).contains("token is empty").contains("forks");
        assertThat(fake.requests()).isEmpty();
        run.assertNoLeak(TOKEN);
    }

    @Test
    void forkAdviceIsTheConditionOfTheDocsWhichStillRunsOnPush() throws Exception {
        // The old advice (`head.repo.full_name == github.repository` alone) is false on a push: pasted, it skipped every push.
        Matcher inDoc = Pattern.compile("(?m)^\\s*if: (github\\.event\\.pull_request\\.head\\.repo\\.full_name .*)$")
                .matcher(Files.readString(Path.of("..", "docs", "github-action.md")));
        assertThat(inDoc.find()).as("the fork condition in docs/github-action.md").isTrue();
        String condition = inDoc.group(1).strip();
        assertThat(condition).endsWith("|| github.event_name != 'pull_request'");
        String wrong = "wrong-token-abcdef123456";
        for (String token : List.of("", wrong)) {
            StepRun run = new Runner(Files.createTempDirectory(dir, "fork")).input("token", token).input("owner", "acme")
                    .input("api-url", fake.url()).env("GITHUB_EVENT_NAME", "pull_request").main();
            assertThat(run.exitCode()).isOne();
            assertThat(run.log().errors().get(0).message()).as(token.isEmpty() ? "empty token" : "401")
                    .contains("`if: " + condition + "`");
            run.assertNoLeak(TOKEN);
            run.assertNoLeak(wrong);
        }
    }

    @Test
    void dependabotGetsItsOwnHint() {
        StepRun run = runner.input("token", "  ").env("GITHUB_EVENT_NAME", "pull_request")
                .env("GITHUB_ACTOR", "dependabot[bot]").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).message()).contains("Dependabot secrets");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void ownerNotAllowedListsTheOwners() {
        StepRun run = runner.input("owner", "globex").main();
        assertThat(run.exitCode()).isOne();
        RunnerLog.Annotation error = run.log().errors().get(0);
        assertThat(error.title()).isEqualTo("Owner not allowed for this token");
        assertThat(error.message()).contains("globex").contains("alice").contains("acme").contains("research");
        assertThat(run.rawEnv()).isEmpty();
        run.assertNoLeak(TOKEN);
    }

    @Test
    void tokenPastedAsOwnerIsRefusedBeforeAnythingShowsIt() {
        for (String validate : List.of("true", "false")) {
            StepRun run = runner.input("owner", TOKEN).input("validate", validate).main();
            assertThat(run.exitCode()).isOne();
            assertThat(run.log().errors()).extracting(RunnerLog.Annotation::title)
                    .containsExactly("Invalid input: owner");
            assertThat(run.log().errors().get(0).message()).contains("is the access token itself");
            assertThat(run.rawEnv()).isEmpty();
            run.assertNoLeak(TOKEN);
        }
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void tokenPastedIntoAnyOtherInputIsNeitherEchoedNorCutShort() throws Exception {
        // Longer than the 40 characters an error message may quote: a cut-off prefix would escape every mask.
        String longToken = "long-secret-token-" + "0123456789".repeat(4);
        fake.addToken("alice", "long", longToken);
        for (String input : List.of("validate", "ephemeral", "export-env", "timeout-seconds", "api-url", "owner")) {
            for (String value : List.of(longToken, longToken + "-and-more")) {
                Runner fresh = new Runner(Files.createTempDirectory(dir, "run")).input("token", longToken).input("owner", "acme")
                        .input("api-url", fake.url()).input(input, value);
                StepRun run = fresh.main();
                assertThat(run.exitCode()).as(input).isOne();
                assertThat(run.log().errors()).as(input).extracting(RunnerLog.Annotation::title)
                        .containsExactly("Invalid input: " + input);
                assertThat(run.log().errors().get(0).message())
                        .contains(value.equals(longToken) ? "is the access token itself" : "contains the access token");
                assertThat(run.rawEnv()).isEmpty();
                run.assertNoLeak(longToken);
            }
        }
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void longInvalidValuesAreNotQuotedInPart() {
        String longValue = "not-a-boolean-" + "x".repeat(40);
        StepRun run = runner.input("validate", longValue).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).message()).contains("a text of " + longValue.length() + " characters");
        run.assertNoLeak(longValue);
        run.assertNoLeak(TOKEN);
    }

    @Test
    void rateLimitedOnceThenSucceeds() {
        fake.failNext(1, 429, null, "0");
        StepRun run = runner.main();
        assertThat(run.exitCode()).isZero();
        assertThat(run.outputs()).containsEntry("user-name", "alice");
        assertThat(fake.requests()).hasSize(2);
    }

    @Test
    void unavailableUntilTheDeadlineFails() {
        fake.failNext(1000, 503);
        long start = System.nanoTime();
        StepRun run = runner.input("timeout-seconds", "2").main();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).title()).isIn("Spell API unavailable", "Spell API timed out");
        assertThat(millis).isLessThan(10_000);
        assertThat(run.rawEnv()).isEmpty();
        run.assertNoLeak(TOKEN);
        fake.resetFaults();
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StepRun run = runner.input("api-url", "http://127.0.0.1:" + port).input("timeout-seconds", "3").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).title()).isIn("Spell API unreachable", "Spell API timed out");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void plainHttpToARemoteHostIsRefusedBeforeAnyRequest() {
        StepRun run = runner.input("api-url", "http://spell.example.com").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors()).extracting(RunnerLog.Annotation::title).containsExactly("Invalid input: api-url");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void everyInvalidInputIsReported() {
        StepRun run = runner.input("owner", "").input("validate", "yes").input("ephemeral", "sometimes").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors()).extracting(RunnerLog.Annotation::title)
                .containsExactly("Invalid input: owner", "Invalid input: validate", "Invalid input: ephemeral");
        assertThat(run.log().errors().get(1).message()).contains("'yes'");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void tokenWithInnerWhitespaceIsRefusedWithoutShowingIt() {
        String bad = "first-half second-half";
        StepRun run = runner.input("token", bad).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().masks()).containsExactly(bad);
        run.assertNoLeak(bad);
        run.assertNoLeak("first-half");
        run.assertNoLeak("second-half");
    }

    @Test
    void multiLineTokenIsMaskedLineByLineAndRefused() {
        String bad = "line-one-secret\nline-two-secret";
        StepRun run = runner.input("token", bad).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.stdout().lines().findFirst().orElseThrow())
                .isEqualTo("::add-mask::line-one-secret%0Aline-two-secret");
        run.assertNoLeak("line-one-secret");
        run.assertNoLeak("line-two-secret");
    }

    @Test
    void nonAsciiTokenIsRefusedWithoutShowingIt() {
        String odd = "tok-ünï-" + "x".repeat(10);
        StepRun run = runner.input("token", odd).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().masks()).containsExactly(odd);
        assertThat(run.log().errors()).extracting(RunnerLog.Annotation::title).containsExactly("Invalid input: token");
        run.assertNoLeak(odd);
    }

    @Test
    void percentAndColonTokensSurviveMaskAndEnvFile() {
        String odd = "tok%0A%25::=<<-" + "x".repeat(10);
        fake.addToken("alice", "odd", odd);
        StepRun run = runner.input("token", odd).main();
        assertThat(run.exitCode()).as(run.stdout()).isZero();
        assertThat(run.env()).containsEntry("SPELL_TOKEN", odd);
        assertThat(run.log().masks()).containsExactly(odd);
        run.assertNoLeak(odd);
    }

    @Test
    void missingEnvFileFails() {
        StepRun run = runner.env("GITHUB_ENV", "").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).message()).contains("GITHUB_ENV is not set");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void ephemeralWithoutStateFileFailsBeforeCreatingAToken() {
        StepRun run = runner.input("ephemeral", "true").env("GITHUB_STATE", "").main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).message()).contains("GITHUB_STATE is not set");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(fake.requests()).isEmpty();
        run.assertNoLeak(TOKEN);
    }

    @Test
    void unwritableStateDeletesTheNewTokenAndFails() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("state-is-a-directory"));
        StepRun run = runner.input("ephemeral", "true").env("GITHUB_STATE", directory.toString()).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).title()).isEqualTo("Could not save state");
        assertThat(run.log().errors().get(0).message()).contains("was deleted again, so nothing is left behind");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(run.rawEnv()).isEmpty();
        run.assertNoLeak(TOKEN);
        for (String mask : run.log().masks()) {
            run.assertNoLeak(mask);
        }
    }

    @Test
    void unwritableEnvFileFailsWithoutLeaking() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("env-is-a-directory"));
        StepRun run = runner.env("GITHUB_ENV", directory.toString()).main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).title()).isEqualTo("Could not write GITHUB_ENV");
        assertThat(run.log().errors().get(0).message()).contains("SPELL_TOKEN");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void missingOutputAndSummaryFilesAreTolerated() {
        StepRun run = runner.env("GITHUB_OUTPUT", "").env("GITHUB_STEP_SUMMARY", "").main();
        assertThat(run.exitCode()).isZero();
        assertThat(run.env()).containsKey("SPELL_TOKEN");
    }

    @Test
    void unexpectedFailuresAreRedacted() {
        runner.spell((url, timeout, frontEnd, network) -> {
            throw new IllegalStateException("boom with " + TOKEN + " inside");
        });
        StepRun run = runner.main();
        assertThat(run.exitCode()).isOne();
        assertThat(run.log().errors().get(0).title()).isEqualTo("spell-ci: internal error");
        assertThat(run.log().errors().get(0).message()).contains("boom with *** inside");
        run.assertNoLeak(TOKEN);
    }

    @Test
    void unexpectedFailuresInPostAreWarnings() {
        runner.spell((url, timeout, frontEnd, network) -> {
            throw new IllegalStateException("post boom " + TOKEN);
        });
        StepRun post = runner.post(Map.of("STATE_token_name", "ci-gha-a-tmp-abcdefgh"));
        assertThat(post.exitCode()).isZero();
        assertThat(post.log().warnings().get(0).message()).contains("post boom ***");
        post.assertNoLeak(TOKEN);
    }
}

package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeClock;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 through the real jar against the fake: no sweep deletes a per-job token whose job may still run, and no
 * rotation step deletes or loses a token that something still uses. The jar reads the real clock, so the fake's clock
 * starts at the real time and is set back while a token that must look old is made.
 */
class LiveJobHygieneJarIT {
    static final String TOKEN = "live-job-secret-token-0123456789";
    static final String NEW_PREFIX = "live-job-new-value-";
    static final String LAPTOP = "live-job-laptop-value-000001";

    @TempDir
    Path dir;
    FakeSpellApi fake;
    final Instant now = Instant.now();
    final FakeClock clock = new FakeClock(now);

    @BeforeEach
    void start() {
        Jar.assertJarBuilt();
        AtomicInteger n = new AtomicInteger();
        fake = FakeSpellApi.builder().clock(clock)
                .user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN, now.minus(Duration.ofDays(100)))
                .tokenGenerator(() -> NEW_PREFIX + n.incrementAndGet())
                .start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    Map<String, String> env() {
        Map<String, String> env = Jar.baseEnv();
        env.put("SPELL_TOKEN", TOKEN);
        env.put("SPELL_API_URL", fake.url());
        return env;
    }

    Jar.Steps job(String name, String repository, String runnerEnvironment) throws Exception {
        Jar.Steps steps = new Jar.Steps(Files.createDirectories(dir.resolve(name))).input("token", TOKEN)
                .input("owner", "acme").input("api-url", fake.url()).input("ephemeral", "true")
                .env("GITHUB_REPOSITORY", repository);
        return runnerEnvironment == null ? steps : steps.env("RUNNER_ENVIRONMENT", runnerEnvironment);
    }

    /** The main step of a job started {@code hoursAgo}: its per-job token's created_at is then. */
    StepRun mainStartedHoursAgo(Jar.Steps job, int hoursAgo) {
        clock.set(now.minus(Duration.ofHours(hoursAgo)));
        try {
            StepRun main = job.main();
            assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();
            return main;
        } finally {
            clock.set(now);
        }
    }

    static void assertNoValue(Jar.Result r, String... secrets) {
        for (String secret : secrets) {
            assertThat(r.stdout() + r.stderr()).doesNotContain(secret);
        }
        assertThat(r.stdout() + r.stderr()).doesNotContain(TOKEN).doesNotContain(NEW_PREFIX);
    }

    @Test
    void aSelfHostedJobsTokenOf30HoursSurvivesAnotherRepositorysPostAndAHostedOneLeft12HoursAgoIsSwept()
            throws Exception {
        StepRun training = mainStartedHoursAgo(job("training", "acme/train", "self-hosted"), 30);
        String trainingName = training.state().get("token_name");
        StepRun crashed = mainStartedHoursAgo(job("crashed", "acme/web", "github-hosted"), 12); // its post never ran
        String crashedName = crashed.state().get("token_name");

        Jar.Steps other = job("other", "acme/ml", "github-hosted");
        StepRun main = other.main();
        StepRun post = other.post(main);

        assertThat(post.exitCode()).isZero();
        assertThat(post.log().warnings()).isEmpty();
        assertThat(fake.tokenNames("alice")).contains(trainingName).doesNotContain(crashedName,
                main.state().get("token_name"));
        assertThat(post.stdout()).contains("swept 1 per-job token(s) whose life had passed: " + crashedName);
        assertThat(trainingName).matches("ci-gha-acme-train-4242-1-tmp120h-[a-z0-9]{8}");
        assertThat(crashedName).matches("ci-gha-acme-web-4242-1-tmp6h-[a-z0-9]{8}");
        // the 30-hour training job still works with its token
        String trainingToken = training.env().get("SPELL_TOKEN");
        Map<String, String> asTraining = env();
        asTraining.put("SPELL_TOKEN", trainingToken);
        Jar.Result check = Jar.run(asTraining, null, "check", "--owner", "acme");
        assertThat(check.exitCode()).as(check.stderr()).isZero();
        for (StepRun run : new StepRun[] {training, crashed, main, post}) {
            run.assertNoLeak(TOKEN);
            run.assertNoLeak(trainingToken);
            run.assertNoLeak(crashed.env().get("SPELL_TOKEN"));
        }
    }

    @Test
    void aTokenOfAnEarlierReleaseGetsTheLongestLifeOfItsKind() throws Exception {
        String recent = "ci-gha-acme-train-77-1-tmp-abcd1234";
        String ancient = "ci-gha-acme-train-76-1-tmp-efgh5678";
        fake.addToken("alice", recent, "live-job-legacy-value-01", now.minus(Duration.ofHours(30)));
        fake.addToken("alice", ancient, "live-job-legacy-value-02", now.minus(Duration.ofHours(121)));
        Jar.Steps other = job("other", "acme/ml", null);
        StepRun main = other.main();
        StepRun post = other.post(main);
        assertThat(fake.tokenNames("alice")).contains(recent).doesNotContain(ancient);
        assertThat(main.state().get("token_name")).as("no RUNNER_ENVIRONMENT: the longer life")
                .matches("ci-gha-acme-ml-4242-1-tmp120h-[a-z0-9]{8}");
        post.assertNoLeak(TOKEN);
        post.assertNoLeak("live-job-legacy-value-01");
    }

    @Test
    void tokensSweepAndRevokeSweepKeepTokensWhoseLifeHasNotPassed() {
        String selfHosted = "ci-gha-acme-train-5-1-tmp120h-abcd1234";
        String legacy = "ci-gha-acme-train-4-1-tmp-abcd1234";
        String hosted = "ci-gha-acme-web-3-1-tmp6h-abcd1234";
        String cli = "ci-cli-nightly-tmp24h-abcd1234";
        fake.addToken("alice", selfHosted, "live-job-value-sh-0001", now.minus(Duration.ofHours(30)));
        fake.addToken("alice", legacy, "live-job-value-lg-0001", now.minus(Duration.ofHours(30)));
        fake.addToken("alice", hosted, "live-job-value-ho-0001", now.minus(Duration.ofHours(12)));
        fake.addToken("alice", cli, "live-job-value-cl-0001", now.minus(Duration.ofHours(30)));

        // --older-than 24 was the whole rule: it deleted the 30-hour self-hosted and legacy tokens
        Jar.Result sweep = Jar.run(env(), null, "tokens", "sweep", "--prefix", "ci-gha", "--older-than", "24");
        assertThat(sweep.exitCode()).as(sweep.stderr()).isZero();
        assertThat(sweep.stdout()).contains("Swept 0 token(s)").contains("Kept 3 per-job token(s)");
        assertThat(fake.tokenNames("alice")).contains(selfHosted, legacy, hosted);

        Jar.Result plain = Jar.run(env(), null, "tokens", "sweep", "--prefix", "ci-gha");
        assertThat(plain.stdout()).contains("Swept 1 token(s): " + hosted).contains("Kept 2 per-job token(s)");
        assertThat(fake.tokenNames("alice")).contains(selfHosted, legacy).doesNotContain(hosted);

        Jar.Result revoke = Jar.run(env(), null, "revoke", "--sweep", "--prefix", "ci-cli");
        assertThat(revoke.exitCode()).as(revoke.stderr()).isZero();
        assertThat(revoke.stdout()).contains("Swept 1 token(s): " + cli);
        Jar.Result bad = Jar.run(env(), null, "tokens", "sweep", "--prefix", "ci-gha", "--legacy-life", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--legacy-life is 0 hours");
        for (Jar.Result r : new Jar.Result[] {sweep, plain, revoke, bad}) {
            assertNoValue(r, "live-job-value-");
        }
    }

    @Test
    void theCliPutsTheLifeItWasGivenIntoThePerJobTokensName() {
        Jar.Result made = Jar.run(env(), null, "env", "--owner", "acme", "--ephemeral", "--life", "30",
                "--name-part", "nightly");
        assertThat(made.exitCode()).as(made.stderr()).isZero();
        assertThat(fake.tokenNames("alice")).anyMatch(n -> n.matches("ci-cli-nightly-tmp30h-[a-z0-9]{8}"));
        Jar.Result byDefault = Jar.run(env(), null, "env", "--owner", "acme", "--ephemeral", "--name-part", "x");
        assertThat(fake.tokenNames("alice")).anyMatch(n -> n.matches("ci-cli-x-tmp120h-[a-z0-9]{8}"));
        Jar.Result bad = Jar.run(env(), null, "env", "--owner", "acme", "--ephemeral", "--life", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--life is 0 hours, not from 1 to 9999");
        assertThat(bad.stdout()).isEmpty();
        assertThat(fake.tokenNames("alice")).hasSize(3);
        assertNoValue(bad);
        assertThat(made.stderr() + byDefault.stderr()).doesNotContain(TOKEN).doesNotContain(NEW_PREFIX);
    }

    @Test
    @EnabledOnOs({OS.LINUX})
    void rotateStdoutIntoAFullDiskFailsAndLeavesNoSuccessor() {
        Jar.Result r = Jar.runWithStdoutTo(new File("/dev/full"), env(), "rotate", "--name", "ci", "--owner", "acme",
                "--stdout");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
        assertThat(r.stderr()).contains("could not write the new token to standard output")
                .contains("it was deleted again, 'ci' still works");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(fake.hasToken(NEW_PREFIX + "1")).isFalse();
        assertNoValue(r);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void rotateStdoutIntoAPipeWhoseReaderIsGoneFailsAndLeavesNoSuccessor() {
        Jar.Result r = Jar.runWithStdoutClosed(env(), "rotate", "--name", "ci", "--owner", "acme", "--stdout");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
        assertThat(r.stderr()).contains("could not write the new token to standard output");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertNoValue(r);
    }

    @Test
    void finishRefusesWhileTheOldTokenIsUsedAfterItsSuccessorWasMadeAndForceDeletesIt() throws Exception {
        Path out = dir.resolve("new-token.txt");
        Jar.Result first = Jar.run(env(), null, "rotate", "--name", "ci", "--owner", "acme", "--out", out.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        String value = Files.readString(out).strip();
        clock.advance(Duration.ofMinutes(7));
        Instant used = clock.instant();
        assertThat(Jar.run(env(), null, "check", "--owner", "acme").exitCode()).isZero(); // a job with the old value
        clock.advance(Duration.ofMinutes(3));

        Map<String, String> withNew = env();
        withNew.put("SPELL_TOKEN", value);
        Jar.Result refused = Jar.run(withNew, null, "rotate", "--name", "ci", "--finish");
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(5);
        assertThat(refused.stderr()).contains("'ci' was last used " + fakeTime(used)).contains("--force");
        assertThat(fake.tokenNames("alice")).contains("ci");

        Jar.Result forced = Jar.run(withNew, null, "rotate", "--name", "ci", "--finish", "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(fake.tokenNames("alice")).doesNotContain("ci");
        assertNoValue(first);
        assertNoValue(refused, value);
        assertNoValue(forced, value);
    }

    @Test
    void aTokenNameOfAnotherBusyTokenIsNeverDeletedByTheRotation() throws Exception {
        // "laptop" is another token of alice, used a minute ago: the 5-minute rule took it for the caller's
        fake.addToken("alice", "laptop", LAPTOP, now.minus(Duration.ofDays(10)));
        fake.setLastUsedAt("alice", "laptop", now.minus(Duration.ofMinutes(1)));
        Path out = dir.resolve("new-token.txt");
        Jar.Result first = Jar.run(env(), null, "rotate", "--name", "laptop", "--owner", "acme", "--out",
                out.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        clock.advance(Duration.ofHours(1));
        Map<String, String> asLaptop = env();
        asLaptop.put("SPELL_TOKEN", LAPTOP);
        assertThat(Jar.run(asLaptop, null, "check", "--owner", "acme").exitCode()).isZero(); // the laptop works on
        Map<String, String> withNew = env();
        withNew.put("SPELL_TOKEN", Files.readString(out).strip());
        Jar.Result finish = Jar.run(withNew, null, "rotate", "--name", "laptop", "--finish");
        assertThat(finish.exitCode()).isEqualTo(5);
        assertThat(fake.tokenNames("alice")).contains("laptop", "ci");
        assertNoValue(first, LAPTOP);
        assertNoValue(finish, LAPTOP);
    }

    /** The fake's timestamps are to the second, as the API's. */
    static String fakeTime(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}

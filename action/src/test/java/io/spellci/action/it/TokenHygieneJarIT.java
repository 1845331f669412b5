package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeClock;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `spell-ci tokens` and `spell-ci rotate`, and the action's token-name input, as the real jar against the fake. */
class TokenHygieneJarIT {
    static final String TOKEN = "hygiene-jar-secret-token-0123456789";
    static final String NEW_PREFIX = "hygiene-jar-new-value-";

    @TempDir
    Path dir;
    FakeSpellApi fake;
    /** The jar reads the real clock, so the fake's starts at the real time; tokens are dated into the past. */
    final FakeClock clock = new FakeClock(Instant.now());

    @BeforeEach
    void start() {
        Jar.assertJarBuilt();
        AtomicInteger n = new AtomicInteger();
        Instant now = clock.instant();
        fake = FakeSpellApi.builder().clock(clock)
                .user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN, now.minus(Duration.ofDays(100)))
                .tokenGenerator(() -> NEW_PREFIX + n.incrementAndGet())
                .start();
        fake.addToken("alice", "laptop", "hygiene-laptop-value-000001", now.minus(Duration.ofDays(10)));
        fake.setLastUsedAt("alice", "laptop", now.minus(Duration.ofDays(40)));
        fake.addToken("alice", "ci-gha-acme-ml-1-1-tmp-abcd1234", "hygiene-leftover-value-01", now.minus(Duration.ofHours(130)));
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

    void assertNoValue(Jar.Result r) {
        assertThat(r.stdout() + r.stderr()).doesNotContain(TOKEN).doesNotContain(NEW_PREFIX);
    }

    @Test
    void listShowsAgeLastUseAndFlags() {
        Jar.Result table = Jar.run(env(), null, "tokens", "list");
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).containsPattern("ci +100 days +0 minutes ago +too-old")
                .containsPattern("laptop +10 days +40 days ago +unused")
                .containsPattern("ci-gha-acme-ml-1-1-tmp-abcd1234 +5 days +never +leftover");
        Jar.Result json = Jar.run(env(), null, "tokens", "list", "--format", "json");
        assertThat(json.stdout()).contains("{\"name\":\"laptop\",").contains("\"age_days\":100,\"flags\":[\"too-old\"]");
        assertThat(Jar.run(env(), null, "tokens", "list", "--format", "xml").stderr()).contains("--format is 'xml'");
        assertNoValue(table);
        assertNoValue(json);
    }

    @Test
    void auditFailsWhenATokenNeedsAttentionAndPassesWhenAllIsWell() {
        Jar.Result bad = Jar.run(env(), null, "tokens", "audit", "--max-age", "90", "--unused-days", "30");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stdout()).contains("ci: older than the maximum age").contains("spell-ci rotate --name ci")
                .contains("3 of 3 token(s) need attention");
        fake.deleteToken("alice", "laptop");
        fake.deleteToken("alice", "ci-gha-acme-ml-1-1-tmp-abcd1234");
        Jar.Result good = Jar.run(env(), null, "tokens", "audit", "--max-age", "0", "--unused-days", "30");
        assertThat(good.exitCode()).as(good.stdout() + good.stderr()).isZero();
        assertThat(good.stdout()).contains("All 1 token(s) are fine.");
        Jar.Result negative = Jar.run(env(), null, "tokens", "audit", "--max-age", "-1");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.stderr()).contains("--max-age is -1");
        assertNoValue(bad);
    }

    @Test
    void sweepRemovesOnlyTokensOfThePrefixWhoseLifeHasPassed() {
        Jar.Result r = Jar.run(env(), null, "tokens", "sweep", "--prefix", "ci-gha", "--older-than", "24");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("Swept 1 token(s): ci-gha-acme-ml-1-1-tmp-abcd1234");
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "laptop");
        Jar.Result wrong = Jar.run(env(), null, "tokens", "sweep", "--prefix", "ci");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("--prefix is not one of");
        // the old spelling still works
        assertThat(Jar.run(env(), null, "revoke", "--sweep", "--prefix", "ci-gha").exitCode()).isZero();
    }

    /** A command as a user pastes it, in {@code dir}, with {@code spell-ci} the jar under test (docs/cli.md's alias). */
    Jar.Result pasted(Map<String, String> env, String command) {
        return Jar.exec(java.util.List.of("bash", "-c", "spell-ci() { '" + Jar.JAVA + "' -jar '" + Jar.JAR
                + "' \"$@\"; }; cd '" + dir + "' && " + command), env, null);
    }

    @Test
    void theAuditsSuggestedRotateRunsAsPrinted() throws Exception {
        Map<String, String> env = env();
        Jar.Result audit = Jar.run(env, null, "tokens", "audit", "--max-age", "90");
        java.util.regex.Matcher rotate = java.util.regex.Pattern.compile("ci: [^\n]*rotate it: (spell-ci rotate [^;\n]*)")
                .matcher(audit.stdout());
        assertThat(rotate.find()).as(audit.stdout()).isTrue();
        Jar.Result step1 = pasted(env, rotate.group(1));
        assertThat(step1.exitCode()).as(rotate.group(1) + ": " + step1.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("new-token.txt"))).startsWith(NEW_PREFIX);
        assertNoValue(audit);
        assertNoValue(step1);
    }

    @Test
    void theActionsAgeWarningGivesBothRotateStepsRunnableAsPrinted() throws Exception {
        StepRun run = new Jar.Steps(dir).input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .input("validate", "false").input("token-name", "ci").input("max-token-age-days", "90").main();
        String warning = run.log().warnings().get(0).message();
        java.util.List<String> commands = java.util.regex.Pattern.compile("`([^`]*spell-ci rotate[^`]*)`")
                .matcher(warning).results().map(m -> m.group(1)).toList();
        assertThat(commands).as(warning).hasSize(2);
        Map<String, String> env = Jar.baseEnv();
        env.put("SPELL_TOKEN", TOKEN); // "with this token in SPELL_TOKEN"
        Jar.Result step1 = pasted(env, commands.get(0));
        assertThat(step1.exitCode()).as(commands.get(0) + ": " + step1.stderr()).isZero();
        env.remove("SPELL_TOKEN");
        Jar.Result step2 = pasted(env, commands.get(1));
        assertThat(step2.exitCode()).as(commands.get(1) + ": " + step2.stderr()).isZero();
        assertThat(fake.tokenNames("alice")).doesNotContain("ci");
        run.assertNoLeak(TOKEN);
        assertNoValue(step1);
        assertNoValue(step2);
    }

    @Test
    void rotateInTwoStepsAndASecondRotateSaysTheSuccessorExists() throws Exception {
        Path out = dir.resolve("new-token.txt");
        Jar.Result first = Jar.run(env(), null, "rotate", "--name", "ci", "--owner", "acme", "--out", out.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        String name = "ci-r" + java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        assertThat(first.stderr()).contains("created '" + name + "'").contains("--finish");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String value = Files.readString(out).strip();
        assertThat(fake.hasToken(value)).isTrue();
        assertThat(fake.tokenNames("alice")).contains("ci", name);

        Jar.Result again = Jar.run(env(), null, "rotate", "--name", "ci", "--owner", "acme", "--out",
                dir.resolve("third.txt").toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("already has a successor, '" + name + "'");
        assertThat(Files.exists(dir.resolve("third.txt"))).isFalse();

        Map<String, String> withNew = env();
        withNew.put("SPELL_TOKEN", value);
        Jar.Result finish = Jar.run(withNew, null, "rotate", "--name", "ci", "--finish");
        assertThat(finish.exitCode()).as(finish.stderr()).isZero();
        assertThat(fake.tokenNames("alice")).doesNotContain("ci").contains(name);
        assertThat(fake.hasToken(TOKEN)).isFalse();
        assertNoValue(first);
        assertNoValue(again);
        assertThat(finish.stdout() + finish.stderr()).doesNotContain(value);
    }

    @Test
    void rotateRefusesBadUsageAndAFailedCreateLeavesNothing() {
        Jar.Result none = Jar.run(env(), null, "rotate", "--name", "ci", "--owner", "acme");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("--out FILE (mode 600) or --stdout");
        fake.failNextOf(1, 403, "POST");
        Jar.Result failed = Jar.run(env(), null, "rotate", "--name", "ci", "--owner", "acme", "--stdout");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).contains("'ci' still works");
        assertThat(failed.stdout()).isEmpty();
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "laptop", "ci-gha-acme-ml-1-1-tmp-abcd1234");
        assertNoValue(failed);
    }

    @Test
    void theActionWarnsAboutAnOldNamedTokenAndSummarisesItsAge() throws Exception {
        StepRun run = new Jar.Steps(Files.createDirectories(dir.resolve("old"))).input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .input("validate", "false").input("token-name", "ci").input("max-token-age-days", "90").main();
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).contains("::warning title=Spell token is 100 days old::")
                .contains("spell-ci rotate --name ci");
        assertThat(run.summary()).contains("| Token age | `ci`: 100 days (max 90 days) |").contains("| Last use |");
        run.assertNoLeak(TOKEN);

        StepRun young = new Jar.Steps(Files.createDirectories(dir.resolve("young"))).input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .input("validate", "false").input("token-name", "laptop").input("max-token-age-days", "90").main();
        assertThat(young.stdout()).doesNotContain("::warning");
        StepRun bad = new Jar.Steps(Files.createDirectories(dir.resolve("bad"))).input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                .input("max-token-age-days", "ninety").input("token-name", "ci").main();
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stdout()).contains("max-token-age-days is not a whole number of days");
    }
}

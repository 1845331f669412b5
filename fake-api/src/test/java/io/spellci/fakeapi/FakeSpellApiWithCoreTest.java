package io.spellci.fakeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.spellci.core.SpellCi;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.Identity;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.SpellApiException.Kind;
import io.spellci.core.api.SpellUser;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import io.spellci.core.hygiene.PerJobLife;
import io.spellci.core.hygiene.SweepRule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** core's Spell client against the fake: each proves the other speaks the contract. */
class FakeSpellApiWithCoreTest {

    static final String ALICE = "alice-secret-token-0001";
    static final String ROOT = "root-secret-token-0002";
    static final String WRONG = "wrong-secret-token-0003";
    static final String FRONT_END = "fake-api-test";
    static final RetryPolicy FAST_RETRIES =
            new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(20));

    final FakeClock clock = FakeClock.at("2021-07-29T15:40:00Z");
    FakeSpellApi fake;
    SpellApi api;
    final AccessToken alice = AccessToken.of(ALICE);

    @BeforeEach
    void start() {
        fake = FakeSpellApi.builder()
                .clock(clock)
                .user(FakeUser.of("alice", "alice@example.com", "acme", "research"))
                .user(FakeUser.named("root").asAdmin())
                .token("alice", "ci", ALICE, Instant.parse("2021-07-01T00:00:00Z"))
                .token("root", "admin", ROOT)
                .start();
        api = client(FAST_RETRIES);
    }

    @AfterEach
    void stop() {
        api.close();
        fake.close();
    }

    SpellApi client(RetryPolicy retries) {
        return SpellApi.builder()
                .apiUrl(ApiUrl.of(fake.url()))
                .frontEnd(FRONT_END)
                .retryPolicy(retries)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(2))
                .build();
    }

    @Test
    void whoamiReadsTheUserAndSendsTheBearerTokenAndUserAgent() throws Exception {
        SpellUser user = api.whoami(alice);

        assertThat(user.userName()).isEqualTo("alice");
        assertThat(user.email()).isEqualTo("alice@example.com");
        assertThat(user.admin()).isFalse();
        assertThat(user.organizations()).containsExactly("acme", "research");
        RecordedRequest request = fake.lastRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/users/me");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + ALICE);
        assertThat(request.header("User-Agent")).isEqualTo(SpellCi.userAgent(FRONT_END)).startsWith("spell-ci/");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void verifyAcceptsTheUsersOwnNameAndOrganizations() throws Exception {
        for (String owner : List.of("alice", "acme", "research")) {
            Identity identity = api.verify(alice, Owner.of(owner));
            assertThat(identity.owner().name()).isEqualTo(owner);
            assertThat(identity.user().userName()).isEqualTo("alice");
        }
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void verifyRefusesAnOwnerTheUserDoesNotBelongTo() {
        assertFailure(() -> api.verify(alice, Owner.of("globex")), Kind.OWNER_NOT_ALLOWED, ALICE)
                .hasMessageContaining("'alice'")
                .hasMessageContaining("alice, acme, research");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void anAdminMayActForAnyOwner() throws Exception {
        Identity identity = api.verify(AccessToken.of(ROOT), Owner.of("globex"));

        assertThat(identity.user().admin()).isTrue();
        assertThat(identity.owner().name()).isEqualTo("globex");
    }

    @Test
    void anUnknownTokenIsUnauthorizedAtOnceWithoutRetries() {
        assertFailure(() -> api.verify(AccessToken.of(WRONG), Owner.of("acme")), Kind.UNAUTHORIZED, WRONG)
                .hasMessage("the Spell API rejected the access token (HTTP 401): it is wrong, revoked or deleted;"
                        + " create a new one with `spell access-tokens create`");
        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(401);
    }

    @Test
    void listCreateAndDeleteRoundTrip() throws Exception {
        List<TokenInfo> before = api.listTokens(alice);
        assertThat(before).singleElement().satisfies(info -> {
            assertThat(info.name()).isEqualTo("ci");
            assertThat(info.createdAt()).isEqualTo("2021-07-01T00:00:00Z");
            assertThat(info.lastUsedAt()).isEqualTo("2021-07-29T15:40:00Z");
        });

        clock.advance(Duration.ofMinutes(5));
        CreatedToken created = api.createToken(alice, "deploy");
        assertThat(created.name()).isEqualTo("deploy");
        assertThat(created.createdAt()).isEqualTo("2021-07-29T15:45:00Z");
        assertThat(fake.hasToken(created.token().reveal())).isTrue();
        assertThat(created.toString()).doesNotContain(created.token().reveal());
        RecordedRequest post = fake.lastRequest();
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.header("Content-Type")).startsWith("application/json");
        assertThat(Http.JSON.readTree(post.body()).get("name").asText()).isEqualTo("deploy");

        List<TokenInfo> listed = api.listTokens(alice);
        assertThat(listed).extracting(TokenInfo::name).containsExactly("ci", "deploy");
        assertThat(listed.get(1).neverUsed()).isTrue();
        assertThat(api.whoami(created.token()).userName()).isEqualTo("alice");
        assertThat(fake.token("alice", "deploy").orElseThrow().lastUsedAt()).isEqualTo("2021-07-29T15:45:00Z");

        api.deleteToken(alice, "deploy");
        RecordedRequest delete = fake.lastRequest();
        assertThat(delete.method()).isEqualTo("DELETE");
        assertThat(Http.JSON.readTree(delete.body()).get("name").asText()).isEqualTo("deploy");
        assertThat(delete.status()).isEqualTo(204);
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertFailure(() -> api.whoami(created.token()), Kind.UNAUTHORIZED, created.token().reveal(), ALICE);
    }

    @Test
    void aDuplicateNameIsAConflictAndIsNotRetried() {
        assertFailure(() -> api.createToken(alice, "ci"), Kind.CONFLICT, ALICE)
                .hasMessageContaining("already exists");
        assertThat(fake.requests()).hasSize(1);
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void deletingAnUnknownNameIsNotFound() {
        assertFailure(() -> api.deleteToken(alice, "nope"), Kind.NOT_FOUND, ALICE)
                .hasMessageContaining("no access token named 'nope'");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void aNameTheServerRefusesIsABadRequestWithTheServersReason() {
        assertFailure(() -> api.createToken(alice, "x".repeat(256)), Kind.BAD_REQUEST, ALICE)
                .hasMessageContaining("longer than 255");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void ephemeralTokensAreCreatedUsableAndDeletedByName() throws Exception {
        EphemeralTokens ephemeral = new EphemeralTokens(api, alice);

        CreatedToken token = ephemeral.create(EphemeralTokenName.Template.of(EphemeralTokenName.GITHUB_PREFIX, 6), List.of("acme/ml", "1234", "1"), EphemeralTokens.Listener.NONE);

        assertThat(EphemeralTokenName.isOurs(token.name(), EphemeralTokenName.GITHUB_PREFIX)).isTrue();
        assertThat(token.name()).startsWith("ci-gha-acme-ml-1234-1-");
        assertThat(fake.tokenNames("alice")).containsExactly("ci", token.name());
        assertThat(api.whoami(token.token()).userName()).isEqualTo("alice");

        ephemeral.delete(token.name());
        ephemeral.delete(token.name()); // gone already: still fine
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(fake.hasToken(token.token().reveal())).isFalse();
    }

    @Test
    void aSweepDeletesOnlyOurTokensWhoseLifeHasPassedByTheAgedClock() throws Exception {
        EphemeralTokens ephemeral = new EphemeralTokens(api, alice);
        EphemeralTokenName.Template hosted = EphemeralTokenName.Template.of(EphemeralTokenName.GITHUB_PREFIX, 6);
        EphemeralTokenName.Template selfHosted = EphemeralTokenName.Template.of(EphemeralTokenName.GITHUB_PREFIX, 120);
        CreatedToken old1 = ephemeral.create(hosted, List.of("acme/ml", "1"), EphemeralTokens.Listener.NONE);
        CreatedToken old2 = ephemeral.create(hosted, List.of("acme/ml", "2"), EphemeralTokens.Listener.NONE);
        CreatedToken training = ephemeral.create(selfHosted, List.of("acme/train", "1"), EphemeralTokens.Listener.NONE);
        CreatedToken jenkins = ephemeral.create(EphemeralTokenName.Template.jenkins("k7q2m9ab", 1), List.of("job", "7"),
                EphemeralTokens.Listener.NONE);
        api.createToken(alice, "ci-gha-my-laptop");
        clock.advance(Duration.ofDays(2));
        CreatedToken fresh = ephemeral.create(hosted, List.of("acme/ml", "3"), EphemeralTokens.Listener.NONE);

        EphemeralTokens.SweepResult result = ephemeral.sweep(
                SweepRule.of(EphemeralTokenName.GITHUB_PREFIX, PerJobLife.DEFAULT, clock));

        assertThat(result.deleted()).containsExactlyInAnyOrder(old1.name(), old2.name());
        assertThat(result.failed()).isEmpty();
        assertThat(result.kept()).extracting(SweepRule.Verdict::name).containsExactly(training.name(), fresh.name());
        assertThat(fake.tokenNames("alice"))
                .containsExactly("ci", training.name(), jenkins.name(), "ci-gha-my-laptop", fresh.name());
        assertThat(fake.hasToken(old1.token().reveal())).isFalse();
        assertThat(fake.hasToken(fresh.token().reveal())).isTrue();
    }

    @Test
    void aSweepReportsTheDeletesThatFailed() throws Exception {
        EphemeralTokens ephemeral = new EphemeralTokens(api, alice);
        String prefix = EphemeralTokenName.CLI_PREFIX;
        CreatedToken old = ephemeral.create(EphemeralTokenName.Template.of(prefix, 1), List.of("a"),
                EphemeralTokens.Listener.NONE);
        clock.advance(Duration.ofHours(3));
        SweepRule rule = SweepRule.of(prefix, PerJobLife.DEFAULT, clock);

        // The list goes through; the delete that follows is refused with 400, which is not retried.
        fake.failNext(1, 200, Http.get(fake, "/v1/users/me/access_tokens", ALICE).body());
        fake.failNext(1, 400, "{\"status\": \"Bad Request\", \"error\": \"no\", \"code\": 400}");
        EphemeralTokens.SweepResult result = ephemeral.sweep(rule);

        assertThat(result.deleted()).isEmpty();
        assertThat(result.failed()).containsExactly(old.name());
        assertThat(fake.tokenNames("alice")).containsExactly("ci", old.name());

        // The next sweep finishes the job.
        assertThat(ephemeral.sweep(rule).deleted()).containsExactly(old.name());
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void aServerErrorIsRetriedAndTheCallSucceeds() throws Exception {
        fake.failNext(1, 503);

        assertThat(api.whoami(alice).userName()).isEqualTo("alice");

        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(503, 200);
        assertThat(fake.requests()).extracting(r -> r.header("Authorization")).containsOnly("Bearer " + ALICE);
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() throws Exception {
        fake.failNext(1, 429, null, "1");

        long started = System.nanoTime();
        assertThat(api.listTokens(alice)).extracting(TokenInfo::name).containsExactly("ci");
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(waitedMillis).isGreaterThanOrEqualTo(950);
        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(429, 200);
    }

    @Test
    void retriesStopAtTheAttemptLimit() {
        fake.failNext(10, 502);

        assertFailure(() -> api.whoami(alice), Kind.SERVER_ERROR, ALICE)
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("gave up after 4 attempts");
        assertThat(fake.requests()).hasSize(4);
    }

    @Test
    void aRateLimitPastTheDeadlineGivesUpWithoutWaiting() {
        fake.failNext(1, 429, "{\"status\": \"Too Many Requests\", \"error\": \"slow down\", \"code\": 429}", "3600");

        long started = System.nanoTime();
        assertFailure(() -> api.whoami(alice), Kind.RATE_LIMITED, ALICE)
                .hasMessageContaining("slow down");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5000);
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void aCreateThatMayHaveReachedTheServerIsNotRepeated() {
        fake.failNext(1, 503);

        SpellApiException failure = failure(() -> api.createToken(alice, "deploy"), Kind.SERVER_ERROR, ALICE);

        assertThat(failure.outcomeUnknown()).isTrue();
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void anEphemeralCreateThatFailedUncertainlyMovesOnToAFreshName() throws Exception {
        fake.failNext(1, 503);
        EphemeralTokens ephemeral = new EphemeralTokens(api, alice);

        CreatedToken token = ephemeral.create(EphemeralTokenName.Template.of(EphemeralTokenName.GITHUB_PREFIX, 6), List.of("acme", "9"), EphemeralTokens.Listener.NONE);

        List<RecordedRequest> requests = fake.requests();
        assertThat(requests).extracting(RecordedRequest::method).containsExactly("POST", "DELETE", "POST");
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(503, 404, 201);
        String firstName = Http.JSON.readTree(requests.get(0).body()).get("name").asText();
        assertThat(Http.JSON.readTree(requests.get(1).body()).get("name").asText()).isEqualTo(firstName);
        assertThat(token.name()).isNotEqualTo(firstName);
        assertThat(fake.tokenNames("alice")).containsExactly("ci", token.name());
    }

    @Test
    void aDroppedConnectionIsRetriedForReadsButNotForCreates() throws Exception {
        fake.dropNext(1);
        assertThat(api.whoami(alice).userName()).isEqualTo("alice");
        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(RecordedRequest.DROPPED, 200);

        fake.clearRequests();
        fake.dropNext(1);
        SpellApiException failure = failure(() -> api.createToken(alice, "deploy"), Kind.NETWORK, ALICE);
        assertThat(failure.outcomeUnknown()).isTrue();
        assertThat(fake.requests()).hasSize(1);
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void aSlowAnswerTimesOut() {
        try (SpellApi once = client(RetryPolicy.none())) {
            fake.delayNext(1, Duration.ofSeconds(5));

            assertFailure(() -> once.whoami(alice), Kind.TIMEOUT, ALICE)
                    .hasMessageContaining("did not answer");
        }
    }

    @Test
    void malformedAndNonJsonAnswersAreBadResponses() {
        fake.failNext(1, 200, "not json at all");
        assertFailure(() -> api.whoami(alice), Kind.BAD_RESPONSE, ALICE).hasMessageContaining("not JSON");

        fake.failNext(1, 200, "{\"access_tokens\": [{\"name\": \"x\", \"created_at\": \"yesterday\", \"last_used_at\": null}]}");
        assertFailure(() -> api.listTokens(alice), Kind.BAD_RESPONSE, ALICE).hasMessageContaining("created_at");

        fake.failNext(1, 500, "<html><body>" + ALICE + "</body></html>");
        try (SpellApi once = client(RetryPolicy.none())) {
            assertFailure(() -> once.whoami(alice), Kind.SERVER_ERROR, ALICE).hasMessageContaining("HTML page");
        }
    }

    @Test
    void aBaseUrlWithAWrongPathIsNotFound() {
        try (SpellApi wrong = SpellApi.builder().apiUrl(ApiUrl.of(fake.url() + "/api")).retryPolicy(FAST_RETRIES).build()) {
            assertFailure(() -> wrong.whoami(alice), Kind.NOT_FOUND, ALICE)
                    .hasMessageContaining(fake.url() + "/api");
        }
        assertThat(fake.lastRequest().path()).isEqualTo("/api/v1/users/me");
    }

    /** Asserts the call fails with {@code kind} and that no token appears in any message or stack trace. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertFailure(ThrowingCallable call, Kind kind, String... tokens) {
        return assertThat(failure(call, kind, tokens));
    }

    /** The failure of {@code call}, of {@code kind}, with no token in any message, cause or stack trace. */
    static SpellApiException failure(ThrowingCallable call, Kind kind, String... tokens) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(SpellApiException.class);
        SpellApiException e = (SpellApiException) thrown;
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        for (String token : tokens) {
            assertThat(trace.toString()).doesNotContain(token);
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(token);
                assertThat(t.toString()).doesNotContain(token);
            }
        }
        return e;
    }
}

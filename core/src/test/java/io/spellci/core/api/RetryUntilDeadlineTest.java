package io.spellci.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spellci.core.api.SpellApiException.Kind;
import io.spellci.core.credentials.AccessToken;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries follow the deadline (timeout-seconds, --timeout), not a count: measured on a clock the test moves, so a
 * ten-minute deadline costs no ten minutes.
 */
class RetryUntilDeadlineTest {
    static final String SECRET = "spell-tok-retry-0123456789abcdef";
    static final AccessToken TOKEN = AccessToken.of(SECRET);

    /** Time passes only when the client waits. */
    static final class MovedClock implements RetryClock {
        long now = 1_000_000_000L;
        final List<Long> pauses = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            pauses.add(nanos);
            now += nanos;
        }

        long total() {
            return pauses.stream().mapToLong(Long::longValue).sum();
        }
    }

    MockWebServer server;
    MovedClock clock = new MovedClock();

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    SpellApi api(RetryPolicy policy) {
        return SpellApi.builder().apiUrl(ApiUrl.of("http://127.0.0.1:" + server.getPort())).frontEnd("test")
                .retryPolicy(policy).retryClock(clock).callTimeout(Duration.ofSeconds(5)).build();
    }

    void enqueue(int times, int status, String retryAfter) {
        for (int i = 0; i < times; i++) {
            MockResponse.Builder response = new MockResponse.Builder().code(status)
                    .addHeader("Content-Type", "application/json").body("{\"error\": \"restarting\"}");
            if (retryAfter != null) {
                response.addHeader("Retry-After", retryAfter);
            }
            server.enqueue(response.build());
        }
    }

    static SpellApiException failureOf(SpellApiTest.ThrowingCall call) {
        SpellApiException e = catchThrowableOfType(SpellApiException.class, call::run);
        assertThat(e).as("expected a SpellApiException").isNotNull();
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(e.toString()).doesNotContain(SECRET);
        return e;
    }

    @Test
    void theDefaultPolicyRetriesA503FiftyTimesWithinTenMinutesAndSucceeds() throws Exception {
        enqueue(50, 503, null);
        server.enqueue(SpellApiTest.json(200, SpellApiTest.USER_ALICE));
        try (SpellApi api = api(RetryPolicy.defaults().withDeadline(Duration.ofSeconds(600)))) {
            assertThat(api.whoami(TOKEN).userName()).isEqualTo("alice");
        }
        assertThat(server.getRequestCount()).isEqualTo(51);
        assertThat(clock.pauses).hasSize(50)
                .allSatisfy(p -> assertThat(p).isBetween(0L, TimeUnit.SECONDS.toNanos(5)));
        assertThat(clock.pauses.stream().distinct().count()).as("jittered, not one fixed pause").isGreaterThan(10);
        assertThat(clock.total()).isLessThan(TimeUnit.SECONDS.toNanos(600));
    }

    @Test
    void theBackoffGrowsExponentiallyUpToItsCap() throws Exception {
        RetryPolicy policy = RetryPolicy.defaults().withDeadline(Duration.ofSeconds(600));
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 30).stream().map(policy::backoffCeiling).map(Duration::toMillis))
                .containsExactly(250L, 500L, 1000L, 2000L, 4000L, 5000L, 5000L, 5000L);
        enqueue(4, 503, null);
        server.enqueue(SpellApiTest.json(200, SpellApiTest.USER_ALICE));
        try (SpellApi api = api(policy)) {
            api.whoami(TOKEN);
        }
        for (int i = 0; i < clock.pauses.size(); i++) {
            assertThat(clock.pauses.get(i)).isLessThanOrEqualTo(policy.backoffCeiling(i + 1).toNanos());
        }
    }

    @Test
    void aFailingApiIsGivenUpAtTheDeadlineNeverAfterItAndTheMessageSaysHowLongItTried() {
        enqueue(400, 503, null);
        SpellApiException e;
        try (SpellApi api = api(RetryPolicy.defaults())) {
            e = failureOf(() -> api.whoami(TOKEN));
        }
        assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(clock.total()).isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(60));
        // 60 s of pauses of at most 5 s (mean below 2.5 s once capped): far more than the old four attempts.
        assertThat(server.getRequestCount()).isGreaterThan(12);
        assertThat(e.getMessage()).contains("HTTP 503", "restarting",
                "gave up after " + server.getRequestCount() + " attempts in", "of the 60.0 s allowed");
    }

    @Test
    void retryAfterReplacesTheBackoffWhenItFitsBeforeTheDeadline() throws Exception {
        enqueue(1, 503, "7");
        enqueue(1, 429, "12");
        server.enqueue(SpellApiTest.json(200, SpellApiTest.USER_ALICE));
        try (SpellApi api = api(RetryPolicy.defaults())) {
            api.whoami(TOKEN);
        }
        assertThat(clock.pauses).containsExactly(TimeUnit.SECONDS.toNanos(7), TimeUnit.SECONDS.toNanos(12));
    }

    @Test
    void aRetryAfterOfZeroIsRetriedAtOnceAsOftenAsTheDeadlineAllows() throws Exception {
        enqueue(200, 503, "0");
        server.enqueue(SpellApiTest.json(200, SpellApiTest.USER_ALICE));
        try (SpellApi api = api(RetryPolicy.defaults())) {
            api.whoami(TOKEN);
        }
        assertThat(server.getRequestCount()).isEqualTo(201);
        assertThat(clock.total()).isZero();
    }

    @Test
    void deletesAreRetriedThroughPlain500sUntilTheyWork() throws Exception {
        enqueue(20, 500, null);
        server.enqueue(SpellApiTest.json(200, "{}"));
        try (SpellApi api = api(RetryPolicy.defaults())) {
            api.deleteToken(TOKEN, "ci-cli-local-tmp-abcd1234");
        }
        assertThat(server.getRequestCount()).isEqualTo(21);
    }

    @Test
    void aCreateIsRetriedOnlyWhereItSurelyMadeNothing() throws Exception {
        // 429: refused before doing anything, so repeated until the deadline.
        enqueue(20, 429, null);
        server.enqueue(SpellApiTest.json(201, "{\"token\": \"per-job-value-0123456789abcdef\","
                + " \"created_at\": \"2026-12-03T08:00:00Z\"}"));
        try (SpellApi api = api(RetryPolicy.defaults())) {
            assertThat(api.createToken(TOKEN, "ci-cli-local-tmp-abcd1234").name())
                    .isEqualTo("ci-cli-local-tmp-abcd1234");
            assertThat(server.getRequestCount()).isEqualTo(21);

            // 503 may have made the token: never repeated, the caller (EphemeralTokens) deletes it and picks a new name.
            enqueue(5, 503, null);
            SpellApiException e = failureOf(() -> api.createToken(TOKEN, "ci-cli-local-tmp-efgh5678"));
            assertThat(e.outcomeUnknown()).isTrue();
            assertThat(server.getRequestCount()).isEqualTo(22);
        }
    }

    @Test
    void theBackgroundCheckPolicyTriesThreeTimesWithinTenSeconds() {
        enqueue(10, 503, null);
        SpellApiException e;
        try (SpellApi api = api(RetryPolicy.backgroundCheck())) {
            e = failureOf(() -> api.whoami(TOKEN));
        }
        assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(clock.pauses).hasSize(2);
        assertThat(clock.total()).isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(750));
        assertThat(RetryPolicy.backgroundCheck().deadline()).isEqualTo(Duration.ofSeconds(10));
    }
}

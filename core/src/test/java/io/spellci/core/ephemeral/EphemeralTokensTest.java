package io.spellci.core.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spellci.core.InvalidInputException;

import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.hygiene.PerJobLife;
import io.spellci.core.hygiene.SweepRule;
import java.time.Clock;
import java.time.ZoneOffset;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EphemeralTokensTest {
    static final String SECRET = "parent-token-0123456789abcdef";
    static final EphemeralTokenName.Template GHA = EphemeralTokenName.Template.of("ci-gha", 6);
    static final EphemeralTokenName.Template CLI = EphemeralTokenName.Template.of("ci-cli", 120);
    static final EphemeralTokenName.Template JENKINS = EphemeralTokenName.Template.jenkins("k7q2m9ab", 48);

    static SweepRule rule(String prefix, String now) {
        return SweepRule.of(prefix, PerJobLife.DEFAULT, Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    }

    MockWebServer server;
    SpellApi api;
    EphemeralTokens tokens;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        api = SpellApi.builder().apiUrl(ApiUrl.of("http://127.0.0.1:" + server.getPort()))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)))
                .build();
        tokens = new EphemeralTokens(api, AccessToken.of(SECRET));
    }

    @AfterEach
    void stop() {
        api.close();
        server.close();
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).body(body).build();
    }

    static String nameIn(RecordedRequest request) {
        return request.getBody().utf8().replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void createsATokenNamedFromPrefixAndContext() throws Exception {
        server.enqueue(json(201, "{\"token\": \"child-1\", \"created_at\": \"2026-01-01T00:00:00Z\"}"));
        CreatedToken created = tokens.create(GHA, List.of("acme/ml", "42", "1"), EphemeralTokens.Listener.NONE);
        assertThat(created.token().reveal()).isEqualTo("child-1");
        String sent = nameIn(server.takeRequest());
        assertThat(sent).matches("ci-gha-acme-ml-42-1-tmp6h-[a-z0-9]{8}").isEqualTo(created.name());
    }

    @Test
    void aCreateWithUnknownOutcomeDeletesThatNameAndTriesAFreshOne() throws Exception {
        server.enqueue(json(502, "{}"));
        server.enqueue(new MockResponse.Builder().code(404).body("{}").build());
        server.enqueue(json(201, "{\"token\": \"child-2\", \"created_at\": \"2026-01-01T00:00:00Z\"}"));
        CreatedToken created = tokens.create(GHA, List.of("r"), EphemeralTokens.Listener.NONE);
        RecordedRequest firstCreate = server.takeRequest();
        RecordedRequest cleanup = server.takeRequest();
        RecordedRequest secondCreate = server.takeRequest();
        assertThat(cleanup.getMethod()).isEqualTo("DELETE");
        assertThat(nameIn(cleanup)).isEqualTo(nameIn(firstCreate));
        assertThat(nameIn(secondCreate)).isNotEqualTo(nameIn(firstCreate)).isEqualTo(created.name());
    }

    /** Records what a front end would be told. */
    static final class Told implements EphemeralTokens.Listener {
        final List<String> creating = new java.util.ArrayList<>();
        final List<String> leftAlive = new java.util.ArrayList<>();
        final List<String> why = new java.util.ArrayList<>();

        @Override
        public void creating(String name) {
            creating.add(name);
        }

        @Override
        public void mayBeLeftAlive(String name, SpellApiException e) {
            leftAlive.add(name);
            why.add(e.getMessage());
        }
    }

    @Test
    void aTokenWhoseCleanUpFailedIsNamedToTheListenerEvenWhenTheNextTryWorks() throws Exception {
        Told told = new Told();
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        for (int i = 0; i < 3; i++) {
            server.enqueue(json(500, "{}")); // the clean-up delete, with its retries
        }
        server.enqueue(json(201, "{\"token\": \"child-3\", \"created_at\": \"2026-01-01T00:00:00Z\"}"));

        CreatedToken created = tokens.create(GHA, List.of("r"), told);

        String first = nameIn(server.takeRequest());
        assertThat(told.creating).containsExactly(first, created.name());
        assertThat(told.leftAlive).containsExactly(first);
        assertThat(told.why.get(0)).contains("HTTP 500").doesNotContain(SECRET);
        assertThat(server.getRequestCount()).isEqualTo(5);
    }

    @Test
    void theCleanUpDeleteGoesOutEvenWhenTheThreadWasInterruptedDuringTheCreate() throws Exception {
        Told told = new Told();
        Thread caller = Thread.currentThread();
        List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        // The create arrives, the build is aborted while it waits, and its answer never comes.
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                seen.add(request.getMethod() + " " + nameIn(request));
                if (request.getMethod().equals("POST")) {
                    caller.interrupt();
                    return new MockResponse.Builder().headersDelay(300, TimeUnit.MILLISECONDS)
                            .onResponseStart(new SocketEffect.CloseSocket()).build();
                }
                return json(204, "");
            }
        });
        try {
            SpellApiException e = catchThrowableOfType(SpellApiException.class,
                    () -> tokens.create(JENKINS, List.of("job", "1"), told));
            assertThat(e).isNotNull();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        // One create, its clean-up delete under the same name, and no second token after the abort.
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).startsWith("POST ci-jenkins-k7q2m9ab-job-1-tmp48h-");
        assertThat(seen.get(1)).isEqualTo(seen.get(0).replace("POST", "DELETE"));
        assertThat(told.leftAlive).isEmpty();
    }

    @Test
    void aClearRefusalIsNotRetried() {
        server.enqueue(json(401, "{}"));
        SpellApiException e = catchThrowableOfType(SpellApiException.class,
                () -> tokens.create(GHA, List.of("r"), EphemeralTokens.Listener.NONE));
        assertThat(e.kind()).isEqualTo(SpellApiException.Kind.UNAUTHORIZED);
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void deletingATokenThatIsGoneAlreadyIsFine() throws Exception {
        server.enqueue(json(404, "{\"error\": \"no such token\"}"));
        tokens.delete("ci-gha-x-tmp-abcdef12");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aFailingDeleteIsReported() {
        server.enqueue(json(400, "{}"));
        SpellApiException e = catchThrowableOfType(SpellApiException.class, () -> tokens.delete("ci-gha-x-tmp-abcdef12"));
        assertThat(e.kind()).isEqualTo(SpellApiException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("deleting access token 'ci-gha-x-tmp-abcdef12'").doesNotContain(SECRET);
    }

    @Test
    void sweepDeletesOnlyOurOldTokens() throws Exception {
        server.enqueue(json(200, "{\"access_tokens\": ["
                + "{\"name\": \"ci-gha-old-tmp-abc12345\", \"created_at\": \"2026-01-01T00:00:00Z\", \"last_used_at\": null},"
                + "{\"name\": \"ci-gha-new-tmp-def45678\", \"created_at\": \"2026-01-02T23:00:00Z\", \"last_used_at\": null},"
                + "{\"name\": \"ci-gha-hosted-tmp6h-ghi78901\", \"created_at\": \"2026-01-05T19:00:00Z\", \"last_used_at\": null},"
                + "{\"name\": \"ci-gha-my-laptop\", \"created_at\": \"2020-01-01T00:00:00Z\", \"last_used_at\": null},"
                + "{\"name\": \"ci-jenkins-old-tmp-abc12345\", \"created_at\": \"2020-01-01T00:00:00Z\", \"last_used_at\": null},"
                + "{\"name\": \"ci-gha-older-tmp-zzz99999\", \"created_at\": \"2025-12-01T00:00:00Z\", \"last_used_at\": null}"
                + "]}"));
        server.enqueue(new MockResponse.Builder().code(204).build());
        server.enqueue(json(500, "{}"));
        // legacy ci-gha names get 120 hours: "old" (5 days and 1 minute) goes, "new" (just under 4 days) stays
        EphemeralTokens.SweepResult result = tokens.sweep(rule("ci-gha", "2026-01-06T00:01:00Z"));
        assertThat(result.deleted()).containsExactly("ci-gha-old-tmp-abc12345");
        assertThat(result.failed()).containsExactly("ci-gha-older-tmp-zzz99999");
        assertThat(result.kept()).extracting(SweepRule.Verdict::name)
                .containsExactly("ci-gha-new-tmp-def45678", "ci-gha-hosted-tmp6h-ghi78901");
        server.takeRequest();
        assertThat(nameIn(server.takeRequest())).isEqualTo("ci-gha-old-tmp-abc12345");
        assertThat(nameIn(server.takeRequest())).isEqualTo("ci-gha-older-tmp-zzz99999");
    }

    @Test
    void aSweepSkipsNamesUnderItsPrefixThatSpellCiCannotHaveMadeAndGoesOn() throws Exception {
        // A person's "ci-gha-My Laptop-tmp-abcdefgh" ends like ours but is no name spell-ci makes: delete()
        // refuses it, and that refusal must neither delete it nor stop the sweep before the real leftovers.
        server.enqueue(json(200, "{\"access_tokens\": ["
                + "{\"name\": \"ci-gha-My Laptop-tmp-abcdefgh\", \"created_at\": \"2020-01-01T00:00:00Z\", \"last_used_at\": null},"
                + "{\"name\": \"ci-gha-old-tmp-abc12345\", \"created_at\": \"2020-01-01T00:00:00Z\", \"last_used_at\": null}"
                + "]}"));
        server.enqueue(new MockResponse.Builder().code(204).build());
        EphemeralTokens.SweepResult result = tokens.sweep(rule("ci-gha", "2026-01-03T00:00:00Z"));
        assertThat(result.deleted()).containsExactly("ci-gha-old-tmp-abc12345");
        assertThat(result.failed()).isEmpty();
        server.takeRequest();
        assertThat(nameIn(server.takeRequest())).isEqualTo("ci-gha-old-tmp-abc12345");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aCreateInterruptedWhileWaitingToRetryStopsThereAndMakesNoOtherToken() throws Exception {
        // Jenkins stops a build by interrupting its thread; the first POST was refused (429), so nothing exists
        // and nothing is to be cleaned up or tried again under a fresh name.
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3").body("{}").build());
        for (int i = 0; i < 5; i++) {
            server.enqueue(json(201, "{\"token\": \"child-9\", \"created_at\": \"2026-01-01T00:00:00Z\"}"));
        }
        Throwable[] thrown = new Throwable[1];
        Thread job = new Thread(() -> {
            try {
                tokens.create(JENKINS, List.of("job"), EphemeralTokens.Listener.NONE);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        job.start();
        Thread.sleep(500);
        job.interrupt();
        job.join(10_000);
        assertThat(thrown[0]).isInstanceOf(SpellApiException.class).hasMessageContaining("interrupted");
        assertThat(((SpellApiException) thrown[0]).outcomeUnknown()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aCreatedTokenWhoseAnswerIsUnreadableIsDeletedNotLeftAlive() throws Exception {
        // 201 means the token exists; the caller cannot use it, so the job must not leave it alive until a sweep.
        server.enqueue(json(201, "<html>created</html>"));
        server.enqueue(new MockResponse.Builder().code(204).build());
        SpellApiException e = catchThrowableOfType(SpellApiException.class, () -> tokens.create(GHA, List.of("r"), EphemeralTokens.Listener.NONE));
        assertThat(e.kind()).isEqualTo(SpellApiException.Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).doesNotContain(SECRET);
        RecordedRequest create = server.takeRequest();
        RecordedRequest cleanup = server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(cleanup).as("a DELETE of the name just created").isNotNull();
        assertThat(cleanup.getMethod()).isEqualTo("DELETE");
        assertThat(nameIn(cleanup)).isEqualTo(nameIn(create));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void onlyPerJobTokensAreDeletedByName() {
        assertThatThrownBy(() -> tokens.delete("laptop"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'laptop' is not a per-job token made by spell-ci")
                .hasMessageContaining("spell access-tokens delete");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aNameHoldingTheTokenIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> tokens.delete(SECRET))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThatThrownBy(() -> tokens.create(CLI, List.of("job", SECRET), EphemeralTokens.Listener.NONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("would contain the access token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(SECRET));
        assertThat(server.getRequestCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci", "foo", "ci-gh", "ci-gha-acme"})
    void aSweepUnderAPrefixSpellCiDoesNotUseIsRefusedBeforeAnyCall(String prefix) {
        // `--prefix ci` deleted the action's ci-gha-... tokens, `--prefix foo` a person's foo-old-tmp-eeeeeeee.
        assertThatThrownBy(() -> tokens.sweep(rule(prefix, "2026-01-03T00:00:00Z")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("token name prefix is not one of spell-ci's")
                .hasMessageContaining("ci-cli").hasMessageContaining("ci-gha").hasMessageContaining("ci-jenkins");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void eachKnownPrefixSweepsOnlyItsOwnNames() throws Exception {
        String list = "{\"access_tokens\": ["
                + "{\"name\": \"ci-gha-a-tmp-aaaaaaaa\", \"created_at\": \"2020-01-01T00:00:00Z\", \"last_used_at\": null},"
                + "{\"name\": \"ci-cli-b-tmp-bbbbbbbb\", \"created_at\": \"2020-01-01T00:00:00Z\", \"last_used_at\": null},"
                + "{\"name\": \"ci-jenkins-c-tmp-cccccccc\", \"created_at\": \"2020-01-01T00:00:00Z\", \"last_used_at\": null},"
                + "{\"name\": \"foo-old-tmp-eeeeeeee\", \"created_at\": \"2020-01-01T00:00:00Z\", \"last_used_at\": null}"
                + "]}";
        for (String prefix : EphemeralTokenName.PREFIXES) {
            server.enqueue(json(200, list));
            server.enqueue(new MockResponse.Builder().code(204).build());
            EphemeralTokens.SweepResult result = tokens.sweep(rule(prefix, "2026-01-03T00:00:00Z"));
            assertThat(result.deleted()).as(prefix).hasSize(1).allSatisfy(n -> assertThat(n).startsWith(prefix + "-"));
            server.takeRequest();
            assertThat(nameIn(server.takeRequest())).startsWith(prefix + "-");
        }
        assertThat(EphemeralTokenName.PREFIXES).containsExactlyInAnyOrder("ci-cli", "ci-gha", "ci-jenkins");
    }

    @Test
    void aSweepWithABadPrefixIsRefused() {
        assertThatThrownBy(() -> tokens.sweep(rule("bad prefix", "2026-01-03T00:00:00Z")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("token name prefix");
        assertThat(server.getRequestCount()).isZero();
    }
}

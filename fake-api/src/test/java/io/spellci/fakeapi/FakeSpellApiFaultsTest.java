package io.spellci.fakeapi;

import static io.spellci.fakeapi.FakeSpellApiHttpTest.assertErrorBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures, delays and dropped connections on demand. */
class FakeSpellApiFaultsTest {

    static final String TOKEN = "alice-secret-token-0001";
    FakeSpellApi fake;

    @BeforeEach
    void start() {
        fake = FakeSpellApi.builder()
                .user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN)
                .start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void failNextAnswersTheNextCallsWithTheStatusAndAnErrorBodyThenRecovers() {
        fake.failNext(2, 503);

        Http.Reply first = Http.get(fake, "/v1/users/me", TOKEN);
        Http.Reply second = Http.get(fake, "/v1/users/me/access_tokens", TOKEN);
        Http.Reply third = Http.get(fake, "/v1/users/me", TOKEN);

        assertThat(first.status()).isEqualTo(503);
        assertErrorBody(first, 503, "Service Unavailable");
        assertThat(first.header("Retry-After")).isNull();
        assertThat(second.status()).isEqualTo(503);
        assertThat(third.status()).isEqualTo(200);
        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(503, 503, 200);
        assertThat(first.body() + second.body()).doesNotContain(TOKEN);
    }

    @Test
    void failuresTakePrecedenceOverRoutingAndAuthentication() {
        fake.failNext(3, 500);

        assertThat(Http.get(fake, "/no/such/path", null).status()).isEqualTo(500);
        assertThat(Http.get(fake, "/v1/users/me", "wrong").status()).isEqualTo(500);
        assertThat(Http.post(fake, "/v1/users/me/access_tokens", TOKEN, "{\"name\": \"x\"}").status()).isEqualTo(500);
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(Http.get(fake, "/no/such/path", null).status()).isEqualTo(404);
    }

    @Test
    void failNextCanCarryABodyAndRetryAfter() {
        fake.failNext(1, 429, "{\"status\": \"Too Many Requests\", \"error\": \"slow down\", \"code\": 429}", "2");
        fake.failNext(1, 502, "<html>Bad gateway</html>");
        fake.failNext(1, 500, "");
        fake.failNext(1, 200, "{\"user\": 42}");

        Http.Reply limited = Http.get(fake, "/v1/users/me", TOKEN);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("2");
        assertThat(limited.header("Content-Type")).isEqualTo("application/json");
        assertThat(limited.json().get("error").asText()).isEqualTo("slow down");

        Http.Reply html = Http.get(fake, "/v1/users/me", TOKEN);
        assertThat(html.status()).isEqualTo(502);
        assertThat(html.header("Content-Type")).startsWith("text/plain");
        assertThat(html.body()).isEqualTo("<html>Bad gateway</html>");

        Http.Reply empty = Http.get(fake, "/v1/users/me", TOKEN);
        assertThat(empty.status()).isEqualTo(500);
        assertThat(empty.body()).isEmpty();

        Http.Reply malformed = Http.get(fake, "/v1/users/me", TOKEN);
        assertThat(malformed.status()).isEqualTo(200);
        assertThat(malformed.body()).isEqualTo("{\"user\": 42}");

        assertThat(Http.get(fake, "/v1/users/me", TOKEN).json().get("user").get("user_name").asText()).isEqualTo("alice");
    }

    @Test
    void dropNextClosesTheConnectionWithoutAResponse() throws Exception {
        fake.dropNext(1);

        // A raw socket shows exactly what the client sees: the connection ends, not one byte comes back.
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }

        assertThat(Http.get(fake, "/v1/users/me", TOKEN).status()).isEqualTo(200);
        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(RecordedRequest.DROPPED, 200);
        assertThat(fake.requests().get(0).toString()).endsWith("-> dropped]");
    }

    @Test
    void aDroppedConnectionIsAnIoExceptionForTheClient() {
        fake.dropNext(1);

        // POST: the JDK client silently retries an idempotent GET once on a connection closed without a response.
        HttpRequest request = Http.request(fake, "/v1/users/me/access_tokens", TOKEN, Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"x\"}")).build();
        assertThatThrownBy(() -> Http.exchange(request))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(TOKEN));
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void failuresAndDropsAreServedInTheOrderTheyWereAskedFor() {
        fake.failNext(1, 503);
        fake.dropNext(1);
        fake.failNext(1, 504);
        String body = "{\"name\": \"x\"}";
        String path = "/v1/users/me/access_tokens";

        assertThat(Http.post(fake, path, TOKEN, body).status()).isEqualTo(503);
        assertThatThrownBy(() -> Http.post(fake, path, TOKEN, body)).hasCauseInstanceOf(IOException.class);
        assertThat(Http.post(fake, path, TOKEN, body).status()).isEqualTo(504);
        assertThat(Http.post(fake, path, TOKEN, body).status()).isEqualTo(201);
        assertThat(fake.requests()).extracting(RecordedRequest::status)
                .containsExactly(503, RecordedRequest.DROPPED, 504, 201);
    }

    @Test
    void delayNextHoldsTheAnswerBackAndCombinesWithAFailure() {
        fake.delayNext(1, Duration.ofMillis(400));
        fake.failNext(1, 503);

        long started = System.nanoTime();
        Http.Reply reply = Http.get(fake, "/v1/users/me", TOKEN);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(400);

        started = System.nanoTime();
        assertThat(Http.get(fake, "/v1/users/me", TOKEN).status()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(400);
    }

    @Test
    void aDelayLongerThanTheClientTimeoutTimesTheClientOut() {
        fake.delayNext(1, Duration.ofSeconds(3));

        HttpRequest request = Http.request(fake, "/v1/users/me", TOKEN, Duration.ofMillis(300)).GET().build();
        assertThatThrownBy(() -> Http.exchange(request))
                .isInstanceOf(HttpTimeoutException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(TOKEN));

        assertThat(Http.get(fake, "/v1/users/me", TOKEN).status()).isEqualTo(200);
    }

    @Test
    void aDelayedRequestDoesNotHoldUpOthers() throws Exception {
        fake.delayNext(1, Duration.ofSeconds(2));
        CompletableFuture<Http.Reply> slow = CompletableFuture.supplyAsync(() -> Http.get(fake, "/v1/users/me", TOKEN));
        waitFor(() -> fake.requests().size() == 1);

        long started = System.nanoTime();
        assertThat(Http.get(fake, "/v1/users/me/access_tokens", TOKEN).status()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1500);
        assertThat(slow.isDone()).isFalse();

        assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(fake.requests()).extracting(RecordedRequest::path)
                .containsExactly("/v1/users/me", "/v1/users/me/access_tokens");
    }

    @Test
    void resetFaultsForgetsEverythingQueued() {
        fake.failNext(5, 503);
        fake.dropNext(2);
        fake.delayNext(3, Duration.ofSeconds(5));

        fake.resetFaults();

        long started = System.nanoTime();
        assertThat(Http.get(fake, "/v1/users/me", TOKEN).status()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
    }

    @Test
    void closeCutsOffADelayedRequestPromptly() {
        fake.delayNext(1, Duration.ofSeconds(30));
        CompletableFuture<Http.Reply> pending = CompletableFuture.supplyAsync(() -> Http.get(fake, "/v1/users/me", TOKEN));
        waitFor(() -> fake.requests().size() == 1);

        long started = System.nanoTime();
        fake.close();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
        assertThat(fake.isRunning()).isFalse();
    }

    @Test
    void faultArgumentsAreChecked() {
        assertThatThrownBy(() -> fake.failNext(0, 503)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calls");
        assertThatThrownBy(() -> fake.failNext(1, 99)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99");
        assertThatThrownBy(() -> fake.failNext(1, 600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fake.dropNext(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fake.delayNext(1, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fake.delayNext(1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

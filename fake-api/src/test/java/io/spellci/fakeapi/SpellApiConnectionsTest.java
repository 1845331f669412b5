package io.spellci.fakeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * core's client against servers that close connections: HTTP/1.0 servers, servers that close after every answer
 * without saying so, and keep-alive timeouts shorter than the client's. None of this is a failure of the API.
 */
class SpellApiConnectionsTest {

    static final String ALICE = "alice-secret-token-0001";
    /** Two attempts: a stale connection that counted as one would leave a single real try. */
    static final RetryPolicy TWO_TRIES =
            new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(20));

    final AccessToken alice = AccessToken.of(ALICE);
    FakeSpellApi fake;
    final List<AutoCloseable> closing = new ArrayList<>();

    FakeSpellApi start(FakeSpellApi.Builder builder) {
        fake = builder.user(FakeUser.of("alice", "alice@example.com", "acme")).token("alice", "ci", ALICE).start();
        closing.add(fake);
        return fake;
    }

    SpellApi client(RetryPolicy retries) {
        SpellApi api = SpellApi.builder().apiUrl(ApiUrl.of(fake.url())).frontEnd("test").retryPolicy(retries)
                .callTimeout(Duration.ofSeconds(5)).build();
        closing.add(api);
        return api;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void againstAnHttp10ServerAValidationThenAPerJobTokenAndItsDeleteAllWork() throws Exception {
        start(FakeSpellApi.builder().connectionMode(FakeSpellApi.ConnectionMode.HTTP_1_0));
        SpellApi api = client(RetryPolicy.none());
        EphemeralTokens tokens = new EphemeralTokens(api, alice);

        for (int job = 0; job < 3; job++) {
            api.verify(alice, Owner.of("acme"));
            CreatedToken created = tokens.create(EphemeralTokenName.Template.of(EphemeralTokenName.GITHUB_PREFIX, 6), List.of("acme", "" + job),
                    EphemeralTokens.Listener.NONE);
            tokens.delete(created.name());
            api.listTokens(alice);
        }

        // With no retries at all, every call went through on the first try: none met a closed connection.
        assertThat(fake.requests()).extracting(RecordedRequest::status).doesNotContain(RecordedRequest.DROPPED)
                .hasSize(12);
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void aServerThatClosesSilentlyAfterEachAnswerNeverCostsAnAttempt() throws Exception {
        start(FakeSpellApi.builder().connectionMode(FakeSpellApi.ConnectionMode.CLOSE));
        SpellApi api = client(RetryPolicy.none());

        for (int i = 0; i < 5; i++) {
            assertThat(api.whoami(alice).userName()).isEqualTo("alice");
        }
        CreatedToken created = new EphemeralTokens(api, alice).create(EphemeralTokenName.Template.of(EphemeralTokenName.CLI_PREFIX, 120), List.of("x"),
                EphemeralTokens.Listener.NONE);
        assertThat(fake.tokenNames("alice")).contains(created.name());
    }

    @Test
    void aKeepAliveTimeoutShorterThanTheClientsIsNotAFailure() throws Exception {
        start(FakeSpellApi.builder().idleTimeout(Duration.ofMillis(100)));
        SpellApi api = client(RetryPolicy.none());

        for (int i = 0; i < 3; i++) {
            api.whoami(alice);
            Thread.sleep(300); // the server closes the idle connection meanwhile, without a word
        }
        CreatedToken created = api.createToken(alice, "after-idle");
        Thread.sleep(300);
        api.deleteToken(alice, created.name());

        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void retriesAreNotHalvedByClosedConnections() throws Exception {
        start(FakeSpellApi.builder().connectionMode(FakeSpellApi.ConnectionMode.CLOSE));
        SpellApi api = client(TWO_TRIES);

        // One 429 and then success: two real attempts, whatever the server does with its connections.
        fake.failNext(1, 429);
        assertThat(api.whoami(alice).userName()).isEqualTo("alice");
        fake.failNext(1, 503);
        assertThat(api.listTokens(alice)).isNotEmpty();
    }

    /** Counts what a shared client (as Jenkins passes one) sees: connections opened and failed exchanges. */
    static final class Counting extends EventListener {
        final AtomicInteger connects = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            connects.incrementAndGet();
        }

        @Override
        public void requestFailed(Call call, IOException e) {
            failures.incrementAndGet();
        }

        @Override
        public void responseFailed(Call call, IOException e) {
            failures.incrementAndGet();
        }
    }

    SpellApi sharing(OkHttpClient shared) {
        SpellApi api = SpellApi.builder().apiUrl(ApiUrl.of(fake.url())).httpClient(shared)
                .retryPolicy(RetryPolicy.none()).build();
        closing.add(api);
        return api;
    }

    @Test
    void aCreateNeverGoesOutOnAPooledConnection() throws Exception {
        start(FakeSpellApi.builder().idleTimeout(Duration.ofMillis(100)));
        Counting events = new Counting();
        OkHttpClient shared = new OkHttpClient.Builder().eventListener(events).build();
        SpellApi api = sharing(shared);

        api.whoami(alice);
        Thread.sleep(300);
        // The pooled connection is dead; a create on it would fail with its outcome unknown.
        api.createToken(alice, "fresh-connection");

        assertThat(fake.tokenNames("alice")).contains("fresh-connection");
        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(200, 201);
        assertThat(events.connects).hasValue(2);
        assertThat(events.failures).hasValue(0);
        shared.connectionPool().evictAll();
    }

    @Test
    void anHttp10AnswerWithoutKeepAliveIsNeverFollowedByARequestOnItsConnection() throws Exception {
        start(FakeSpellApi.builder().connectionMode(FakeSpellApi.ConnectionMode.HTTP_1_0));
        Counting events = new Counting();
        OkHttpClient shared = new OkHttpClient.Builder().eventListener(events).build();
        SpellApi api = sharing(shared);

        for (int i = 0; i < 5; i++) {
            api.whoami(alice);
        }

        // Each call opened its own connection, and none was first tried on the closed one (that would be a failure).
        assertThat(events.connects).hasValue(5);
        assertThat(events.failures).hasValue(0);
        shared.connectionPool().evictAll();
    }

    @Test
    void aConnectionTheServerClosedSilentlyIsRetriedOnANewOneWithoutSpendingAnAttempt() throws Exception {
        start(FakeSpellApi.builder().connectionMode(FakeSpellApi.ConnectionMode.CLOSE));
        Counting events = new Counting();
        OkHttpClient shared = new OkHttpClient.Builder().eventListener(events).build();
        SpellApi api = sharing(shared);

        api.whoami(alice);
        api.whoami(alice); // RetryPolicy.none(): only works if the stale try did not count

        assertThat(events.failures).hasPositiveValue();
        assertThat(fake.requests()).hasSize(2);
        shared.connectionPool().evictAll();
    }

    @Test
    void aSharedClientsOtherPooledConnectionsAreLeftAlone() throws Exception {
        start(FakeSpellApi.builder());
        try (FakeSpellApi other = FakeSpellApi.builder().user(FakeUser.named("bob")).token("bob", "b", "bob-token-00000001")
                .start()) {
            Counting events = new Counting();
            OkHttpClient shared = new OkHttpClient.Builder().eventListener(events).build();
            // Another plugin's keep-alive connection in the shared pool.
            try (okhttp3.Response r = shared.newCall(new okhttp3.Request.Builder().url(other.url() + "/v1/users/me")
                    .header("Authorization", "Bearer bob-token-00000001").build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
            }
            fake.connectionMode(FakeSpellApi.ConnectionMode.HTTP_1_0);
            SpellApi api = sharing(shared);
            api.whoami(alice);
            api.createToken(alice, "x-token");
            api.close();

            int connectsBefore = events.connects.get();
            try (okhttp3.Response r = shared.newCall(new okhttp3.Request.Builder().url(other.url() + "/v1/users/me")
                    .header("Authorization", "Bearer bob-token-00000001").build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
            }
            // Still the first connection to the other server: ours closed none of its.
            assertThat(events.connects).hasValue(connectsBefore);
            assertThat(other.requests()).hasSize(2);
            shared.connectionPool().evictAll();
        }
    }

    @Test
    void aDeleteIsRetriedOnHttp500() throws Exception {
        start(FakeSpellApi.builder());
        SpellApi api = client(TWO_TRIES);
        CreatedToken created = api.createToken(alice, "to-delete");

        fake.failNext(1, 500);
        api.deleteToken(alice, created.name());

        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(201, 500, 204);
    }

    @Test
    void aCreateIsNotRetriedOnHttp500() {
        start(FakeSpellApi.builder());
        SpellApi api = client(TWO_TRIES);

        fake.failNext(1, 500);
        Throwable thrown = catchThrowable(() -> api.createToken(alice, "maybe"));

        assertThat(thrown).isInstanceOf(SpellApiException.class);
        assertThat(((SpellApiException) thrown).outcomeUnknown()).isTrue();
        assertThat(thrown.getMessage()).doesNotContain(ALICE);
        assertThat(fake.requests()).hasSize(1);
    }
}

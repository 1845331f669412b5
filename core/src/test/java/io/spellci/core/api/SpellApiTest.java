package io.spellci.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spellci.core.InvalidInputException;
import io.spellci.core.SpellCi;
import io.spellci.core.api.SpellApiException.Kind;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpellApiTest {
    static final String SECRET = "spell-tok-9f8e7d6c5b4a39281706";
    static final AccessToken TOKEN = AccessToken.of(SECRET);
    static final String USER_ALICE = "{\"user\": {\"user_name\": \"alice\", \"email\": \"alice@example.com\","
            + " \"created_at\": \"2021-01-02T03:04:05Z\", \"updated_at\": \"2021-01-02T03:04:05Z\", \"is_admin\": false,"
            + " \"memberships\": [{\"role\": \"member\", \"created_at\": \"2021-01-02T03:04:05Z\","
            + " \"updated_at\": \"2021-01-02T03:04:05Z\", \"organization\": {\"name\": \"acme\","
            + " \"created_at\": \"2021-01-02T03:04:05Z\", \"updated_at\": \"2021-01-02T03:04:05Z\"}},"
            + " {\"role\": \"admin\", \"organization\": {\"name\": \"ml-lab\"}}]}}";
    static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20),
            Duration.ofSeconds(10));

    MockWebServer server;
    SpellApi api;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        api = apiFor(server, FAST);
    }

    @AfterEach
    void stop() {
        api.close();
        server.close();
    }

    static SpellApi apiFor(MockWebServer server, RetryPolicy policy) {
        return SpellApi.builder()
                .apiUrl(ApiUrl.of("http://127.0.0.1:" + server.getPort()))
                .frontEnd("test")
                .retryPolicy(policy)
                .callTimeout(Duration.ofSeconds(5))
                .build();
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    /** Every failure must leave the token out of everything a user or a log could see. */
    static void assertNoToken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
            assertThat(t.toString()).doesNotContain(SECRET);
        }
    }

    SpellApiException failureOf(ThrowingCall call) {
        SpellApiException e = catchThrowableOfType(SpellApiException.class, call::run);
        assertThat(e).as("expected a SpellApiException").isNotNull();
        assertNoToken(e);
        return e;
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void whoamiSendsBearerTokenAndUserAgentAndReadsTheUser() throws Exception {
        server.enqueue(json(200, USER_ALICE));
        SpellUser user = api.whoami(TOKEN);
        assertThat(user).isEqualTo(new SpellUser("alice", "alice@example.com", false, List.of("acme", "ml-lab")));
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/v1/users/me");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(request.getHeaders().get("User-Agent")).isEqualTo("spell-ci/" + SpellCi.version() + " (test)");
    }

    @Test
    void aBasePathIsKeptBeforeV1() throws Exception {
        SpellApi prefixed = SpellApi.builder().apiUrl(ApiUrl.of("http://127.0.0.1:" + server.getPort() + "/spell/"))
                .retryPolicy(FAST).build();
        server.enqueue(json(200, USER_ALICE));
        prefixed.whoami(TOKEN);
        assertThat(server.takeRequest().getTarget()).isEqualTo("/spell/v1/users/me");
        prefixed.close();
    }

    @Test
    void verifyAcceptsAnOrganizationOfTheUserAndTheirOwnName() throws Exception {
        server.enqueue(json(200, USER_ALICE));
        server.enqueue(json(200, USER_ALICE));
        assertThat(api.verify(TOKEN, Owner.of("ml-lab")).owner()).isEqualTo(Owner.of("ml-lab"));
        Identity self = api.verify(TOKEN, Owner.of("alice"));
        assertThat(self.user().userName()).isEqualTo("alice");
        assertThat(server.getRequestCount()).as("one call per verify").isEqualTo(2);
    }

    @Test
    void verifyRefusesAnOwnerTheUserDoesNotBelongToAndListsTheAllowedOnes() {
        server.enqueue(json(200, USER_ALICE));
        SpellApiException e = failureOf(() -> api.verify(TOKEN, Owner.of("globex")));
        assertThat(e.kind()).isEqualTo(Kind.OWNER_NOT_ALLOWED);
        assertThat(e).hasMessage("the access token belongs to Spell user 'alice', who may not act for owner 'globex':"
                + " set the owner to one of alice, acme, ml-lab, or ask an admin of 'globex' to add alice to the"
                + " organization");
    }

    @Test
    void adminsMayActForAnyOwner() throws Exception {
        server.enqueue(json(200, "{\"user\": {\"user_name\": \"root\", \"email\": \"r@x\", \"is_admin\": true}}"));
        assertThat(api.verify(TOKEN, Owner.of("globex")).user().admin()).isTrue();
    }

    @Test
    void verifyRefusesTheTokenAsOwnerBeforeCallingTheApi() {
        assertThatThrownBy(() -> api.verify(TOKEN, Owner.of(SECRET)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(SpellApiTest::assertNoToken);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void unauthorizedSaysWhatIsWrongAndHowToFixItAndIsNotRetried() {
        server.enqueue(json(401, "{\"status\": \"Unauthorized\", \"error\": \"bad token " + SECRET + "\", \"code\": 401}"));
        SpellApiException e = failureOf(() -> api.whoami(TOKEN));
        assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e).hasMessage("the Spell API rejected the access token (HTTP 401): it is wrong, revoked or deleted;"
                + " create a new one with `spell access-tokens create`");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 422})
    void clientErrorsAreNeverRetried(int status) {
        server.enqueue(json(status, "{\"status\": \"nope\"}"));
        server.enqueue(json(200, USER_ALICE));
        SpellApiException e = failureOf(() -> api.whoami(TOKEN));
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.isTransient()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void errorKindsFollowTheStatus() {
        int[] statuses = {400, 403, 404, 409, 418, 500};
        Kind[] kinds = {Kind.BAD_REQUEST, Kind.FORBIDDEN, Kind.NOT_FOUND, Kind.CONFLICT, Kind.BAD_REQUEST,
            Kind.SERVER_ERROR};
        SpellApi once = apiFor(server, RetryPolicy.none());
        for (int i = 0; i < statuses.length; i++) {
            server.enqueue(json(statuses[i], "{}"));
            assertThat(failureOf(() -> once.whoami(TOKEN)).kind()).as("HTTP %d", statuses[i]).isEqualTo(kinds[i]);
        }
        once.close();
    }

    @Test
    void theErrorFieldOfTheBodyIsShownElseTheStatusField() {
        server.enqueue(json(400, "{\"status\": \"Bad Request\", \"error\": \"name is too long\", \"code\": 400}"));
        assertThat(failureOf(() -> api.createToken(TOKEN, "x")).getMessage())
                .contains("(the API says: name is too long)");
        server.enqueue(json(400, "{\"status\": \"Bad Request\", \"code\": 400}"));
        assertThat(failureOf(() -> api.createToken(TOKEN, "x")).getMessage()).contains("(the API says: Bad Request)");
    }

    @Test
    void nonJsonAndHtmlErrorBodiesAreReportedReadably() {
        server.enqueue(new MockResponse.Builder().code(403).body("Forbidden by proxy\r\n\u0007policy 12").build());
        assertThat(failureOf(() -> api.whoami(TOKEN)).getMessage())
                .contains("(the API says: Forbidden by proxy policy 12)");
        server.enqueue(new MockResponse.Builder().code(404).body("<html><body>Not here</body></html>").build());
        assertThat(failureOf(() -> api.whoami(TOKEN)).getMessage())
                .contains("an HTML page, not a Spell API answer")
                .contains("check that the API URL http://127.0.0.1:" + server.getPort());
        server.enqueue(json(400, "{not json"));
        assertThat(failureOf(() -> api.whoami(TOKEN)).getMessage()).contains("(the API says: {not json)");
    }

    @Test
    void aServerEchoingTheTokenHasItRedacted() {
        server.enqueue(new MockResponse.Builder().code(400).body("token " + SECRET + " is odd").build());
        SpellApiException e = failureOf(() -> api.whoami(TOKEN));
        assertThat(e.getMessage()).contains("token *** is odd");
    }

    @Test
    void aTokenEchoedWhereTheServersMessageIsCutIsNotHalfShown() {
        // The message is cut at 300 characters; cutting before redacting left the token's first characters.
        server.enqueue(new MockResponse.Builder().code(400).body("x".repeat(290) + SECRET + " is odd").build());
        SpellApiException e = failureOf(() -> api.whoami(TOKEN));
        assertThat(e.getMessage()).contains("xxx").doesNotContain(SECRET.substring(0, 10));
        server.enqueue(json(400, "{\"error\": \"" + "x".repeat(290) + SECRET + "\"}"));
        assertThat(failureOf(() -> api.whoami(TOKEN)).getMessage()).doesNotContain(SECRET.substring(0, 10));
    }

    @Test
    void malformedSuccessBodiesAreBadResponses() {
        String[] bodies = {"not json", "[1,2]", "{}", "{\"user\": {\"email\": \"a@b\"}}", "{\"user\": 5}"};
        for (String body : bodies) {
            server.enqueue(json(200, body));
            SpellApiException e = failureOf(() -> api.whoami(TOKEN));
            assertThat(e.kind()).as(body).isEqualTo(Kind.BAD_RESPONSE);
            assertThat(e.getMessage()).contains("is not what the Spell API sends")
                    .contains("check that the API URL points at a Spell API");
        }
        assertThat(server.getRequestCount()).as("a bad body is not retried").isEqualTo(bodies.length);
    }

    @Test
    void anOversizedBodyIsRefused() {
        server.enqueue(json(200, "{\"user\": {\"user_name\": \"" + "a".repeat(1 << 20) + "\"}}"));
        SpellApiException e = failureOf(() -> api.whoami(TOKEN));
        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("larger than 1024 KiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci bot", "ci/bot", "ci\u2028bot", "ci\u0007bot"})
    void aUserNameSpellNeverMakesIsAnUnexpectedAnswer(String userName) {
        server.enqueue(json(200, "{\"user\": {\"user_name\": \"" + userName.replace("\u0007", "\\u0007")
                + "\", \"email\": \"a@example.com\"}}"));
        SpellApiException e = failureOf(() -> api.whoami(TOKEN));
        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("\"user_name\" contains whitespace, a control character or '/'");
    }

    @Test
    void serverTextCannotCarryTheRunnersOldCommandSyntax() {
        server.enqueue(json(403, "{\"error\": \"no ##[stop-commands]x for you\"}"));
        SpellApiException e = failureOf(() -> api.whoami(TOKEN));
        assertThat(e.getMessage()).contains("no # #[stop-commands]x for you").doesNotContain("##[");
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 503, 504})
    void gatewayAndUnavailableErrorsAreRetriedUntilSuccess(int status) throws Exception {
        server.enqueue(json(status, "{}"));
        server.enqueue(json(status, "{}"));
        server.enqueue(json(200, USER_ALICE));
        assertThat(api.whoami(TOKEN).userName()).isEqualTo("alice");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void attemptsAreBounded() {
        for (int i = 0; i < 6; i++) {
            server.enqueue(json(503, "{\"error\": \"maintenance\"}"));
        }
        SpellApiException e = failureOf(() -> api.whoami(TOKEN));
        assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("HTTP 503", "maintenance", "gave up after 4 attempts");
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void aPlainInternalServerErrorIsRetriedForAReadButNotForACreate() throws Exception {
        server.enqueue(json(500, "{}"));
        server.enqueue(json(200, USER_ALICE));
        assertThat(api.whoami(TOKEN).userName()).isEqualTo("alice");
        assertThat(server.getRequestCount()).isEqualTo(2);

        server.enqueue(json(500, "{}"));
        SpellApiException create = failureOf(() -> api.createToken(TOKEN, "once"));
        assertThat(create.kind()).isEqualTo(Kind.SERVER_ERROR);
        assertThat(create.outcomeUnknown()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").body("{}").build());
        server.enqueue(json(200, USER_ALICE));
        long started = System.nanoTime();
        api.whoami(TOKEN);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aRetryAfterPastTheDeadlineGivesUpAtOnceAndSaysSo() {
        SpellApi shortDeadline = apiFor(server, FAST.withDeadline(Duration.ofSeconds(2)));
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120").body("{}").build());
        long started = System.nanoTime();
        SpellApiException e = failureOf(() -> shortDeadline.whoami(TOKEN));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.getMessage()).contains("HTTP 429", "asked to wait 120.0 s, past the deadline of 2.0 s");
        shortDeadline.close();
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(SpellApi.retryAfterNanos("3")).isEqualTo(TimeUnit.SECONDS.toNanos(3));
        assertThat(SpellApi.retryAfterNanos(null)).isEqualTo(-1);
        assertThat(SpellApi.retryAfterNanos("soon")).isEqualTo(-1);
        assertThat(SpellApi.retryAfterNanos("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
    }

    @Test
    void theDeadlineBoundsSlowAnswers() {
        SpellApi patient = SpellApi.builder().apiUrl(ApiUrl.of("http://127.0.0.1:" + server.getPort()))
                .retryPolicy(new RetryPolicy(10, Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(1500)))
                .callTimeout(Duration.ofMillis(600)).build();
        for (int i = 0; i < 10; i++) {
            server.enqueue(new MockResponse.Builder().headersDelay(5, TimeUnit.SECONDS).body(USER_ALICE).build());
        }
        long started = System.nanoTime();
        SpellApiException e = failureOf(() -> patient.whoami(TOKEN));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).contains("did not answer", "in time");
        patient.close();
    }

    @Test
    void aSlowAnswerWithinTheTimeoutSucceeds() throws Exception {
        server.enqueue(new MockResponse.Builder().headersDelay(300, TimeUnit.MILLISECONDS).body(USER_ALICE).build());
        assertThat(api.whoami(TOKEN).userName()).isEqualTo("alice");
    }

    @Test
    void connectionRefusedIsANetworkErrorNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SpellApi nowhere = SpellApi.builder().apiUrl(ApiUrl.of("http://127.0.0.1:" + port))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)))
                .build();
        SpellApiException e = failureOf(() -> nowhere.whoami(TOKEN));
        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.status()).isZero();
        assertThat(e.getMessage()).startsWith("could not reach the Spell API at http://127.0.0.1:" + port)
                .contains("check the API URL, DNS, proxy and firewall", "gave up after 3 attempts");
        nowhere.close();
    }

    @Test
    void aDroppedConnectionIsRetriedForReads() throws Exception {
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(json(200, USER_ALICE));
        assertThat(api.whoami(TOKEN).userName()).isEqualTo("alice");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aCreateWhoseConnectionDropsIsNotRepeatedAndSaysTheOutcomeIsUnknown() {
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(json(201, "{\"token\": \"t\", \"created_at\": \"2021-07-29T15:40:00Z\"}"));
        SpellApiException e = failureOf(() -> api.createToken(TOKEN, "ci-1"));
        assertThat(e.kind()).isIn(Kind.NETWORK, Kind.TIMEOUT);
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void redirectsAreNotFollowedSoTheTokenNeverReachesAnotherHost() throws Exception {
        try (MockWebServer other = new MockWebServer()) {
            other.start();
            other.enqueue(json(200, USER_ALICE));
            server.enqueue(new MockResponse.Builder().code(302)
                    .addHeader("Location", "http://user:pw@127.0.0.1:" + other.getPort() + "/v1/users/me?x=1").build());
            SpellApiException e = failureOf(() -> api.whoami(TOKEN));
            assertThat(e.kind()).isEqualTo(Kind.REDIRECT);
            assertThat(e.getMessage()).contains("redirect (HTTP 302) to http://127.0.0.1:" + other.getPort()
                    + "/v1/users/me").doesNotContain("pw").doesNotContain("x=1");
            assertThat(other.getRequestCount()).isZero();
            assertThat(server.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void aRedirectWhosePathCarriesTheTokenIsReportedWithoutIt() {
        server.enqueue(new MockResponse.Builder().code(307)
                .addHeader("Location", "https://login.example/callback/" + SECRET).build());
        SpellApiException e = failureOf(() -> api.whoami(TOKEN));
        assertThat(e.kind()).isEqualTo(Kind.REDIRECT);
        assertThat(e.getMessage()).contains("redirect (HTTP 307) to an address that holds the access token (not shown)");
    }

    @Test
    void aTokenNameHoldingTheTokenIsRefusedBeforeAnyCallAndNotEchoed() {
        // Names go into every message about the call ("deleting access token '<name>'") and Spell lists them in clear.
        for (ThrowingCall call : List.<ThrowingCall>of(
                () -> api.createToken(TOKEN, "ci-" + SECRET),
                () -> api.deleteToken(TOKEN, SECRET),
                () -> api.deleteToken(TOKEN, "x-" + SECRET.toUpperCase(java.util.Locale.ROOT)))) {
            server.enqueue(json(404, "{}"));
            Throwable e = org.assertj.core.api.Assertions.catchThrowable(call::run);
            assertThat(e).isInstanceOf(InvalidInputException.class);
            assertThat(e.getMessage()).startsWith("token name").doesNotContainIgnoringCase(SECRET);
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aCallOnAnInterruptedThreadIsASpellApiExceptionAndSendsNothing() {
        // A stopped Jenkins build interrupts its thread; OkHttp's connect then threw a raw, undeclared InterruptedException.
        Thread.currentThread().interrupt();
        try {
            SpellApiException e = failureOf(() -> api.whoami(TOKEN));
            assertThat(e.getMessage()).isEqualTo("interrupted before calling GET /v1/users/me: the job was stopped");
            assertThat(e.outcomeUnknown()).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void listsTokensWithNullLastUsedAndOffsetTimes() throws Exception {
        server.enqueue(json(200, "{\"access_tokens\": [{\"name\": \"ci\", \"created_at\": \"2021-07-29T15:40:00Z\","
                + " \"last_used_at\": null}, {\"name\": \"laptop\", \"created_at\": \"2021-07-29T17:40:00+02:00\","
                + " \"last_used_at\": \"2021-08-01T00:00:00.5Z\"}]}"));
        List<TokenInfo> tokens = api.listTokens(TOKEN);
        assertThat(tokens).containsExactly(
                new TokenInfo("ci", Instant.parse("2021-07-29T15:40:00Z"), null),
                new TokenInfo("laptop", Instant.parse("2021-07-29T15:40:00Z"), Instant.parse("2021-08-01T00:00:00.5Z")));
        assertThat(tokens.get(0).neverUsed()).isTrue();
        assertThat(server.takeRequest().getTarget()).isEqualTo("/v1/users/me/access_tokens");
    }

    @Test
    void aListWithABadTimestampIsABadResponse() {
        server.enqueue(json(200, "{\"access_tokens\": [{\"name\": \"ci\", \"created_at\": \"yesterday\"}]}"));
        assertThat(failureOf(() -> api.listTokens(TOKEN)).getMessage())
                .contains("\"created_at\" is not an ISO-8601 time (yesterday)");
    }

    @Test
    void createsATokenAndReturnsItsValueOnce() throws Exception {
        server.enqueue(json(201, "{\"token\": \"new-token-value-123\", \"name\": \"ci-1\","
                + " \"created_at\": \"2021-07-29T15:40:00Z\"}"));
        CreatedToken created = api.createToken(TOKEN, "ci-1");
        assertThat(created.name()).isEqualTo("ci-1");
        assertThat(created.token().reveal()).isEqualTo("new-token-value-123");
        assertThat(created.createdAt()).isEqualTo(Instant.parse("2021-07-29T15:40:00Z"));
        assertThat(created.toString()).doesNotContain("new-token-value-123");
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getBody().utf8()).isEqualTo("{\"name\":\"ci-1\"}");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    }

    @Test
    void aCreateIsNotRepeatedAfterAnAnswerThatMayHaveCreatedIt() {
        server.enqueue(json(503, "{}"));
        server.enqueue(json(201, "{\"token\": \"t\", \"created_at\": \"2021-07-29T15:40:00Z\"}"));
        SpellApiException e = failureOf(() -> api.createToken(TOKEN, "ci-1"));
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aCreateRefusedWith429IsRetried() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "0").body("{}").build());
        server.enqueue(json(201, "{\"token\": \"t-1\", \"created_at\": \"2021-07-29T15:40:00Z\"}"));
        assertThat(api.createToken(TOKEN, "ci-1").token().reveal()).isEqualTo("t-1");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aDuplicateNameIsAConflictWithTheFix() {
        server.enqueue(json(409, "{\"status\": \"Conflict\", \"error\": \"name taken\", \"code\": 409}"));
        SpellApiException e = failureOf(() -> api.createToken(TOKEN, "ci-1"));
        assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
        assertThat(e.getMessage()).startsWith("the Spell API refused creating access token 'ci-1' (HTTP 409)")
                .contains("spell access-tokens delete");
    }

    @Test
    void deleteSendsTheNameAsAJsonBodyOnDelete() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        api.deleteToken(TOKEN, "ci-1");
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getTarget()).isEqualTo("/v1/users/me/access_tokens");
        assertThat(request.getBody().utf8()).isEqualTo("{\"name\":\"ci-1\"}");
    }

    @Test
    void anEmptyTokenNameIsRefusedLocally() {
        assertThatThrownBy(() -> api.deleteToken(TOKEN, " ")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("token name is empty");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anApiUrlHoldingTheTokenIsRefusedBeforeAnythingIsSent() {
        SpellApi leaky = SpellApi.builder()
                .apiUrl(ApiUrl.of("http://127.0.0.1:" + server.getPort() + "/" + SECRET.toUpperCase()))
                .retryPolicy(FAST).build();
        assertThatThrownBy(() -> leaky.whoami(TOKEN))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("api-url contains the access token: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(SECRET));
        assertThat(server.getRequestCount()).isZero();
        leaky.close();
    }
}

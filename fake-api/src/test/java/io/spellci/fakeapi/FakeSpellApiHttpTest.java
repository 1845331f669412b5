package io.spellci.fakeapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The exact wire shapes of the fake, driven with the JDK's HttpClient. */
class FakeSpellApiHttpTest {

    static final String ALICE_TOKEN = "alice-secret-token-0001";
    static final String BOB_TOKEN = "bob-secret-token-0002";
    static final String TOKENS = "/v1/users/me/access_tokens";

    FakeClock clock = FakeClock.at("2021-07-29T15:40:00Z");
    FakeSpellApi fake;

    @BeforeEach
    void start() {
        fake = FakeSpellApi.builder()
                .clock(clock)
                .user(FakeUser.of("alice", "alice@example.com", "acme", "research")
                        .withCreatedAt(Instant.parse("2021-01-02T03:04:05Z")))
                .user(FakeUser.named("bob").asAdmin())
                .token("alice", "ci", ALICE_TOKEN, Instant.parse("2021-07-01T00:00:00Z"))
                .token("bob", "laptop", BOB_TOKEN)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void usersMeReturnsTheUserWithMembershipsInTheContractShape() {
        Http.Reply reply = Http.get(fake, "/v1/users/me", ALICE_TOKEN);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        JsonNode root = reply.json();
        assertThat(fieldNames(root)).containsExactly("user");
        JsonNode user = root.get("user");
        assertThat(user.get("user_name").asText()).isEqualTo("alice");
        assertThat(user.get("email").asText()).isEqualTo("alice@example.com");
        assertThat(user.get("created_at").asText()).isEqualTo("2021-01-02T03:04:05Z");
        assertThat(user.get("updated_at").asText()).isEqualTo("2021-01-02T03:04:05Z");
        assertThat(user.get("is_admin").isBoolean()).isTrue();
        assertThat(user.get("is_admin").booleanValue()).isFalse();
        JsonNode memberships = user.get("memberships");
        assertThat(memberships.size()).isEqualTo(2);
        JsonNode first = memberships.get(0);
        assertThat(fieldNames(first)).containsExactlyInAnyOrder("role", "created_at", "updated_at", "organization");
        assertThat(first.get("role").asText()).isEqualTo("member");
        assertThat(fieldNames(first.get("organization"))).containsExactlyInAnyOrder("name", "created_at", "updated_at");
        assertThat(first.get("organization").get("name").asText()).isEqualTo("acme");
        assertThat(memberships.get(1).get("organization").get("name").asText()).isEqualTo("research");

        JsonNode bob = Http.get(fake, "/v1/users/me", BOB_TOKEN).json().get("user");
        assertThat(bob.get("user_name").asText()).isEqualTo("bob");
        assertThat(bob.get("email").asText()).isEqualTo("bob@example.com");
        assertThat(bob.get("is_admin").booleanValue()).isTrue();
        assertThat(bob.get("memberships").size()).isZero();
        assertThat(bob.get("created_at").asText()).isEqualTo("2021-07-29T15:40:00Z");
    }

    @Test
    void tokenListItemsHaveExactlyThreeKeysAndNullLastUsedWhenUnused() {
        fake.addToken("alice", "unused", "alice-unused-token-0003", Instant.parse("2021-07-02T00:00:00Z"));

        Http.Reply reply = Http.get(fake, TOKENS, ALICE_TOKEN);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode root = reply.json();
        assertThat(fieldNames(root)).containsExactly("access_tokens");
        JsonNode items = root.get("access_tokens");
        assertThat(items.size()).isEqualTo(2);
        for (JsonNode item : items) {
            assertThat(fieldNames(item)).containsExactly("name", "created_at", "last_used_at");
        }
        assertThat(items.get(0).get("name").asText()).isEqualTo("ci");
        assertThat(items.get(0).get("created_at").asText()).isEqualTo("2021-07-01T00:00:00Z");
        assertThat(items.get(0).get("last_used_at").asText()).isEqualTo("2021-07-29T15:40:00Z");
        assertThat(items.get(1).get("name").asText()).isEqualTo("unused");
        assertThat(items.get(1).get("last_used_at").isNull()).isTrue();
        assertThat(reply.body()).doesNotContain(ALICE_TOKEN).doesNotContain("alice-unused-token-0003").doesNotContain("laptop");
    }

    @Test
    void lastUsedAtFollowsEachAuthenticatedUseByTheClock() {
        assertThat(fake.token("alice", "ci").orElseThrow().lastUsedAt()).isNull();

        Http.get(fake, "/v1/users/me", ALICE_TOKEN);
        assertThat(fake.token("alice", "ci").orElseThrow().lastUsedAt()).isEqualTo("2021-07-29T15:40:00Z");

        clock.advance(Duration.ofMinutes(15));
        JsonNode items = Http.get(fake, TOKENS, ALICE_TOKEN).json().get("access_tokens");
        assertThat(items.get(0).get("last_used_at").asText()).isEqualTo("2021-07-29T15:55:00Z");
        assertThat(fake.token("bob", "laptop").orElseThrow().lastUsedAt()).isNull();

        clock.advance(Duration.ofSeconds(1));
        Http.get(fake, "/v1/users/me", "not-a-token");
        assertThat(fake.token("alice", "ci").orElseThrow().lastUsedAt()).isEqualTo("2021-07-29T15:55:00Z");
    }

    @Test
    void tokensAreListedOldestFirstWithTiesByName() {
        // Added newest first: the list followed insertion order, not the documented "oldest first".
        fake.addToken("alice", "newest", "alice-newest-0003", Instant.parse("2021-07-20T00:00:00Z"));
        fake.addToken("alice", "tie-b", "alice-tie-b-0004", Instant.parse("2021-06-01T00:00:00Z"));
        fake.addToken("alice", "tie-a", "alice-tie-a-0005", Instant.parse("2021-06-01T00:00:00Z"));
        JsonNode items = Http.get(fake, TOKENS, ALICE_TOKEN).json().get("access_tokens");
        List<String> names = new java.util.ArrayList<>();
        items.forEach(item -> names.add(item.get("name").asText()));
        assertThat(names).containsExactly("tie-a", "tie-b", "ci", "newest");
    }

    @Test
    void createdTokenIsReturnedOnceAndWorksAsBearerAtOnce() {
        Http.Reply created = Http.post(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"ci-gha-acme-1\"}");

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("name").asText()).isEqualTo("ci-gha-acme-1");
        assertThat(body.get("created_at").asText()).isEqualTo("2021-07-29T15:40:00Z");
        String value = body.get("token").asText();
        assertThat(value).hasSize(40).doesNotContainAnyWhitespaces();
        assertThat(fake.hasToken(value)).isTrue();
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "ci-gha-acme-1");

        Http.Reply me = Http.get(fake, "/v1/users/me", value);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("user").get("user_name").asText()).isEqualTo("alice");

        Http.Reply list = Http.get(fake, TOKENS, value);
        assertThat(list.body()).doesNotContain(value);
        assertThat(list.json().get("access_tokens").get(1).get("last_used_at").asText()).isEqualTo("2021-07-29T15:40:00Z");
    }

    @Test
    void duplicateNameIsAConflictWithTheErrorBody() {
        Http.Reply reply = Http.post(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"ci\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertErrorBody(reply, 409, "Conflict");
        assertThat(reply.json().get("error").asText()).contains("'ci'", "already exists");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(reply.body()).doesNotContain(ALICE_TOKEN);
    }

    @Test
    void sameNameMayExistForDifferentUsers() {
        assertThat(Http.post(fake, TOKENS, BOB_TOKEN, "{\"name\": \"ci\"}").status()).isEqualTo(201);
        assertThat(fake.tokenNames("bob")).containsExactly("laptop", "ci");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"name\": null}", "{\"name\": 42}", "{\"name\": \"\"}", "{\"name\": \"   \"}",
        "{\"name\": \" padded\"}", "{\"name\": \"tab\\there\"}", "[\"ci\"]", "\"ci\"", "not json", ""})
    void missingOrInvalidNameIsABadRequest(String body) {
        for (String method : List.of("POST", "DELETE")) {
            Http.Reply reply = Http.send(fake, method, TOKENS, ALICE_TOKEN, body);

            assertThat(reply.status()).as(method + " " + body).isEqualTo(400);
            assertErrorBody(reply, 400, "Bad Request");
            assertThat(reply.body()).doesNotContain(ALICE_TOKEN);
        }
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void overlongNameIsABadRequestAndAHundredCharactersAreFine() {
        String longest = "n".repeat(255);
        assertThat(Http.post(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"" + longest + "\"}").status()).isEqualTo(201);
        assertThat(Http.post(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"" + longest + "x\"}").status()).isEqualTo(400);
    }

    @Test
    void anOversizedBodyIsABadRequest() {
        String padding = "x".repeat(FakeSpellApi.MAX_BODY_BYTES);
        Http.Reply reply = Http.post(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"big\", \"pad\": \"" + padding + "\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertErrorBody(reply, 400, "Bad Request");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(Http.get(fake, TOKENS, ALICE_TOKEN).status()).isEqualTo(200);
    }

    @Test
    void bodyWithoutJsonContentTypeIsABadRequest() throws Exception {
        HttpRequest request = Http.request(fake, TOKENS, ALICE_TOKEN, Duration.ofSeconds(5))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"x\"}"))
                .build();

        Http.Reply reply = Http.exchange(request);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).contains("Content-Type: application/json");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void deleteTakesAJsonBodyAndTheDeletedTokenStopsWorkingAtOnce() {
        String value = Http.post(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"ephemeral\"}").json().get("token").asText();
        assertThat(Http.get(fake, "/v1/users/me", value).status()).isEqualTo(200);

        Http.Reply deleted = Http.delete(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"ephemeral\"}");

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(fake.hasToken(value)).isFalse();
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        Http.Reply rejected = Http.get(fake, "/v1/users/me", value);
        assertThat(rejected.status()).isEqualTo(401);
        assertErrorBody(rejected, 401, "Unauthorized");
        assertThat(rejected.body()).doesNotContain(value);

        // The name is free again, and the new token has a new value.
        String again = Http.post(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"ephemeral\"}").json().get("token").asText();
        assertThat(again).isNotEqualTo(value);
    }

    @Test
    void aTokenMayDeleteItself() {
        assertThat(Http.delete(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"ci\"}").status()).isEqualTo(204);
        assertThat(Http.get(fake, "/v1/users/me", ALICE_TOKEN).status()).isEqualTo(401);
    }

    @Test
    void deletingAnUnknownNameIsNotFoundAndUsersSeeOnlyTheirOwnTokens() {
        Http.Reply reply = Http.delete(fake, TOKENS, BOB_TOKEN, "{\"name\": \"ci\"}");

        assertThat(reply.status()).isEqualTo(404);
        assertErrorBody(reply, 404, "Not Found");
        assertThat(reply.json().get("error").asText()).contains("'ci'");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(Http.get(fake, TOKENS, BOB_TOKEN).json().get("access_tokens").size()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "NONE",
        "Bearer wrong-token-9999",
        "bearer alice-secret-token-0001",
        "Bearer  alice-secret-token-0001",
        "Basic YWxpY2U6cGFzcw==",
        "alice-secret-token-0001",
        "Bearer",
        "Token alice-secret-token-0001"})
    void missingMalformedOrUnknownBearerTokenIsUnauthorized(String authorization) throws Exception {
        for (String path : List.of("/v1/users/me", TOKENS)) {
            HttpRequest.Builder request = Http.request(fake, path, null, Duration.ofSeconds(5)).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            Http.Reply reply = Http.exchange(request.build());

            assertThat(reply.status()).as(authorization + " " + path).isEqualTo(401);
            assertErrorBody(reply, 401, "Unauthorized");
            assertThat(reply.body()).doesNotContain(ALICE_TOKEN).doesNotContain("wrong-token-9999");
        }
        assertThat(fake.token("alice", "ci").orElseThrow().lastUsedAt()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v1", "/users/me", "/v2/users/me", "/v1/users/me/", "/v1//users/me",
        "/v1/users/you", "/v1/users/me/access_tokens/ci", "/v1/users/login/x", "/v1/users%2Fme", "/api/v1/users/me"})
    void unknownPathsAreNotFoundEvenWithoutAToken(String path) {
        Http.Reply reply = Http.get(fake, path, null);

        assertThat(reply.status()).as(path).isEqualTo(404);
        assertErrorBody(reply, 404, "Not Found");
    }

    @ParameterizedTest
    @CsvSource({"/v1/users/me,POST,GET", "/v1/users/me,DELETE,GET", "/v1/users/me,PUT,GET",
        "/v1/users/me/access_tokens,PUT,'DELETE, GET, POST'", "/v1/users/me/access_tokens,PATCH,'DELETE, GET, POST'",
        "/v1/users,GET,POST", "/v1/users/login,GET,POST", "/v1/users/logout,GET,POST", "/v1/keys,DELETE,'GET, POST'"})
    void wrongMethodIsMethodNotAllowedWithAnAllowHeader(String path, String method, String allow) {
        Http.Reply reply = Http.send(fake, method, path, ALICE_TOKEN, "{\"name\": \"x\"}");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).isEqualTo(allow);
        assertErrorBody(reply, 405, "Method Not Allowed");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void headOnAKnownPathIsMethodNotAllowedWithoutABody() throws Exception {
        HttpRequest request = Http.request(fake, "/v1/users/me", ALICE_TOKEN, Duration.ofSeconds(5))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();

        Http.Reply reply = Http.exchange(request);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.body()).isEmpty();
    }

    @Test
    void percentEncodedPathSegmentsAreDecodedBeforeMatching() {
        assertThat(Http.get(fake, "/v1/users/m%65", ALICE_TOKEN).status()).isEqualTo(200);
        assertThat(Http.get(fake, "/%76%31/%75sers/me/access%5Ftokens", ALICE_TOKEN).status()).isEqualTo(200);
        assertThat(Http.get(fake, "/v1/users/me/access%5ftokens", ALICE_TOKEN).status()).isEqualTo(200);
        // An encoded slash stays inside its segment; a non-UTF-8 escape is a bad request.
        assertThat(Http.get(fake, "/v1/users/me%2Faccess_tokens", ALICE_TOKEN).status()).isEqualTo(404);
        Http.Reply invalid = Http.get(fake, "/v1/users/%FF", ALICE_TOKEN);
        assertThat(invalid.status()).isEqualTo(400);
        assertErrorBody(invalid, 400, "Bad Request");
        assertThat(FakeSpellApi.decodePath("/v1/r%C3%A9sum%C3%A9/a%20b/%2F")).containsExactly("v1", "résumé", "a b", "/");
        assertThat(FakeSpellApi.decodePath("/v1/%4")).isNull();
    }

    /** Sends raw HTTP/1.1 requests on one connection (no client sends %zz) and returns the raw answers in order. */
    private List<String> raw(String... requests) throws IOException {
        List<String> answers = new java.util.ArrayList<>();
        try (java.net.Socket socket = new java.net.Socket(FakeSpellApi.HOST, fake.port())) {
            socket.setSoTimeout(10_000);
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            for (String request : requests) {
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                StringBuilder answer = new StringBuilder();
                int length = 0;
                for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                    answer.append(line).append('\n');
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    read += in.read(body, read, length - read);
                }
                answers.add(answer.append('\n').append(body).toString());
            }
        }
        return answers;
    }

    private static String get(String target, String token) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n";
    }

    @Test
    void aMalformedEscapeGetsTheJsonErrorNotTheJdkServersHtml() throws IOException {
        // The JDK server answered "/v1/users/%zz" itself: 400 with "<h1>400 Bad Request</h1>URISyntaxException thrown".
        List<String> answers = raw(get("/v1/users/me", ALICE_TOKEN), get("/v1/users/%zz", ALICE_TOKEN),
                get("/v1/users/me%", ALICE_TOKEN));
        assertThat(answers.get(0)).startsWith("HTTP/1.1 200");
        for (String answer : answers.subList(1, 3)) {
            assertThat(answer).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/json")
                    .endsWith("{\"status\":\"Bad Request\",\"error\":\"the path is not valid percent-encoded UTF-8:"
                            + " encode each path segment\",\"code\":400}");
        }
        assertThat(fake.requests()).extracting(RecordedRequest::path, RecordedRequest::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/v1/users/me", 200),
                org.assertj.core.groups.Tuple.tuple("/v1/users/%zz", 400),
                org.assertj.core.groups.Tuple.tuple("/v1/users/me%", 400));
        assertThat(fake.lastRequest().headers()).doesNotContainKey("X-fake-spell-original-target");
    }

    @Test
    void aQueuedFaultAnswersAMalformedPathFirstAndAClientCannotClaimAnotherPath() throws IOException {
        fake.failNext(1, 503);
        String spoofed = "GET /v1/users/me HTTP/1.1\r\nHost: x\r\nX-Fake-Spell-Original-Target: /v1/users/%zz\r\n"
                + "Authorization: Bearer " + ALICE_TOKEN + "\r\n\r\n";
        List<String> answers = raw(get("/v1/users/%zz", ALICE_TOKEN), spoofed);
        assertThat(answers.get(0)).startsWith("HTTP/1.1 503");
        assertThat(answers.get(1)).startsWith("HTTP/1.1 200");
        assertThat(fake.lastRequest().path()).isEqualTo("/v1/users/me");
    }

    @Test
    void requestsAreRecordedWithMethodPathHeadersAndBodyButToStringHidesTheToken() {
        Http.get(fake, "/v1/users/m%65", ALICE_TOKEN);
        Http.post(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"x\"}");

        List<RecordedRequest> requests = fake.requests();
        assertThat(requests).hasSize(2);
        RecordedRequest first = requests.get(0);
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.path()).isEqualTo("/v1/users/m%65");
        assertThat(first.header("authorization")).isEqualTo("Bearer " + ALICE_TOKEN);
        assertThat(first.header("User-Agent")).isEqualTo("fake-api-test");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.receivedAt()).isEqualTo("2021-07-29T15:40:00Z");
        RecordedRequest second = fake.lastRequest();
        assertThat(second.method()).isEqualTo("POST");
        assertThat(second.body()).isEqualTo("{\"name\": \"x\"}");
        assertThat(second.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.toString()).isEqualTo("RecordedRequest[#2 POST /v1/users/me/access_tokens -> 201]");
        assertThat(requests.toString() + fake).doesNotContain(ALICE_TOKEN);

        fake.clearRequests();
        assertThat(fake.requests()).isEmpty();
        assertThat(fake.lastRequest()).isNull();
    }

    @Test
    void concurrentClientsCreateListAndDeleteWithoutLosingTokens() throws Exception {
        int threads = 12;
        int rounds = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> kept = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        String name = "t" + thread + "-r" + r;
                        Http.Reply created = Http.post(fake, TOKENS, ALICE_TOKEN, "{\"name\": \"" + name + "\"}");
                        assertThat(created.status()).isEqualTo(201);
                        String value = created.json().get("token").asText();
                        assertThat(Http.get(fake, "/v1/users/me", value).status()).isEqualTo(200);
                        assertThat(Http.get(fake, TOKENS, value).status()).isEqualTo(200);
                        if (r % 3 == 0) {
                            assertThat(Http.delete(fake, TOKENS, value, "{\"name\": \"" + name + "\"}").status()).isEqualTo(204);
                        } else {
                            kept.add(name);
                        }
                    }
                    return kept;
                }));
            }
            Set<String> expected = new java.util.TreeSet<>(Set.of("ci"));
            for (Future<List<String>> result : results) {
                expected.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertThat(new java.util.TreeSet<>(fake.tokenNames("alice"))).isEqualTo(expected);
            assertThat(Http.get(fake, TOKENS, ALICE_TOKEN).json().get("access_tokens").size()).isEqualTo(expected.size());
            assertThat(fake.requests()).hasSize(threads * rounds * 3 + threads * ((rounds + 2) / 3) + 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listensOnLoopbackAtTheGivenUrl() {
        assertThat(fake.url()).isEqualTo("http://127.0.0.1:" + fake.port());
        assertThat(URI.create(fake.url()).getHost()).isEqualTo("127.0.0.1");
        assertThat(fake.isRunning()).isTrue();
        assertThat(fake.toString()).isEqualTo("FakeSpellApi[" + fake.url() + ", 2 users, 2 tokens]");
    }

    static void assertErrorBody(Http.Reply reply, int code, String status) {
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        JsonNode body = reply.json();
        assertThat(fieldNames(body)).containsExactly("status", "error", "code");
        assertThat(body.get("status").asText()).isEqualTo(status);
        assertThat(body.get("code").isInt()).isTrue();
        assertThat(body.get("code").intValue()).isEqualTo(code);
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(reply.body()).doesNotContain(ALICE_TOKEN, BOB_TOKEN);
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

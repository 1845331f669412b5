package io.spellci.fakeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Login sessions, passwords, sign-up and logout: the auth surface of Spell's own client. */
class FakeSpellApiAuthTest {
    static final String TOKEN = "alice-access-token-0123456789";
    static final String PASSWORD = "alice-Passw0rd-secret";

    @TempDir
    Path dir;

    FakeClock clock = FakeClock.at("2026-01-02T03:04:05Z");
    FakeSpellApi fake;

    @BeforeEach
    void start() {
        fake = FakeSpellApi.builder().clock(clock).user(FakeUser.of("alice", "Alice@Example.com", "acme"))
                .password("alice", PASSWORD).token("alice", "ci", TOKEN)
                .user(FakeUser.named("demo")).token("demo", "demo", "demo-token-without-password").start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    static String login(String userName, String email, String password, String accessToken) {
        return "{\"user\": {\"user_name\": \"" + userName + "\", \"password\": \"" + password + "\", \"email\": \""
                + email + "\", \"access_token\": \"" + accessToken + "\"}}";
    }

    void assertNoSecretIn(Http.Reply reply) {
        assertThat(reply.body()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
    }

    @ParameterizedTest
    @CsvSource({"'',alice@example.com,pw,''", "alice,'',pw,''", "'',ALICE@example.com,'',token"})
    void theClientsThreeLoginFormsGiveASessionThatIsNeverListed(String userName, String email, String password,
            String accessToken) {
        Http.Reply reply = Http.post(fake, "/v1/users/login", null, login(userName, email,
                password.equals("pw") ? PASSWORD : "", accessToken.equals("token") ? TOKEN : ""));

        assertThat(reply.status()).isEqualTo(200);
        String session = reply.json().get("token").asText();
        assertThat(session).isNotEqualTo(TOKEN).isNotBlank();
        assertThat(reply.json().get("user").get("user_name").asText()).isEqualTo("alice");
        assertThat(reply.json().get("user").get("last_logged_in").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(fake.hasSession(session)).isTrue();
        assertThat(fake.hasToken(session)).as("a session is no access token").isFalse();
        assertThat(fake.lastLoggedIn("alice")).contains(Instant.parse("2026-01-02T03:04:05Z"));

        // It authenticates like an access token, is never listed among them, and makes none of them look used.
        clock.advance(Duration.ofMinutes(5));
        Instant ciLastUse = fake.token("alice", "ci").orElseThrow().lastUsedAt();
        Http.Reply list = Http.get(fake, "/v1/users/me/access_tokens", session);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("access_tokens").findValuesAsText("name")).containsExactly("ci");
        assertThat(list.body()).doesNotContain(session);
        assertThat(fake.token("alice", "ci").orElseThrow().lastUsedAt()).isEqualTo(ciLastUse);
        assertThat(Http.post(fake, "/v1/users/me/access_tokens", session, "{\"name\": \"made-by-session\"}").status())
                .isEqualTo(201);
        assertNoSecretIn(reply);
    }

    @ParameterizedTest
    @CsvSource({"alice,'',wrong-password,''", "'',alice@example.com,wrong-password,''", "nobody,'',pw,''",
        "'',nobody@example.com,pw,''", "'',alice@example.com,'',wrong-token", "alice,'',pw,token"})
    void wrongCredentialsAre401InTheClientsErrorShapeWithoutEchoingThem(String userName, String email,
            String password, String accessToken) {
        Http.Reply reply = Http.post(fake, "/v1/users/login", null, login(userName, email,
                password.equals("pw") ? PASSWORD : password, accessToken.equals("token") ? TOKEN : accessToken));

        assertThat(reply.status()).isEqualTo(401);
        JsonNode error = reply.json();
        assertThat(error.get("status").asText()).isEqualTo("Unauthorized");
        assertThat(error.get("code").asInt()).isEqualTo(401);
        assertThat(error.get("error").asText()).isNotBlank();
        assertThat(error.has("token")).isFalse();
        assertThat(reply.body()).doesNotContain("wrong-password").doesNotContain("wrong-token");
        assertNoSecretIn(reply);
        assertThat(fake.lastLoggedIn("alice")).isEmpty();
    }

    @Test
    void aSessionTokenCannotLogInAgainAsAnAccessToken() {
        String session = Http.post(fake, "/v1/users/login", null, login("alice", "", PASSWORD, "")).json()
                .get("token").asText();
        Http.Reply again = Http.post(fake, "/v1/users/login", null, login("", "alice@example.com", "", session));
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.body()).doesNotContain(session);
    }

    @Test
    void theBuiltInStyleUserWithoutAPasswordLogsInWithItsAccessTokenAndIsToldWhyNotWithAPassword() {
        Http.Reply byToken = Http.post(fake, "/v1/users/login", null,
                login("", "demo@example.com", "", "demo-token-without-password"));
        assertThat(byToken.status()).isEqualTo(200);

        Http.Reply byPassword = Http.post(fake, "/v1/users/login", null, login("demo", "", "anything-at-all", ""));
        assertThat(byPassword.status()).isEqualTo(401);
        assertThat(byPassword.json().get("error").asText()).contains("user 'demo' has no password")
                .contains("\"password\"").contains("access token");
        assertThat(byPassword.body()).doesNotContain("anything-at-all").doesNotContain("demo-token-without-password");
    }

    @Test
    void logoutEndsTheSessionButNeverAnAccessToken() {
        String session = Http.post(fake, "/v1/users/login", null, login("alice", "", PASSWORD, "")).json()
                .get("token").asText();
        assertThat(Http.post(fake, "/v1/users/logout", session, null).status()).isEqualTo(204);
        assertThat(fake.hasSession(session)).isFalse();
        Http.Reply after = Http.get(fake, "/v1/users/me", session);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.body()).doesNotContain(session);

        // Something may still use the access token: a logout made with it leaves it working.
        assertThat(Http.post(fake, "/v1/users/logout", TOKEN, null).status()).isEqualTo(204);
        assertThat(fake.hasToken(TOKEN)).isTrue();
        assertThat(Http.get(fake, "/v1/users/me", TOKEN).status()).isEqualTo(200);
        assertThat(Http.post(fake, "/v1/users/logout", null, null).status()).isEqualTo(401);
    }

    @Test
    void badLoginBodiesAre400NamingTheShape() {
        for (String body : new String[] {"{}", "{\"user\": \"alice\"}", "{\"user\": {\"password\": \"" + PASSWORD + "\"}}",
            "{\"user\": {\"user_name\": \"alice\"}}", "{\"user\": {\"user_name\": 1, \"password\": \"x\"}}", "[1]"}) {
            Http.Reply reply = Http.post(fake, "/v1/users/login", null, body);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).contains("user");
            assertNoSecretIn(reply);
        }
    }

    @Test
    void signUpMakesAUserThatLogsInAndConflictsAndBadFieldsAreRefused() {
        String body = "{\"user\": {\"user_name\": \"bob_1\", \"password\": \"bob-password-1\", \"email\":"
                + " \"bob@example.com\", \"full_name\": \"Bob B\", \"organization\": null, \"terms_accepted\": true},"
                + " \"recaptcha_token\": \"unused\"}";
        Http.Reply created = Http.post(fake, "/v1/users", null, body);
        assertThat(created.status()).isEqualTo(201);
        JsonNode user = created.json().get("user");
        assertThat(user.get("user_name").asText()).isEqualTo("bob_1");
        assertThat(user.get("full_name").asText()).isEqualTo("Bob B");
        assertThat(user.get("created_at").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(user.get("memberships")).isEmpty();
        assertThat(created.body()).doesNotContain("bob-password-1");
        assertThat(fake.users()).extracting(FakeUser::userName).contains("bob_1");
        assertThat(fake.tokenNames("bob_1")).isEmpty();
        assertThat(Http.post(fake, "/v1/users/login", null, login("", "bob@example.com", "bob-password-1", ""))
                .status()).isEqualTo(200);

        Http.Reply again = Http.post(fake, "/v1/users", null, body);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).contains("bob_1").contains("taken");
        Http.Reply sameEmail = Http.post(fake, "/v1/users", null, body.replace("bob_1", "bob_2")
                .replace("bob@", "BOB@"));
        assertThat(sameEmail.status()).isEqualTo(409);

        for (String[] bad : new String[][] {{"bob-password-1", "short"}, {"\"terms_accepted\": true", "\"terms_accepted\": false"},
            {"bob_1", "bob"}, {"bob_1", "bob 3"}, {"bob@example.com", "not-an-address"}}) {
            Http.Reply refused = Http.post(fake, "/v1/users", null, body.replace(bad[0], bad[1]));
            assertThat(refused.status()).as(bad[1]).isEqualTo(400);
            assertThat(refused.body()).doesNotContain("bob-password-1").doesNotContain("\"short\"");
        }
    }

    @Test
    void passwordsComeFromTheConfigFileAndAreNeverPrinted() throws Exception {
        Path config = dir.resolve("fake.json");
        Files.writeString(config, "{\"users\": [{\"user_name\": \"carol\", \"password\": \"carol-Secret-9\","
                + " \"tokens\": [{\"name\": \"ci\", \"value\": \"carol-token-0123456789\"}]}]}");
        try (FakeSpellApi fromFile = FakeSpellApi.fromJson(config).start()) {
            assertThat(Http.post(fromFile, "/v1/users/login", null, login("carol", "", "carol-Secret-9", ""))
                    .status()).isEqualTo(200);
            assertThat(fromFile.toString()).doesNotContain("carol-Secret-9");
            assertThat(fromFile.users().toString()).doesNotContain("carol-Secret-9");
        }
        for (String password : new String[] {"\"\"", "42"}) {
            Files.writeString(config, "{\"users\": [{\"user_name\": \"carol\", \"password\": " + password + "}]}");
            assertThatThrownBy(() -> FakeSpellApi.fromJson(config))
                    .hasMessageContaining("users[0].password is empty or not a string");
        }
        assertThatThrownBy(() -> FakeSpellApi.builder().password("nobody", "nobody-Secret-1").build())
                .hasMessageContaining("unknown user 'nobody'").satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("nobody-Secret-1"));
    }

    @Test
    void sshKeysThatSpellLoginRegistersAreListedFoundByIdAndDeleted() {
        String key = "{\"title\": \"laptop\", \"key\": \"" + SpellClientExchangesTest.PUBLIC_KEY + "\"}";
        Http.Reply created = Http.post(fake, "/v1/keys", TOKEN, key);
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("key").get("id").asLong();
        assertThat(Http.get(fake, "/v1/keys/" + id, TOKEN).json().get("key").get("title").asText()).isEqualTo("laptop");
        assertThat(Http.get(fake, "/v1/keys", "demo-token-without-password").json().get("keys")).as("per user")
                .isEmpty();
        assertThat(Http.delete(fake, "/v1/keys/" + id, "demo-token-without-password", null).status()).isEqualTo(404);
        assertThat(Http.delete(fake, "/v1/keys/" + id, TOKEN, null).status()).isEqualTo(204);
        assertThat(Http.get(fake, "/v1/keys", TOKEN).json().get("keys")).isEmpty();
        Http.Reply bad = Http.post(fake, "/v1/keys", TOKEN, "{\"title\": \"x\", \"key\": \"not a key\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertNoSecretIn(bad);
        assertThat(Http.get(fake, "/v1/keys", null).status()).isEqualTo(401);
    }
}

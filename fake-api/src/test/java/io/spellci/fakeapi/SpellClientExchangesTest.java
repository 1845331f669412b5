package io.spellci.fakeapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP exchanges of Spell 0.48.9's own CLI integration tests for access tokens, whoami, owner and login, replayed
 * in their order against the fake started as {@code spell-ci fake-api} starts it (the demo user only). Written from
 * what the client sends (requests' JSON bodies, {@code Bearer} auth, unused login fields as {@code ""}) and what it
 * reads back, so that the default build keeps the fake able to run those tests.
 */
class SpellClientExchangesTest {
    /** What the client's session fixture signs up with (user name, e-mail address, password, full name). */
    static final String USER = "cli_test";
    static final String EMAIL = "cli_test@spell.ml";
    static final String PASSWORD = "password";
    static final String FULL_NAME = "MyFirstName MyLastName";
    /** An OpenSSH public key and its fingerprint as {@code ssh-keygen -l} prints it. */
    static final String PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGEO0CCOccE4UEBvMDFk8IH0uHCUTYTZDmXzKif/rqQq"
            + " test";
    static final String FINGERPRINT = "SHA256:2yJpbL6XeQ6LzYyCoX+fStes3JzHDNW2GIhouZkbcRg";

    FakeSpellApi fake;
    final List<String> bodies = new ArrayList<>();

    @BeforeEach
    void start() {
        fake = FakeSpellApi.builder().user(FakeUser.of("demo", "demo@example.com", "acme"))
                .token("demo", "demo", "spell-ci-demo-token").start();
    }

    @AfterEach
    void stop() {
        fake.close();
        for (String body : bodies) {
            assertThat(body).as("no answer repeats the password").doesNotContain("\"" + PASSWORD + "\"");
        }
    }

    /** As Spell's BaseClient sends it: gzip accepted, JSON only with a payload, {@code Bearer} only with a token. */
    Http.Reply client(String method, String resource, String token, String payload) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.url() + "/v1/" + resource))
                .timeout(Duration.ofSeconds(10)).header("Accept-Encoding", "gzip")
                .header("User-Agent", "python-requests/2.28.1");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (payload != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method.toUpperCase(java.util.Locale.ROOT), payload == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        try {
            Http.Reply reply = Http.exchange(request.build());
            bodies.add(reply.body());
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode signUp() {
        Http.Reply reply = client("post", "users", null, "{\"user\": {\"user_name\": \"" + USER + "\", \"password\": \""
                + PASSWORD + "\", \"email\": \"" + EMAIL + "\", \"full_name\": \"" + FULL_NAME + "\", \"organization\":"
                + " null, \"terms_accepted\": true}, \"recaptcha_token\": \"unusedRecaptchaToken\"}");
        assertThat(reply.status()).isIn(200, 201, 202, 204);
        return reply.json().get("user");
    }

    /** {@code spell login --identity ... --password ...}: the login, then the CLI's SSH key registered. */
    String login(String userName, String email) {
        Http.Reply reply = client("post", "users/login", null, "{\"user\": {\"user_name\": \"" + userName
                + "\", \"password\": \"" + PASSWORD + "\", \"email\": \"" + email + "\", \"access_token\": \"\"}}");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode user = reply.json().get("user");
        assertThat(user.get("user_name").asText()).isEqualTo(USER);
        assertThat(user.get("email").asText()).isEqualTo(EMAIL);
        assertThat(user.get("full_name").asText()).as("the CLI greets by full name").isEqualTo(FULL_NAME);
        assertThat(user.get("memberships")).isEmpty(); // no organization: the CLI makes the owner cli_test
        String session = reply.json().get("token").asText();
        Http.Reply key = client("post", "keys", session, "{\"title\": \"runner Spell CLI\", \"key\": \"" + PUBLIC_KEY
                + "\"}");
        assertThat(key.status()).isIn(200, 201);
        assertThat(key.json().get("key").get("fingerprint").asText()).isEqualTo(FINGERPRINT);
        assertThat(key.json().get("key").get("id").isIntegralNumber()).isTrue();
        return session;
    }

    @Test
    void theSessionFixtureThenTestAccessTokens() {
        signUp();
        String session = login("", EMAIL);

        Http.Reply list = client("get", "users/me/access_tokens", session, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("access_tokens")).as("a fresh user has none: the session is not one").isEmpty();

        Http.Reply created = client("post", "users/me/access_tokens", session, "{\"name\": \"at1\"}");
        assertThat(created.status()).isIn(200, 201);
        String at1 = created.json().get("token").asText();
        assertThat(created.json().get("created_at").asText()).endsWith("Z");

        // SPELL_TOKEN=<at1> SPELL_OWNER=cli_test spell whoami, then SPELL_TOKEN="bad token"
        assertThat(client("get", "users/me", at1, null).status()).isEqualTo(200);
        Http.Reply bad = client("get", "users/me", "bad token", null);
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().get("error").asText()).isNotEmpty();

        list = client("get", "users/me/access_tokens", session, null);
        assertThat(list.json().get("access_tokens").findValuesAsText("name")).containsExactly("at1");
        assertThat(list.json().get("access_tokens").get(0).get("last_used_at").isNull()).isFalse();

        Http.Reply again = client("post", "users/me/access_tokens", session, "{\"name\": \"at1\"}");
        assertThat(again.status()).as("the CLI exits 1 on anything but 2xx").isEqualTo(409);
        assertThat(again.json().get("error").asText()).contains("at1");

        assertThat(client("delete", "users/me/access_tokens", session, "{\"name\": \"at1\"}").status()).isEqualTo(204);
        assertThat(client("get", "users/me/access_tokens", session, null).json().get("access_tokens")).isEmpty();
        assertThat(bodies).noneMatch(body -> body.contains(at1) && body.contains("access_tokens"));
    }

    @Test
    void testWhoamiAndTestOwner() {
        JsonNode signedUp = signUp();
        String session = login("", EMAIL);

        JsonNode me = client("get", "users/me", session, null).json().get("user");
        // test_whoami compares e-mail address, user name, full name and created_at with the sign-up's answer.
        for (String field : List.of("email", "user_name", "full_name", "created_at")) {
            assertThat(me.get(field)).as(field).isEqualTo(signedUp.get(field));
        }
        assertThat(signedUp.get("last_logged_in").isNull()).isTrue();
        assertThat(me.get("last_logged_in").asText()).as("set by the login").endsWith("Z");
        assertThat(fake.lastLoggedIn(USER)).isPresent();
        // spell owner: the user's own name plus its organizations (none)
        assertThat(me.get("memberships")).isEmpty();
        assertThat(me.get("is_admin").booleanValue()).isFalse();
    }

    @Test
    void testLoginWithEmailWithUserNameAndLogout() {
        signUp();
        login("", EMAIL);
        String session = login(USER, "");
        assertThat(fake.keyTitles(USER)).hasSize(2);

        // spell logout: the CLI's key found by fingerprint and deleted, then the session ended.
        JsonNode keys = client("get", "keys", session, null).json().get("keys");
        long id = -1;
        for (JsonNode key : keys) {
            if (key.get("fingerprint").asText().equals(FINGERPRINT)) {
                id = key.get("id").asLong();
            }
        }
        assertThat(client("delete", "keys/" + id, session, null).status()).isEqualTo(204);
        assertThat(client("post", "users/logout", session, null).status()).isIn(200, 204);
        assertThat(fake.hasSession(session)).isFalse();
        assertThat(client("get", "users/me", session, null).status()).isEqualTo(401);
        assertThat(fake.keyTitles(USER)).hasSize(1);
    }

    @Test
    void testBadUserNameAndBadPassword() {
        signUp();
        for (String body : List.of(
                "{\"user\": {\"user_name\": \"bad_user_name\", \"password\": \"" + PASSWORD + "\", \"email\": \"\","
                        + " \"access_token\": \"\"}}",
                "{\"user\": {\"user_name\": \"" + USER + "\", \"password\": \"bad_password\", \"email\": \"\","
                        + " \"access_token\": \"\"}}")) {
            Http.Reply reply = client("post", "users/login", null, body);
            assertThat(reply.status()).isEqualTo(401);
            JsonNode error = reply.json();
            assertThat(error.get("status").asText()).isEqualTo("Unauthorized");
            assertThat(error.get("code").asInt()).isEqualTo(401);
            assertThat(error.get("error").asText()).isNotEmpty().doesNotContain("bad_password");
            assertThat(reply.json().has("token")).isFalse();
        }
        assertThat(fake.lastLoggedIn(USER)).isEmpty();
    }
}

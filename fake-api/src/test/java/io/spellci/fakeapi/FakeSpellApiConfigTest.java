package io.spellci.fakeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Set-up from JSON and from the builder, and the life cycle. */
class FakeSpellApiConfigTest {

    static final String SECRET = "very-secret-token-value-777";

    @TempDir
    Path dir;

    @Test
    void theExampleFileLoadsAndServesItsUsersAndTokens() {
        Path example = Path.of("fake-api.example.json");
        assertThat(example).exists();

        try (FakeSpellApi fake = FakeSpellApi.fromJson(example).start()) {
            JsonNode alice = Http.get(fake, "/v1/users/me", "fake-alice-ci-token-0001").json().get("user");
            assertThat(alice.get("user_name").asText()).isEqualTo("alice");
            assertThat(alice.get("full_name").asText()).isEqualTo("Alice Example");
            assertThat(alice.get("created_at").asText()).isEqualTo("2021-01-02T03:04:05Z");
            assertThat(alice.get("memberships").findValuesAsText("name")).containsExactly("acme", "research");
            assertThat(fake.tokenNames("alice")).containsExactly("ci-token", "laptop");
            assertThat(fake.token("alice", "laptop").orElseThrow().lastUsedAt()).isEqualTo("2021-07-29T15:25:00Z");
            assertThat(fake.token("alice", "laptop").orElseThrow().createdAt()).isEqualTo("2021-07-28T17:00:00Z");

            JsonNode root = Http.get(fake, "/v1/users/me", "fake-root-admin-token-0003").json().get("user");
            assertThat(root.get("is_admin").booleanValue()).isTrue();
            assertThat(fake.users()).extracting(FakeUser::userName).containsExactly("alice", "root");
        }
    }

    @Test
    void theExampleInTheDocsIsTheExampleFile() throws IOException {
        Path doc = Path.of("..", "docs", "fake-api.md");
        assumeThat(doc).exists();
        Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(doc));
        assertThat(block.find()).as("a ```json block in docs/fake-api.md").isTrue();

        assertThat(Http.JSON.readTree(block.group(1))).isEqualTo(Http.JSON.readTree(Path.of("fake-api.example.json").toFile()));
    }

    @Test
    void fromJsonWithAPortListensThere() throws IOException {
        Path file = write("{\"users\": [{\"user_name\": \"carol\", \"tokens\": [{\"name\": \"t\", \"value\": \"" + SECRET + "\"}]}]}");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }

        try (FakeSpellApi fake = FakeSpellApi.fromJson(file, port).start()) {
            assertThat(fake.url()).isEqualTo("http://127.0.0.1:" + port);
            JsonNode carol = Http.get(fake, "/v1/users/me", SECRET).json().get("user");
            assertThat(carol.get("email").asText()).isEqualTo("carol@example.com");
            assertThat(carol.get("is_admin").booleanValue()).isFalse();
            assertThat(carol.get("full_name").isNull()).isTrue();
            assertThat(carol.get("memberships").size()).isZero();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[]|(the whole file) is not a JSON object",
        "{}|users is missing or not a list",
        "{\"users\": [], \"port\": 1}|port is not a known key",
        "{\"users\": [{\"username\": \"a\"}]}|users[0].username is not a known key",
        "{\"users\": [{\"user_name\": \"\"}]}|users[0].user_name is missing, empty or not a string",
        "{\"users\": [{\"user_name\": \"a b\"}]}|users[0]: user_name 'a b' contains whitespace",
        "{\"users\": [{\"user_name\": \"a\", \"is_admin\": \"yes\"}]}|users[0].is_admin is not true or false",
        "{\"users\": [{\"user_name\": \"a\", \"organizations\": \"acme\"}]}|users[0].organizations is not a list",
        "{\"users\": [{\"user_name\": \"a\", \"created_at\": \"yesterday\"}]}|users[0].created_at is not an ISO-8601 timestamp",
        "{\"users\": [{\"user_name\": \"a\", \"tokens\": [{\"name\": \"t\"}]}]}|users[0].tokens[0].value is missing or not a string",
        "{\"users\": [{\"user_name\": \"a\", \"tokens\": [{\"name\": \"t\", \"value\": \"v\", \"secret\": 1}]}]}|users[0].tokens[0].secret is not a known key",
        "{\"users\": [{\"user_name\": \"a\", \"tokens\": [{\"name\": \"t\", \"value\": \"v\", \"created_at\": \"2021-07-29\"}]}]}|users[0].tokens[0].created_at is not an ISO-8601 timestamp",
    })
    void configErrorsNameTheFieldAndTheFix(String json, String expected) {
        assertThatThrownBy(() -> FakeSpellApi.builder().configJson(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fake API config (JSON text): ")
                .hasMessageContaining(expected)
                .hasMessageMatching("(?s).*: .+");
    }

    @Test
    void configErrorsNeverQuoteATokenValue() throws IOException {
        String badJson = "{\"users\": [{\"user_name\": \"a\", \"tokens\": [{\"name\": \"t\", \"value\": " + SECRET + "}]}]}";
        String duplicate = "{\"users\": [{\"user_name\": \"a\", \"tokens\": [{\"name\": \"t\", \"value\": \"" + SECRET + "\"},"
                + " {\"name\": \"u\", \"value\": \"" + SECRET + "\"}]}]}";
        String spaced = "{\"users\": [{\"user_name\": \"a\", \"tokens\": [{\"name\": \"t\", \"value\": \"" + SECRET + " x\"}]}]}";

        assertThatThrownBy(() -> FakeSpellApi.fromJson(write(badJson)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not valid JSON (line 1, column")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThatThrownBy(() -> FakeSpellApi.builder().configJson(duplicate).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token 'u' of user 'a' has the same value as token 't' of user 'a'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThatThrownBy(() -> FakeSpellApi.builder().configJson(spaced).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value of token 't' of user 'a' contains whitespace")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThatThrownBy(() -> FakeSpellApi.builder().user(FakeUser.named("a")).token("a", "t", SECRET + "-ünï").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not ASCII")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void aMissingFileIsAClearError() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> FakeSpellApi.fromJson(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fake API config " + missing + " does not exist: give the path of a JSON file");
    }

    @Test
    void builderChecksUsersAndTokensAgainstEachOther() {
        assertThatThrownBy(() -> FakeSpellApi.builder().token("ghost", "t", SECRET).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown user 'ghost'");
        assertThatThrownBy(() -> FakeSpellApi.builder().user(FakeUser.named("a")).user(FakeUser.named("a")).build())
                .hasMessageContaining("user 'a' is defined twice");
        assertThatThrownBy(() -> FakeSpellApi.builder().user(FakeUser.named("a"))
                .token("a", "t", SECRET).token("a", "t", SECRET + "2").build())
                .hasMessageContaining("already has a token named 't'");
        assertThatThrownBy(() -> FakeUser.of("a", "a@example.com", "acme", "acme"))
                .hasMessageContaining("repeat");
        assertThatThrownBy(() -> FakeUser.named("a/b")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> FakeSpellApi.builder().port(70000)).hasMessageContaining("70000");
    }

    @Test
    void lifeCycle() throws IOException {
        FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.named("a")).build();
        assertThat(fake.isRunning()).isFalse();
        assertThat(fake.toString()).isEqualTo("FakeSpellApi[not started, 1 users, 0 tokens]");
        assertThatThrownBy(fake::url).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");

        assertThat(fake.start()).isSameAs(fake);
        assertThat(fake.start().port()).isEqualTo(fake.port());

        try (FakeSpellApi second = FakeSpellApi.builder().port(fake.port()).build()) {
            assertThatThrownBy(second::start)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + fake.port());
        }

        fake.close();
        fake.close();
        assertThat(fake.isRunning()).isFalse();
        assertThatThrownBy(fake::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void customTokenGeneratorAndUsersSnapshot() {
        Instant now = Instant.parse("2022-04-01T00:00:00Z");
        try (FakeSpellApi fake = FakeSpellApi.builder()
                .clock(new FakeClock(now))
                .tokenGenerator(() -> "generated-" + System.nanoTime())
                .user(FakeUser.named("a").withOrganizations("acme"))
                .token("a", "parent", SECRET)
                .start()) {
            String value = Http.post(fake, "/v1/users/me/access_tokens", SECRET, "{\"name\": \"n\"}").json().get("token").asText();
            assertThat(value).startsWith("generated-");
            assertThat(fake.users()).singleElement().satisfies(user -> {
                assertThat(user.createdAt()).isEqualTo(now);
                assertThat(user.organizations()).containsExactly("acme");
            });
        }
    }

    private Path write(String json) throws IOException {
        Path file = Files.createTempFile(dir, "fake", ".json");
        Files.writeString(file, json);
        return file;
    }
}

package io.spellci.fakeapi;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON set-up of a {@link FakeSpellApi}; the format is described there. Strict: an
 * unknown key is an error (it is most likely a typo). Error messages name the offending field
 * by its JSON path and never quote a token value.
 */
final class FakeApiConfig {

    record TokenSpec(String userName, String name, String value, Instant createdAt, Instant lastUsedAt) {
        @Override
        public String toString() {
            return "TokenSpec[" + userName + "/" + name + ", value redacted]";
        }
    }

    private static final Set<String> TOP_KEYS = Set.of("users");
    private static final Set<String> USER_KEYS = Set.of("user_name", "email", "full_name", "is_admin",
            "created_at", "organizations", "tokens");
    private static final Set<String> TOKEN_KEYS = Set.of("name", "value", "created_at", "last_used_at");

    final List<FakeUser> users = new ArrayList<>();
    final List<TokenSpec> tokens = new ArrayList<>();
    private final String source;

    private FakeApiConfig(String source) {
        this.source = source;
    }

    static FakeApiConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("fake API config " + file + " does not exist: give the path of a JSON file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fake API config " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    static FakeApiConfig parse(String json, String source) {
        FakeApiConfig config = new FakeApiConfig(source);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own message may quote the text around the error, which may be a token value.
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new IllegalArgumentException("fake API config " + source + " is not valid JSON" + where
                    + ": fix the syntax");
        }
        if (root == null || !root.isObject()) {
            throw config.error("(the whole file)", "is not a JSON object", "write {\"users\": [...]}");
        }
        config.checkKeys(root, TOP_KEYS, "");
        JsonNode users = root.get("users");
        if (users == null || !users.isArray()) {
            throw config.error("users", "is missing or not a list", "write {\"users\": [{\"user_name\": \"alice\", ...}]}");
        }
        for (int i = 0; i < users.size(); i++) {
            config.readUser(users.get(i), "users[" + i + "]");
        }
        return config;
    }

    private void readUser(JsonNode node, String path) {
        if (!node.isObject()) {
            throw error(path, "is not a JSON object", "write {\"user_name\": \"alice\", \"email\": \"alice@example.com\"}");
        }
        checkKeys(node, USER_KEYS, path + ".");
        String userName = requiredString(node, "user_name", path);
        String email = optionalString(node, "email", path);
        String fullName = optionalString(node, "full_name", path);
        boolean admin = false;
        JsonNode isAdmin = node.get("is_admin");
        if (isAdmin != null && !isAdmin.isNull()) {
            if (!isAdmin.isBoolean()) {
                throw error(path + ".is_admin", "is not true or false", "write true or false without quotes");
            }
            admin = isAdmin.booleanValue();
        }
        Instant createdAt = optionalInstant(node, "created_at", path);
        List<String> organizations = new ArrayList<>();
        JsonNode orgs = node.get("organizations");
        if (orgs != null && !orgs.isNull()) {
            if (!orgs.isArray()) {
                throw error(path + ".organizations", "is not a list", "write [\"acme\", \"research\"]");
            }
            for (int i = 0; i < orgs.size(); i++) {
                JsonNode org = orgs.get(i);
                if (!org.isTextual()) {
                    throw error(path + ".organizations[" + i + "]", "is not a string", "write the organization's name");
                }
                organizations.add(org.textValue());
            }
        }
        try {
            users.add(new FakeUser(userName, email != null ? email : userName + "@example.com", admin,
                    organizations, fullName, createdAt));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fake API config " + source + ": " + path + ": " + e.getMessage(), e);
        }
        JsonNode tokenList = node.get("tokens");
        if (tokenList != null && !tokenList.isNull()) {
            if (!tokenList.isArray()) {
                throw error(path + ".tokens", "is not a list", "write [{\"name\": \"ci\", \"value\": \"...\"}]");
            }
            for (int i = 0; i < tokenList.size(); i++) {
                readToken(userName, tokenList.get(i), path + ".tokens[" + i + "]");
            }
        }
    }

    private void readToken(String userName, JsonNode node, String path) {
        if (!node.isObject()) {
            throw error(path, "is not a JSON object", "write {\"name\": \"ci\", \"value\": \"...\"}");
        }
        checkKeys(node, TOKEN_KEYS, path + ".");
        String name = requiredString(node, "name", path);
        JsonNode value = node.get("value");
        if (value == null || !value.isTextual()) {
            throw error(path + ".value", "is missing or not a string", "give the token's value as a string");
        }
        tokens.add(new TokenSpec(userName, name, value.textValue(),
                optionalInstant(node, "created_at", path), optionalInstant(node, "last_used_at", path)));
    }

    private void checkKeys(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw error(prefix + name, "is not a known key", "use only " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private String requiredString(JsonNode node, String key, String path) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw error(path + "." + key, "is missing, empty or not a string", "give it as a non-empty string");
        }
        return value.textValue();
    }

    private String optionalString(JsonNode node, String key, String path) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw error(path + "." + key, "is not a string", "give it as a string or leave it out");
        }
        return value.textValue();
    }

    private Instant optionalInstant(JsonNode node, String key, String path) {
        String text = optionalString(node, key, path);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw error(path + "." + key, "is not an ISO-8601 timestamp", "write it like 2021-07-29T15:40:00Z");
        }
    }

    private IllegalArgumentException error(String path, String problem, String fix) {
        return new IllegalArgumentException("fake API config " + source + ": " + path + " " + problem + ": " + fix);
    }
}

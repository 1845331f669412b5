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
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** A fault queued from the file: as {@link FakeSpellApi#failNext}, {@code dropNext} and friends. */
    record QueuedFault(FaultQueue.Kind kind, int calls, int status, String body, String retryAfter,
                       String method) {
    }

    private static final Set<String> TOP_KEYS = Set.of("users", "faults");
    private static final Set<String> FAULTS_KEYS = Set.of("connection", "idle_timeout_ms", "random", "queue");
    private static final Set<String> RANDOM_KEYS = Set.of("seed", "rate");
    private static final Set<String> QUEUE_KEYS = Set.of("fault", "calls", "status", "body", "retry_after", "method");
    private static final Set<String> USER_KEYS = Set.of("user_name", "email", "full_name", "is_admin",
            "created_at", "organizations", "tokens", "password");
    private static final Set<String> TOKEN_KEYS = Set.of("name", "value", "created_at", "last_used_at");

    final List<FakeUser> users = new ArrayList<>();
    final List<TokenSpec> tokens = new ArrayList<>();
    /** User name to password, for {@code POST v1/users/login}; never in a message. */
    final Map<String, String> passwords = new LinkedHashMap<>();
    final List<QueuedFault> queuedFaults = new ArrayList<>();
    FakeSpellApi.ConnectionMode connectionMode;
    Duration idleTimeout;
    Long randomSeed;
    double randomRate;
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
        JsonNode faults = root.get("faults");
        if (faults != null && !faults.isNull()) {
            config.readFaults(faults);
        }
        return config;
    }

    private void readFaults(JsonNode node) {
        if (!node.isObject()) {
            throw error("faults", "is not a JSON object", "write {\"connection\": \"http/1.0\"} or leave it out");
        }
        checkKeys(node, FAULTS_KEYS, "faults.");
        String connection = optionalString(node, "connection", "faults");
        if (connection != null) {
            connectionMode = switch (connection) {
                case "keep-alive" -> FakeSpellApi.ConnectionMode.KEEP_ALIVE;
                case "close" -> FakeSpellApi.ConnectionMode.CLOSE;
                case "http/1.0" -> FakeSpellApi.ConnectionMode.HTTP_1_0;
                default -> throw error("faults.connection", "is not keep-alive, close or http/1.0",
                        "write one of those three");
            };
        }
        JsonNode idle = node.get("idle_timeout_ms");
        if (idle != null && !idle.isNull()) {
            if (!idle.canConvertToLong() || !idle.isIntegralNumber() || idle.longValue() < 1) {
                throw error("faults.idle_timeout_ms", "is not a whole number of 1 or more", "write e.g. 2000");
            }
            idleTimeout = Duration.ofMillis(idle.longValue());
        }
        JsonNode random = node.get("random");
        if (random != null && !random.isNull()) {
            if (!random.isObject()) {
                throw error("faults.random", "is not a JSON object", "write {\"seed\": 1, \"rate\": 0.3}");
            }
            checkKeys(random, RANDOM_KEYS, "faults.random.");
            JsonNode seed = random.get("seed");
            JsonNode rate = random.get("rate");
            if (seed == null || !seed.isIntegralNumber() || !seed.canConvertToLong()) {
                throw error("faults.random.seed", "is missing or not a whole number", "write e.g. 1");
            }
            if (rate == null || !rate.isNumber() || rate.doubleValue() < 0 || rate.doubleValue() > 1) {
                throw error("faults.random.rate", "is missing or not between 0 and 1", "write e.g. 0.3");
            }
            randomSeed = seed.longValue();
            randomRate = rate.doubleValue();
        }
        JsonNode queue = node.get("queue");
        if (queue != null && !queue.isNull()) {
            if (!queue.isArray()) {
                throw error("faults.queue", "is not a list", "write [{\"fault\": \"drop-after\", \"method\": \"POST\"}]");
            }
            for (int i = 0; i < queue.size(); i++) {
                readQueued(queue.get(i), "faults.queue[" + i + "]");
            }
        }
    }

    private void readQueued(JsonNode node, String path) {
        if (!node.isObject()) {
            throw error(path, "is not a JSON object", "write {\"fault\": \"fail\", \"status\": 503}");
        }
        checkKeys(node, QUEUE_KEYS, path + ".");
        String fault = requiredString(node, "fault", path);
        FaultQueue.Kind kind = switch (fault) {
            case "fail" -> FaultQueue.Kind.FAIL;
            case "drop" -> FaultQueue.Kind.DROP;
            case "drop-after" -> FaultQueue.Kind.DROP_AFTER;
            case "truncate" -> FaultQueue.Kind.TRUNCATE;
            default -> throw error(path + ".fault", "is not fail, drop, drop-after or truncate",
                    "write one of those four");
        };
        int calls = 1;
        JsonNode count = node.get("calls");
        if (count != null && !count.isNull()) {
            if (!count.isInt() || count.intValue() < 1) {
                throw error(path + ".calls", "is not a whole number of 1 or more", "write e.g. 2");
            }
            calls = count.intValue();
        }
        int status = 0;
        JsonNode code = node.get("status");
        if (kind == FaultQueue.Kind.FAIL) {
            if (code == null || !code.isInt() || code.intValue() < 200 || code.intValue() > 599) {
                throw error(path + ".status", "is missing or not an HTTP status from 200 to 599", "write e.g. 503");
            }
            status = code.intValue();
        } else if (code != null) {
            throw error(path + ".status", "only goes with \"fault\": \"fail\"", "leave it out");
        }
        String method = optionalString(node, "method", path);
        queuedFaults.add(new QueuedFault(kind, calls, status, optionalString(node, "body", path),
                optionalString(node, "retry_after", path), method));
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
        JsonNode password = node.get("password");
        if (password != null && !password.isNull()) {
            if (!password.isTextual() || password.textValue().isEmpty()) {
                // Not quoted: it is a password.
                throw error(path + ".password", "is empty or not a string", "give the password as a string or leave"
                        + " it out (then the user logs in with an access token only)");
            }
            passwords.put(userName, password.textValue());
        }
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

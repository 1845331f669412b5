package io.spellci.fakeapi;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** Users and tokens of a fake, guarded by this object's monitor. Never puts a token value into a message. */
final class FakeState {

    static final int MAX_TOKEN_LENGTH = 4096;
    static final int MAX_NAME_LENGTH = 255;

    static final class UserEntry {
        final FakeUser user;
        final Instant createdAt;
        final Map<String, TokenEntry> tokens = new LinkedHashMap<>();

        UserEntry(FakeUser user, Instant createdAt) {
            this.user = user;
            this.createdAt = createdAt;
        }
    }

    static final class TokenEntry {
        final String userName;
        final String name;
        final String value;
        final Instant createdAt;
        Instant lastUsedAt;

        TokenEntry(String userName, String name, String value, Instant createdAt, Instant lastUsedAt) {
            this.userName = userName;
            this.name = name;
            this.value = value;
            this.createdAt = createdAt;
            this.lastUsedAt = lastUsedAt;
        }

        FakeToken view() {
            return new FakeToken(userName, name, createdAt, lastUsedAt);
        }
    }

    /** The user a token authenticated and a snapshot of that user's data. */
    record Authenticated(FakeUser user, Instant createdAt) {
    }

    /** The result of creating a token through the API: the token or, when the name is taken, null. */
    record Created(String name, String value, Instant createdAt) {
    }

    private final Clock clock;
    private final Supplier<String> tokenGenerator;
    private final Map<String, UserEntry> users = new LinkedHashMap<>();
    private final Map<String, TokenEntry> byValue = new HashMap<>();

    FakeState(Clock clock, Supplier<String> tokenGenerator) {
        this.clock = clock;
        this.tokenGenerator = tokenGenerator;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    synchronized void addUser(FakeUser user) {
        Objects.requireNonNull(user, "user");
        if (users.containsKey(user.userName())) {
            throw new IllegalArgumentException("user '" + user.userName() + "' is defined twice: give each user once");
        }
        Instant createdAt = user.createdAt() != null ? user.createdAt() : now();
        users.put(user.userName(), new UserEntry(user, createdAt));
    }

    synchronized void addToken(String userName, String name, String value, Instant createdAt, Instant lastUsedAt) {
        UserEntry user = users.get(userName);
        if (user == null) {
            throw new IllegalArgumentException("token '" + name + "' belongs to unknown user '" + userName
                    + "': add the user before its tokens");
        }
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("token name of user '" + userName + "' " + problem);
        }
        if (user.tokens.containsKey(name)) {
            throw new IllegalArgumentException("user '" + userName + "' already has a token named '" + name
                    + "': token names are unique per user");
        }
        problem = valueProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException("value of token '" + name + "' of user '" + userName + "' " + problem);
        }
        TokenEntry other = byValue.get(value);
        if (other != null) {
            throw new IllegalArgumentException("token '" + name + "' of user '" + userName
                    + "' has the same value as token '" + other.name + "' of user '" + other.userName
                    + "': give every token its own value");
        }
        TokenEntry entry = new TokenEntry(userName, name, value,
                createdAt != null ? createdAt : now(), lastUsedAt);
        user.tokens.put(name, entry);
        byValue.put(value, entry);
    }

    /** Why {@code name} is not a valid token name, or null when it is. */
    static String nameProblem(String name) {
        if (name == null || name.isBlank()) {
            return "is empty: give the token a name";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "is longer than " + MAX_NAME_LENGTH + " characters: use a shorter name";
        }
        if (!name.equals(name.strip())) {
            return "starts or ends with whitespace: remove it";
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "contains a control character: use printable characters";
            }
        }
        return null;
    }

    /** Why {@code value} cannot be a token value, or null when it can. Never quotes the value. */
    static String valueProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "is empty: give the token a value";
        }
        if (value.length() > MAX_TOKEN_LENGTH) {
            return "is longer than " + MAX_TOKEN_LENGTH + " characters: use a shorter value";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                // A bearer token travels in an HTTP header: printable ASCII only (core's AccessToken agrees).
                return "contains whitespace, a control character or a character that is not ASCII:"
                        + " use printable ASCII only";
            }
        }
        return null;
    }

    /** The user the token belongs to, marking the token used now; empty when the token is unknown. */
    synchronized Optional<Authenticated> authenticate(String value) {
        TokenEntry token = byValue.get(value);
        if (token == null) {
            return Optional.empty();
        }
        token.lastUsedAt = now();
        UserEntry user = users.get(token.userName);
        return Optional.of(new Authenticated(user.user, user.createdAt));
    }

    synchronized List<FakeToken> tokens(String userName) {
        UserEntry user = users.get(userName);
        if (user == null) {
            return List.of();
        }
        List<FakeToken> result = new ArrayList<>();
        for (TokenEntry token : user.tokens.values()) {
            result.add(token.view());
        }
        return result;
    }

    /** Creates a token through the API; null when the user already has a token with that name. */
    synchronized Created create(String userName, String name) {
        UserEntry user = users.get(userName);
        if (user == null || user.tokens.containsKey(name)) {
            return null;
        }
        String value = null;
        for (int attempt = 0; attempt < 10 && value == null; attempt++) {
            String candidate = tokenGenerator.get();
            if (valueProblem(candidate) == null && !byValue.containsKey(candidate)) {
                value = candidate;
            }
        }
        if (value == null) {
            throw new IllegalStateException("the token generator gave no new valid value in 10 attempts");
        }
        TokenEntry entry = new TokenEntry(userName, name, value, now(), null);
        user.tokens.put(name, entry);
        byValue.put(value, entry);
        return new Created(name, value, entry.createdAt);
    }

    /** Sets a token's last use behind the API's back; false when there is none. */
    synchronized boolean setLastUsedAt(String userName, String name, Instant lastUsedAt) {
        UserEntry user = users.get(userName);
        TokenEntry token = user == null ? null : user.tokens.get(name);
        if (token == null) {
            return false;
        }
        token.lastUsedAt = lastUsedAt;
        return true;
    }

    /** Deletes a user's token by name; false when there is none. */
    synchronized boolean delete(String userName, String name) {
        UserEntry user = users.get(userName);
        if (user == null) {
            return false;
        }
        TokenEntry removed = user.tokens.remove(name);
        if (removed == null) {
            return false;
        }
        byValue.remove(removed.value);
        return true;
    }

    synchronized boolean hasToken(String value) {
        return value != null && byValue.containsKey(value);
    }

    synchronized List<FakeUser> users() {
        List<FakeUser> result = new ArrayList<>();
        for (UserEntry entry : users.values()) {
            result.add(entry.user.createdAt() != null ? entry.user : entry.user.withCreatedAt(entry.createdAt));
        }
        return result;
    }

    synchronized int tokenCount() {
        return byValue.size();
    }
}

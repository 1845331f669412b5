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

/**
 * Users, their passwords, access tokens, login sessions and SSH keys, guarded by this object's monitor. Never puts a
 * token value or a password into a message.
 */
final class FakeState {

    static final int MAX_TOKEN_LENGTH = 4096;
    static final int MAX_NAME_LENGTH = 255;

    static final class UserEntry {
        final FakeUser user;
        final Instant createdAt;
        final Map<String, TokenEntry> tokens = new LinkedHashMap<>();
        final Map<Long, FakeKey> keys = new LinkedHashMap<>();
        String password;
        Instant lastLoggedIn;

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

    /**
     * The user a token authenticated and a snapshot of that user's data; {@code session} when the token was a login
     * session's rather than an access token.
     */
    record Authenticated(FakeUser user, Instant createdAt, Instant lastLoggedIn, boolean session) {
    }

    /** An SSH public key registered with {@code POST v1/keys}, as {@code spell login} does. */
    record FakeKey(long id, String title, String fingerprint, Instant createdAt) {
    }

    /** A login: the new session token and the user it belongs to, or why it failed (then both are null). */
    record Login(String session, Authenticated user, String failure) {
    }

    /** The result of creating a token through the API: the token or, when the name is taken, null. */
    record Created(String name, String value, Instant createdAt) {
    }

    private final Clock clock;
    private final Supplier<String> tokenGenerator;
    private final Map<String, UserEntry> users = new LinkedHashMap<>();
    private final Map<String, TokenEntry> byValue = new HashMap<>();
    /** Session token value to user name: authenticates like an access token, never listed among them. */
    private final Map<String, String> sessions = new HashMap<>();
    private long nextKeyId = 1;

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
        if (sessions.containsKey(value)) {
            throw new IllegalArgumentException("token '" + name + "' of user '" + userName
                    + "' has the value of a login session: give every token its own value");
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

    /**
     * The user an access token (marked used now) or a login session's token belongs to; empty when the token is
     * neither.
     */
    synchronized Optional<Authenticated> authenticate(String value) {
        TokenEntry token = byValue.get(value);
        if (token != null) {
            token.lastUsedAt = now();
            return Optional.of(authenticated(users.get(token.userName), false));
        }
        String sessionUser = sessions.get(value);
        if (sessionUser != null) {
            return Optional.of(authenticated(users.get(sessionUser), true));
        }
        return Optional.empty();
    }

    private static Authenticated authenticated(UserEntry user, boolean session) {
        return new Authenticated(user.user, user.createdAt, user.lastLoggedIn, session);
    }

    synchronized void setPassword(String userName, String password) {
        UserEntry user = users.get(userName);
        if (user == null) {
            throw new IllegalArgumentException("a password is given for unknown user '" + userName
                    + "': add the user first");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password of user '" + userName + "' is empty: give a password"
                    + " or leave it out");
        }
        user.password = password;
    }

    /**
     * Logs a user in as {@code POST v1/users/login} does: by user name or e-mail address (case-insensitive) with
     * the password, or by e-mail address with one of the user's access tokens. Sets {@code last_logged_in}.
     */
    synchronized Login login(String userName, String email, String password, String accessToken) {
        UserEntry user = null;
        if (!userName.isEmpty()) {
            user = users.get(userName);
        } else if (!email.isEmpty()) {
            for (UserEntry candidate : users.values()) {
                if (candidate.user.email().equalsIgnoreCase(email)) {
                    user = candidate;
                    break;
                }
            }
        }
        boolean ok;
        if (user == null) {
            ok = false;
        } else if (!accessToken.isEmpty()) {
            // Only with the e-mail address, as Spell's client sends it; a session token does not log in again.
            TokenEntry token = byValue.get(accessToken);
            ok = userName.isEmpty() && password.isEmpty() && token != null && token.userName.equals(user.user.userName());
            if (ok) {
                token.lastUsedAt = now();
            }
        } else {
            ok = user.password != null && !password.isEmpty() && constantTimeEquals(user.password, password);
        }
        if (!ok) {
            String failure = user != null && accessToken.isEmpty() && user.password == null
                    ? "user '" + user.user.userName() + "' has no password on this fake: give it one (\"password\" in"
                            + " the --config file) or log in with the e-mail address and an access token"
                    : "the user name, e-mail address, password or access token is wrong";
            return new Login(null, null, failure);
        }
        String session = newValue();
        sessions.put(session, user.user.userName());
        user.lastLoggedIn = now();
        return new Login(session, authenticated(user, true), null);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Ends a login session; false when {@code value} is not one (an access token is never ended by a logout). */
    synchronized boolean logout(String value) {
        return sessions.remove(value) != null;
    }

    synchronized boolean hasSession(String value) {
        return value != null && sessions.containsKey(value);
    }

    synchronized Optional<Instant> lastLoggedIn(String userName) {
        UserEntry user = users.get(userName);
        return user == null ? Optional.empty() : Optional.ofNullable(user.lastLoggedIn);
    }

    /** Why a sign-up of {@code user} cannot be done (a name or e-mail address taken), or null once it is done. */
    synchronized String signUp(FakeUser user, String password) {
        if (users.containsKey(user.userName())) {
            return "the user name '" + user.userName() + "' is taken: choose another";
        }
        for (UserEntry other : users.values()) {
            if (other.user.email().equalsIgnoreCase(user.email())) {
                return "the e-mail address " + user.email() + " belongs to another user: use another";
            }
        }
        addUser(user);
        users.get(user.userName()).password = password;
        return null;
    }

    synchronized FakeKey addKey(String userName, String title, String fingerprint) {
        UserEntry user = users.get(userName);
        FakeKey key = new FakeKey(nextKeyId++, title, fingerprint, now());
        user.keys.put(key.id(), key);
        return key;
    }

    synchronized List<FakeKey> keys(String userName) {
        UserEntry user = users.get(userName);
        return user == null ? List.of() : List.copyOf(user.keys.values());
    }

    /** Deletes a user's SSH key; false when the user has no key with that id. */
    synchronized boolean deleteKey(String userName, long id) {
        UserEntry user = users.get(userName);
        return user != null && user.keys.remove(id) != null;
    }

    /** A new token value (access token or session) that no token or session has. */
    private String newValue() {
        for (int attempt = 0; attempt < 10; attempt++) {
            String candidate = tokenGenerator.get();
            if (valueProblem(candidate) == null && !byValue.containsKey(candidate) && !sessions.containsKey(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the token generator gave no new valid value in 10 attempts");
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
        String value = newValue();
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

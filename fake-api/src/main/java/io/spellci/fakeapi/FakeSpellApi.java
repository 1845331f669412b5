package io.spellci.fakeapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A Spell-compatible API on a small HTTP/1.1 server of its own, for tests, demos and users' own pipeline
 * tests. It serves the part of Spell's HTTP API that spell-ci uses and the auth surface of Spell's own client
 * ({@code spell login}, {@code logout}, sign-up, SSH keys), with the response shapes of the contract
 * ({@code docs/fake-api.md} in the repository describes them). Endpoints are listed in {@link FakeRouter}, each
 * answered by one handler class ({@code UserEndpoints}, {@code AccessTokenEndpoints}, {@code SessionEndpoints},
 * {@code KeyEndpoints}); injected faults live in {@code FaultQueue}. Spell-ci's own endpoints:
 *
 * <ul>
 *   <li>{@code GET /v1/users/me} &rarr; {@code {"user": {...}}} with {@code memberships};</li>
 *   <li>{@code GET /v1/users/me/access_tokens} &rarr; {@code {"access_tokens": [{"name", "created_at",
 *       "last_used_at"}]}}, exactly these three keys, {@code last_used_at} null when unused;</li>
 *   <li>{@code POST /v1/users/me/access_tokens} with {@code {"name"}} &rarr; 201 and
 *       {@code {"name", "token", "created_at", "last_used_at"}}; a taken name gives 409, a missing or
 *       invalid name 400;</li>
 *   <li>{@code DELETE /v1/users/me/access_tokens} with {@code {"name"}} &rarr; 204; an unknown name gives 404.</li>
 * </ul>
 *
 * <p>{@code POST /v1/users/login} (e-mail address or user name with the password, or e-mail address with an access
 * token) answers {@code {"token", "user"}} with a login session's token: it authenticates like an access token but
 * is never listed among them, and {@code POST /v1/users/logout} ends it. {@code POST /v1/users} signs a user up.
 *
 * <p>Every other endpoint needs {@code Authorization: Bearer <token>} (exactly that form); a missing,
 * malformed, unknown or deleted token gives 401. Errors have the body
 * {@code {"status": "<reason>", "error": "<message>", "code": <status>}}. An unknown path gives 404,
 * a known path with another method 405. Path segments are percent-decoded before matching.
 * Tokens created through the API work at once; deleted tokens stop working at once; each
 * authenticated request sets its token's {@code last_used_at} to the current time of the
 * {@linkplain Builder#clock(Clock) clock}. Timestamps are ISO-8601 in UTC with {@code Z}.
 *
 * <p>Set-up from code:
 * <pre>{@code
 * try (FakeSpellApi fake = FakeSpellApi.builder()
 *         .user(FakeUser.of("alice", "alice@example.com", "acme"))
 *         .token("alice", "ci", "alice-secret-token")
 *         .build()
 *         .start()) {
 *     String base = fake.url();   // "http://127.0.0.1:<free port>"; requests go to base + "/v1/..."
 * }
 * }</pre>
 *
 * <p>Or from a JSON file ({@link #fromJson(Path)}, {@link #fromJson(Path, int)},
 * {@link Builder#config(Path)}), in this format (only {@code user_name} and each token's
 * {@code name} and {@code value} are required; unknown keys are an error):
 * <pre>{@code
 * {
 *   "users": [
 *     {
 *       "user_name": "alice",
 *       "email": "alice@example.com",          // default: <user_name>@example.com
 *       "full_name": "Alice Example",          // optional
 *       "password": "alice-example-password",  // optional, for POST v1/users/login; never shown
 *       "is_admin": false,                     // default false
 *       "created_at": "2021-01-02T03:04:05Z",  // default: when the fake is built
 *       "organizations": ["acme", "research"], // default none
 *       "tokens": [
 *         {"name": "ci", "value": "alice-ci-token", "created_at": "2021-07-29T15:40:00Z",
 *          "last_used_at": null}               // created_at default: now; last_used_at default null
 *       ]
 *     }
 *   ]
 * }
 * }</pre>
 * (JSON has no comments; they only explain the fields here.)
 *
 * <p>For tests there are faults ({@link #failNext}, {@link #delayNext}, {@link #dropNext},
 * {@link #resetFaults}), a log of the requests received ({@link #requests()}) and accessors for
 * the state ({@link #tokenNames}, {@link #tokens}, {@link #hasToken}). All methods are
 * thread-safe. The fake writes no log; token values appear in no message it produces.
 */
public final class FakeSpellApi implements AutoCloseable {

    /** The address the fake listens on. */
    public static final String HOST = "127.0.0.1";
    /** How many requests {@link #requests()} keeps at most; older ones are forgotten first. */
    public static final int MAX_RECORDED_REQUESTS = 10_000;
    /** Request bodies larger than this are refused with 400. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final FakeState state;
    private final FakeRouter router;
    private final FaultQueue faults = new FaultQueue();
    private final Clock clock;
    private final int requestedPort;
    private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();

    private final Duration idleTimeout;
    private volatile ConnectionMode connectionMode;

    private FakeHttpServer server;
    private boolean closed;

    private FakeSpellApi(Builder builder) {
        this.clock = builder.clock;
        this.requestedPort = builder.port;
        this.idleTimeout = builder.idleTimeout;
        this.connectionMode = builder.connectionMode;
        if (builder.randomSeed != null) {
            randomFaults(builder.randomSeed, builder.randomRate);
        }
        for (FakeApiConfig.QueuedFault fault : builder.queuedFaults) {
            faults.enqueue(fault.kind(), fault.calls(), fault.status(), fault.body(), fault.retryAfter(), fault.method());
        }
        this.state = new FakeState(builder.clock, builder.tokenGenerator);
        for (FakeUser user : builder.users) {
            state.addUser(user);
        }
        for (Map.Entry<String, String> password : builder.passwords.entrySet()) {
            state.setPassword(password.getKey(), password.getValue());
        }
        for (FakeApiConfig.TokenSpec token : builder.tokens) {
            state.addToken(token.userName(), token.name(), token.value(), token.createdAt(), token.lastUsedAt());
        }
        this.router = new FakeRouter(state);
    }

    /** A builder: add users and tokens, optionally a port and a clock, then {@code build().start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A fake (not started) set up from a JSON file, on a free port. */
    public static FakeSpellApi fromJson(Path file) {
        return builder().config(file).build();
    }

    /** A fake (not started) set up from a JSON file, on {@code port} (0 for a free port). */
    public static FakeSpellApi fromJson(Path file, int port) {
        return builder().config(file).port(port).build();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts listening on {@value #HOST}; returns this. Calling it again is harmless.
     *
     * @throws UncheckedIOException when the port cannot be bound (e.g. it is in use)
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized FakeSpellApi start() {
        if (closed) {
            throw new IllegalStateException("this fake Spell API is closed: build a new one");
        }
        if (server != null) {
            return this;
        }
        try {
            this.server = new FakeHttpServer(loopback(), requestedPort, this::handle, MAX_BODY_BYTES, idleTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + HOST + ":" + requestedPort + ": " + e.getMessage()
                    + (requestedPort == 0 ? "" : "; choose another port or 0 for a free one"), e);
        }
        return this;
    }

    /** Whether the fake is listening. */
    public synchronized boolean isRunning() {
        return server != null && !closed;
    }

    /** The port the fake listens on. */
    public synchronized int port() {
        requireStarted();
        return server.port();
    }

    /** The API base URL, {@code http://127.0.0.1:<port>} without a trailing slash; requests go to {@code url() + "/v1/..."}. */
    public String url() {
        return "http://" + HOST + ":" + port();
    }

    /** Stops listening at once; requests in flight are cut off. Calling it again is harmless. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close();
        }
    }

    private void requireStarted() {
        if (server == null) {
            throw new IllegalStateException("the fake Spell API is not started: call start() first");
        }
    }

    // ---------------------------------------------------------------- faults

    /** How the fake treats connections after each answer; see {@link #connectionMode(ConnectionMode)}. */
    public enum ConnectionMode {
        /** HTTP/1.1 keep-alive, as most APIs do (the default). */
        KEEP_ALIVE,
        /** Answer as HTTP/1.1 without a {@code Connection} header, then close: the client learns it on reuse. */
        CLOSE,
        /** Answer as {@code HTTP/1.0} without a {@code Connection} header and close, as Python's http.server does. */
        HTTP_1_0
    }

    /** From now on, treat every connection this way (queued faults still apply first). */
    public void connectionMode(ConnectionMode mode) {
        this.connectionMode = Objects.requireNonNull(mode, "mode");
    }

    /** The next {@code calls} requests, whatever their path, get {@code status} and an error body. */
    public void failNext(int calls, int status) {
        failNext(calls, status, null, null);
    }

    /**
     * The next {@code calls} requests get {@code status} and {@code body} (null: the standard
     * error body; {@code ""}: no body). A body starting with <code>{</code> or {@code [} is sent as
     * {@code application/json}, any other as {@code text/plain}. A 2xx status is allowed, to send
     * a malformed success body.
     */
    public void failNext(int calls, int status, String body) {
        failNext(calls, status, body, null);
    }

    /** As {@link #failNext(int, int, String)}, with a {@code Retry-After} header (e.g. {@code "1"}) unless null. */
    public void failNext(int calls, int status, String body, String retryAfter) {
        faults.enqueue(FaultQueue.Kind.FAIL, calls, status, body, retryAfter, null);
    }

    /**
     * The next {@code calls} requests with {@code method} (e.g. {@code "POST"}) get {@code status} and the standard
     * error body; requests of other methods pass meanwhile, so a test can fail a create or a delete alone.
     */
    public void failNextOf(int calls, int status, String method) {
        faults.enqueue(FaultQueue.Kind.FAIL, calls, status, null, null, Objects.requireNonNull(method, "method"));
    }

    /**
     * The connections of the next {@code calls} requests are closed without a response. Failures
     * and drops form one queue, served in the order they were asked for.
     */
    public void dropNext(int calls) {
        faults.enqueue(FaultQueue.Kind.DROP, calls, 0, null, null, null);
    }

    /**
     * The next {@code calls} requests with {@code method} (null: any) are carried out (a create creates the token),
     * then their connection is closed before the answer: the client cannot know what happened.
     */
    public void dropAfterNext(int calls, String method) {
        faults.enqueue(FaultQueue.Kind.DROP_AFTER, calls, 0, null, null, method);
    }

    /**
     * The next {@code calls} requests with {@code method} (null: any) are carried out and answered with the full
     * {@code Content-Length} but only the first half of the body, then the connection is closed.
     */
    public void truncateNext(int calls, String method) {
        faults.enqueue(FaultQueue.Kind.TRUNCATE, calls, 0, null, null, method);
    }

    /**
     * From now on a request meets a random fault with probability {@code rate}: 429, 500, 502, 503 or 504, a
     * dropped connection, a request carried out whose answer is lost, a truncated body, a slow answer, a
     * non-JSON 2xx, or an answer as HTTP/1.0 that closes the connection. The same seed gives the same sequence.
     */
    public void randomFaults(long seed, double rate) {
        faults.random(seed, rate);
    }

    /**
     * The next {@code calls} requests wait {@code delay} before they are answered (or failed or
     * dropped, if that is queued too). Delays form their own queue.
     */
    public void delayNext(int calls, Duration delay) {
        faults.delay(calls, delay);
    }

    /** Forgets every queued failure, drop and delay, and stops random faults. */
    public void resetFaults() {
        faults.reset();
    }

    // ---------------------------------------------------------------- request log

    /** The requests received so far, oldest first (at most {@value #MAX_RECORDED_REQUESTS}). */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The most recent request, or null when none arrived. */
    public RecordedRequest lastRequest() {
        synchronized (recorded) {
            return recorded.peekLast();
        }
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        synchronized (recorded) {
            recorded.clear();
        }
    }

    // ---------------------------------------------------------------- state

    /** The clock that dates tokens and their use. */
    public Clock clock() {
        return clock;
    }

    /** The users, in the order they were added, each with its creation time. */
    public List<FakeUser> users() {
        return state.users();
    }

    /** The names of a user's tokens, oldest first; empty for an unknown user. */
    public List<String> tokenNames(String userName) {
        return state.tokens(userName).stream().map(FakeToken::name).toList();
    }

    /** A user's tokens (without values), oldest first; empty for an unknown user. */
    public List<FakeToken> tokens(String userName) {
        return state.tokens(userName);
    }

    /** One token of a user by name. */
    public Optional<FakeToken> token(String userName, String tokenName) {
        return state.tokens(userName).stream().filter(t -> t.name().equals(tokenName)).findFirst();
    }

    /** Whether an access token with this value exists (would authenticate a request now); login sessions are not. */
    public boolean hasToken(String value) {
        return state.hasToken(value);
    }

    /** Whether a login session with this token value is open (from {@code POST v1/users/login}, until its logout). */
    public boolean hasSession(String value) {
        return state.hasSession(value);
    }

    /** When the user last logged in with {@code POST v1/users/login}; empty when never (or no such user). */
    public Optional<Instant> lastLoggedIn(String userName) {
        return state.lastLoggedIn(userName);
    }

    /** The titles of the SSH public keys a user registered ({@code spell login} registers one), oldest first. */
    public List<String> keyTitles(String userName) {
        return state.keys(userName).stream().map(FakeState.FakeKey::title).toList();
    }

    /** Adds a token while the fake runs, created now. */
    public void addToken(String userName, String tokenName, String value) {
        addToken(userName, tokenName, value, null);
    }

    /** Adds a token while the fake runs, created at {@code createdAt} (null: now). */
    public void addToken(String userName, String tokenName, String value, Instant createdAt) {
        state.addToken(userName, tokenName, value, createdAt, null);
    }

    /** Sets when a token was last used ({@code null}: never), e.g. to make it look idle for weeks; false when there is none. */
    public boolean setLastUsedAt(String userName, String tokenName, Instant lastUsedAt) {
        return state.setLastUsedAt(userName, tokenName, lastUsedAt);
    }

    /** Deletes a user's token by name, as the API would; false when there is none. */
    public boolean deleteToken(String userName, String tokenName) {
        return state.delete(userName, tokenName);
    }

    /** The URL (when started), the number of users and tokens; never a token value. */
    @Override
    public String toString() {
        String where;
        synchronized (this) {
            where = server == null ? "not started" : closed ? "closed" : url();
        }
        return "FakeSpellApi[" + where + ", " + state.users().size() + " users, " + state.tokenCount() + " tokens]";
    }

    // ---------------------------------------------------------------- HTTP

    private FakeHttpServer.Reply handle(FakeHttpServer.Request wire) {
        byte[] body = wire.body();
        RecordedRequest request = record(wire, body == null ? new byte[0] : body);
        try {
            FaultQueue.Plan plan = faults.next(wire.method());
            if (plan.delay() != null && !plan.delay().isZero()) {
                try {
                    Thread.sleep(plan.delay().toMillis());
                } catch (InterruptedException e) {
                    // The fake is closing: cut the connection.
                    request.status(RecordedRequest.DROPPED);
                    return dropped();
                }
            }
            FaultQueue.Fault fault = plan.fault();
            if (fault != null && fault.kind == FaultQueue.Kind.DROP) {
                request.status(RecordedRequest.DROPPED);
                return dropped(); // no response header: the client sees the connection end
            }
            FakeResponse response;
            if (fault != null && fault.kind == FaultQueue.Kind.FAIL) {
                response = fault.response();
            } else if (body == null) {
                response = FakeResponse.error(400, "the request body is larger than " + MAX_BODY_BYTES
                        + " bytes: send a small JSON object");
            } else {
                response = router.route(wire.method(), wire.rawPath(), wire.headers(), body);
            }
            FakeHttpServer.Wire how = switch (connectionMode) {
                case CLOSE -> FakeHttpServer.Wire.CLOSE;
                case HTTP_1_0 -> FakeHttpServer.Wire.HTTP_1_0;
                default -> FakeHttpServer.Wire.NORMAL;
            };
            if (fault != null && fault.kind == null) {
                how = FakeHttpServer.Wire.HTTP_1_0;
            } else if (fault != null && fault.kind == FaultQueue.Kind.DROP_AFTER) {
                request.status(RecordedRequest.DROPPED);
                return dropped(); // carried out, answer lost
            } else if (fault != null && fault.kind == FaultQueue.Kind.TRUNCATE) {
                how = FakeHttpServer.Wire.TRUNCATE;
            }
            request.status(response.status());
            return reply(wire.method(), response, how);
        } catch (RuntimeException e) {
            // A bug in the fake: answer 500 without details (they could hold request data).
            request.status(500);
            return reply(wire.method(), FakeResponse.error(500, "the fake Spell API failed: "
                    + e.getClass().getSimpleName()), FakeHttpServer.Wire.NORMAL);
        }
    }

    private static FakeHttpServer.Reply dropped() {
        return new FakeHttpServer.Reply(0, Map.of(), null, null, FakeHttpServer.Wire.DROP);
    }

    private static FakeHttpServer.Reply reply(String method, FakeResponse response, FakeHttpServer.Wire how) {
        byte[] body = "HEAD".equals(method) ? null : response.body();
        return new FakeHttpServer.Reply(response.status(), response.headers(), body, response.contentType(), how);
    }

    private RecordedRequest record(FakeHttpServer.Request wire, byte[] body) {
        RecordedRequest request = new RecordedRequest(sequence.incrementAndGet(), clock.instant(),
                wire.method(), wire.rawPath(), wire.rawQuery(), wire.headers(), body);
        synchronized (recorded) {
            recorded.addLast(request);
            while (recorded.size() > MAX_RECORDED_REQUESTS) {
                recorded.removeFirst();
            }
        }
        return request;
    }

    /** ISO-8601 in UTC with {@code Z}, e.g. {@code 2021-07-29T15:40:00Z}. */
    static String timestamp(Instant instant) {
        return FakeResponse.timestamp(instant);
    }

    static String reason(int status) {
        return FakeResponse.reason(status);
    }

    /** See {@link FakeRouter#decodePath}. */
    static List<String> decodePath(String rawPath) {
        return FakeRouter.decodePath(rawPath);
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Token generator of the fake: 40 random URL-safe characters. */
    private static Supplier<String> randomTokens() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] bytes = new byte[30];
            random.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        };
    }

    // ---------------------------------------------------------------- builder

    /** Collects users, tokens, a port and a clock; {@link #build()} checks them. */
    public static final class Builder {

        private final List<FakeUser> users = new ArrayList<>();
        private final List<FakeApiConfig.TokenSpec> tokens = new ArrayList<>();
        private final Map<String, String> passwords = new LinkedHashMap<>();
        private final List<FakeApiConfig.QueuedFault> queuedFaults = new ArrayList<>();
        private int port;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private ConnectionMode connectionMode = ConnectionMode.KEEP_ALIVE;
        private Long randomSeed;
        private double randomRate;
        private Clock clock = Clock.systemUTC();
        private Supplier<String> tokenGenerator = randomTokens();

        private Builder() {
        }

        /** Adds a user. */
        public Builder user(FakeUser user) {
            users.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        /** Adds a token of a user (added before or after), created when the fake is built. */
        public Builder token(String userName, String tokenName, String tokenValue) {
            return token(userName, tokenName, tokenValue, null);
        }

        /** Adds a token of a user, created at {@code createdAt} (null: when the fake is built). */
        public Builder token(String userName, String tokenName, String tokenValue, Instant createdAt) {
            tokens.add(new FakeApiConfig.TokenSpec(userName, tokenName, tokenValue, createdAt, null));
            return this;
        }

        /**
         * Gives a user (added before or after) a password for {@code POST v1/users/login}; without one the user logs in
         * with an e-mail address and an access token only. Never shown in a message.
         */
        public Builder password(String userName, String password) {
            passwords.put(Objects.requireNonNull(userName, "userName"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /**
         * Adds the users and tokens of a JSON file (format: see {@link FakeSpellApi}).
         *
         * @throws IllegalArgumentException when the file is missing or not in the format
         * @throws UncheckedIOException when it cannot be read
         */
        public Builder config(Path jsonFile) {
            return add(FakeApiConfig.read(jsonFile));
        }

        /** Adds the users and tokens of a JSON text (format: see {@link FakeSpellApi}). */
        public Builder configJson(String jsonText) {
            return add(FakeApiConfig.parse(jsonText, "(JSON text)"));
        }

        private Builder add(FakeApiConfig config) {
            users.addAll(config.users);
            tokens.addAll(config.tokens);
            passwords.putAll(config.passwords);
            queuedFaults.addAll(config.queuedFaults);
            if (config.connectionMode != null) {
                connectionMode = config.connectionMode;
            }
            if (config.idleTimeout != null) {
                idleTimeout = config.idleTimeout;
            }
            if (config.randomSeed != null) {
                randomFaults(config.randomSeed, config.randomRate);
            }
            return this;
        }

        /** How connections are treated after each answer (default keep-alive); see {@link ConnectionMode}. */
        public Builder connectionMode(ConnectionMode mode) {
            this.connectionMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * How long a kept-alive connection may sit idle before the fake closes it without a word (default 30 s);
         * a short one (gunicorn has 2 s) tests clients that reuse connections the server has dropped.
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive");
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** Random faults from the start; see {@link FakeSpellApi#randomFaults(long, double)}. */
        public Builder randomFaults(long seed, double rate) {
            FaultQueue.requireRate(rate);
            this.randomSeed = seed;
            this.randomRate = rate;
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port " + value + " is not between 0 and 65535: use 0 for a free port");
            }
            this.port = value;
            return this;
        }

        /** The clock for creation and last-use times (default: the system clock in UTC); see {@link FakeClock}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Makes the values of tokens created through the API (default: 40 random URL-safe characters). */
        public Builder tokenGenerator(Supplier<String> generator) {
            this.tokenGenerator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /**
         * The fake, not yet started.
         *
         * @throws IllegalArgumentException when users or tokens contradict each other (a user twice,
         *     a token of an unknown user, a token name twice for a user, a token value twice)
         */
        public FakeSpellApi build() {
            return new FakeSpellApi(this);
        }

        /** Shorthand for {@code build().start()}. */
        public FakeSpellApi start() {
            return build().start();
        }
    }
}

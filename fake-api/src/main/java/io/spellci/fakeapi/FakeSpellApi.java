package io.spellci.fakeapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A Spell-compatible API on a small HTTP/1.1 server of its own, for tests, demos and users' own pipeline
 * tests. It serves the part of Spell's HTTP API that spell-ci uses, with the response shapes of
 * the contract ({@code docs/fake-api.md} in the repository describes them):
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
 * <p>Every endpoint needs {@code Authorization: Bearer <token>} (exactly that form); a missing,
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

    private static final List<String> USERS_ME = List.of("v1", "users", "me");
    private static final List<String> ACCESS_TOKENS = List.of("v1", "users", "me", "access_tokens");
    private static final Set<String> USERS_ME_METHODS = Set.of("GET");
    private static final Set<String> ACCESS_TOKENS_METHODS = Set.of("GET", "POST", "DELETE");
    private static final String BEARER = "Bearer ";

    private final FakeState state;
    private final Clock clock;
    private final int requestedPort;
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<Action> actions = new ArrayDeque<>();
    private final Deque<Delay> delays = new ArrayDeque<>();
    private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();

    private final Duration idleTimeout;
    private volatile ConnectionMode connectionMode;
    private Random randomFaults;
    private double randomFaultRate;

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
            enqueue(fault.kind(), fault.calls(), fault.status(), fault.body(), fault.retryAfter(), fault.method());
        }
        this.state = new FakeState(builder.clock, builder.tokenGenerator);
        for (FakeUser user : builder.users) {
            state.addUser(user);
        }
        for (FakeApiConfig.TokenSpec token : builder.tokens) {
            state.addToken(token.userName(), token.name(), token.value(), token.createdAt(), token.lastUsedAt());
        }
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
        enqueue(FaultKind.FAIL, calls, status, body, retryAfter, null);
    }

    /**
     * The next {@code calls} requests with {@code method} (e.g. {@code "POST"}) get {@code status} and the standard
     * error body; requests of other methods pass meanwhile, so a test can fail a create or a delete alone.
     */
    public void failNextOf(int calls, int status, String method) {
        enqueue(FaultKind.FAIL, calls, status, null, null, Objects.requireNonNull(method, "method"));
    }

    /**
     * The connections of the next {@code calls} requests are closed without a response. Failures
     * and drops form one queue, served in the order they were asked for.
     */
    public void dropNext(int calls) {
        enqueue(FaultKind.DROP, calls, 0, null, null, null);
    }

    /**
     * The next {@code calls} requests with {@code method} (null: any) are carried out (a create creates the token),
     * then their connection is closed before the answer: the client cannot know what happened.
     */
    public void dropAfterNext(int calls, String method) {
        enqueue(FaultKind.DROP_AFTER, calls, 0, null, null, method);
    }

    /**
     * The next {@code calls} requests with {@code method} (null: any) are carried out and answered with the full
     * {@code Content-Length} but only the first half of the body, then the connection is closed.
     */
    public void truncateNext(int calls, String method) {
        enqueue(FaultKind.TRUNCATE, calls, 0, null, null, method);
    }

    /**
     * From now on a request meets a random fault with probability {@code rate}: 429, 500, 502, 503 or 504, a
     * dropped connection, a request carried out whose answer is lost, a truncated body, a slow answer, a
     * non-JSON 2xx, or an answer as HTTP/1.0 that closes the connection. The same seed gives the same sequence.
     */
    public void randomFaults(long seed, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate " + rate + " is not between 0 and 1");
        }
        synchronized (actions) {
            randomFaults = new Random(seed);
            randomFaultRate = rate;
        }
    }

    /**
     * The next {@code calls} requests wait {@code delay} before they are answered (or failed or
     * dropped, if that is queued too). Delays form their own queue.
     */
    public void delayNext(int calls, Duration delay) {
        requirePositive(calls);
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive");
        }
        synchronized (actions) {
            delays.addLast(new Delay(calls, delay));
        }
    }

    /** Forgets every queued failure, drop and delay, and stops random faults. */
    public void resetFaults() {
        synchronized (actions) {
            actions.clear();
            delays.clear();
            randomFaults = null;
        }
    }

    private static void requirePositive(int calls) {
        if (calls < 1) {
            throw new IllegalArgumentException("calls is " + calls + ": give 1 or more");
        }
    }

    enum FaultKind { FAIL, DROP, DROP_AFTER, TRUNCATE }

    private void enqueue(FaultKind kind, int calls, int status, String body, String retryAfter, String method) {
        requirePositive(calls);
        if (kind == FaultKind.FAIL && (status < 200 || status > 599)) {
            throw new IllegalArgumentException("status " + status + " is not between 200 and 599: use an HTTP status");
        }
        synchronized (actions) {
            actions.addLast(new Action(calls, kind, status, body, retryAfter,
                    method == null ? null : method.toUpperCase(Locale.ROOT)));
        }
    }

    private static final class Action {
        int remaining;
        final FaultKind kind;
        final int status;
        final String body;
        final String retryAfter;
        final String method;

        Action(int remaining, FaultKind kind, int status, String body, String retryAfter, String method) {
            this.remaining = remaining;
            this.kind = kind;
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
            this.method = method;
        }
    }

    private static final class Delay {
        int remaining;
        final Duration delay;

        Delay(int remaining, Duration delay) {
            this.remaining = remaining;
            this.delay = delay;
        }
    }

    private record Plan(Duration delay, Action action) {
    }

    private Plan nextPlan(String method) {
        synchronized (actions) {
            Action action = actions.peekFirst();
            if (action != null && action.method != null && !action.method.equals(method)) {
                action = null; // waits for a request of its method
            } else if (action != null && --action.remaining == 0) {
                actions.removeFirst();
            }
            Delay delay = delays.peekFirst();
            if (delay != null && --delay.remaining == 0) {
                delays.removeFirst();
            }
            Duration wait = delay == null ? null : delay.delay;
            if (action == null && randomFaults != null && randomFaults.nextDouble() < randomFaultRate) {
                int pick = randomFaults.nextInt(11);
                switch (pick) {
                    case 0, 1, 2, 3, 4 -> action = new Action(1, FaultKind.FAIL,
                            new int[] {429, 500, 502, 503, 504}[pick], null, null, null);
                    case 5 -> action = new Action(1, FaultKind.DROP, 0, null, null, null);
                    case 6 -> action = new Action(1, FaultKind.DROP_AFTER, 0, null, null, null);
                    case 7 -> action = new Action(1, FaultKind.TRUNCATE, 0, null, null, null);
                    case 8 -> wait = Duration.ofMillis(50 + randomFaults.nextInt(450));
                    case 9 -> action = new Action(1, FaultKind.FAIL, 200, "<html><body>OK</body></html>", null, null);
                    default -> action = new Action(1, null, 0, null, null, null); // answered as HTTP/1.0, closed
                }
            }
            return new Plan(wait, action);
        }
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

    /** Whether a token with this value exists (would authenticate a request now). */
    public boolean hasToken(String value) {
        return state.hasToken(value);
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

    private record Response(int status, byte[] body, String contentType, Map<String, String> headers) {
        static Response empty(int status) {
            return new Response(status, null, null, Map.of());
        }
    }

    private FakeHttpServer.Reply handle(FakeHttpServer.Request wire) {
        byte[] body = wire.body();
        RecordedRequest request = record(wire, body == null ? new byte[0] : body);
        try {
            Plan plan = nextPlan(wire.method());
            if (plan.delay() != null && !plan.delay().isZero()) {
                try {
                    Thread.sleep(plan.delay().toMillis());
                } catch (InterruptedException e) {
                    // The fake is closing: cut the connection.
                    request.status(RecordedRequest.DROPPED);
                    return dropped();
                }
            }
            Action action = plan.action();
            if (action != null && action.kind == FaultKind.DROP) {
                request.status(RecordedRequest.DROPPED);
                return dropped(); // no response header: the client sees the connection end
            }
            Response response;
            if (action != null && action.kind == FaultKind.FAIL) {
                response = injected(action);
            } else if (body == null) {
                response = error(400, "the request body is larger than " + MAX_BODY_BYTES + " bytes: send a small JSON object");
            } else {
                response = route(wire.method(), wire.rawPath(), wire.headers(), body);
            }
            FakeHttpServer.Wire how = switch (connectionMode) {
                case CLOSE -> FakeHttpServer.Wire.CLOSE;
                case HTTP_1_0 -> FakeHttpServer.Wire.HTTP_1_0;
                default -> FakeHttpServer.Wire.NORMAL;
            };
            if (action != null && action.kind == null) {
                how = FakeHttpServer.Wire.HTTP_1_0;
            } else if (action != null && action.kind == FaultKind.DROP_AFTER) {
                request.status(RecordedRequest.DROPPED);
                return dropped(); // carried out, answer lost
            } else if (action != null && action.kind == FaultKind.TRUNCATE) {
                how = FakeHttpServer.Wire.TRUNCATE;
            }
            request.status(response.status());
            return reply(wire.method(), response, how);
        } catch (RuntimeException e) {
            // A bug in the fake: answer 500 without details (they could hold request data).
            request.status(500);
            return reply(wire.method(), error(500, "the fake Spell API failed: " + e.getClass().getSimpleName()),
                    FakeHttpServer.Wire.NORMAL);
        }
    }

    private static FakeHttpServer.Reply dropped() {
        return new FakeHttpServer.Reply(0, Map.of(), null, null, FakeHttpServer.Wire.DROP);
    }

    private static FakeHttpServer.Reply reply(String method, Response response, FakeHttpServer.Wire how) {
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

    private Response injected(Action action) {
        Map<String, String> headers = action.retryAfter == null ? Map.of() : Map.of("Retry-After", action.retryAfter);
        if (action.body == null) {
            Response standard = error(action.status, "injected failure (HTTP " + action.status + ")");
            return new Response(standard.status(), standard.body(), standard.contentType(), headers);
        }
        if (action.body.isEmpty()) {
            return new Response(action.status, null, null, headers);
        }
        String trimmed = action.body.stripLeading();
        String type = trimmed.startsWith("{") || trimmed.startsWith("[")
                ? "application/json" : "text/plain; charset=utf-8";
        return new Response(action.status, action.body.getBytes(StandardCharsets.UTF_8), type, headers);
    }

    private Response route(String method, String rawPath, Headers headers, byte[] body) {
        List<String> segments = decodePath(rawPath);
        if (segments == null) {
            return error(400, "the path is not valid percent-encoded UTF-8: encode each path segment");
        }
        Set<String> allowed;
        if (segments.equals(USERS_ME)) {
            allowed = USERS_ME_METHODS;
        } else if (segments.equals(ACCESS_TOKENS)) {
            allowed = ACCESS_TOKENS_METHODS;
        } else {
            return error(404, "no such endpoint: this API serves v1/users/me and v1/users/me/access_tokens");
        }
        if (!allowed.contains(method)) {
            String allow = String.join(", ", allowed.stream().sorted().toList());
            Response response = error(405, "method " + method + " is not allowed here: use " + allow);
            return new Response(405, response.body(), response.contentType(), Map.of("Allow", allow));
        }
        List<String> authorization = headers.get("Authorization");
        if (authorization == null || authorization.isEmpty()) {
            return error(401, "missing Authorization header: send 'Authorization: Bearer <access token>'");
        }
        if (authorization.size() > 1) {
            return error(401, "more than one Authorization header: send exactly one");
        }
        String header = authorization.get(0);
        if (!header.startsWith(BEARER) || header.length() == BEARER.length()
                || FakeState.valueProblem(header.substring(BEARER.length())) != null) {
            return error(401, "malformed Authorization header: send 'Authorization: Bearer <access token>'");
        }
        Optional<FakeState.Authenticated> user = state.authenticate(header.substring(BEARER.length()));
        if (user.isEmpty()) {
            return error(401, "the access token is invalid, revoked or deleted");
        }
        String userName = user.get().user().userName();
        if (segments.equals(USERS_ME)) {
            return me(user.get());
        }
        switch (method) {
            case "GET":
                return listTokens(userName);
            case "POST":
                return createToken(userName, headers, body);
            default:
                return deleteToken(userName, headers, body);
        }
    }

    private Response me(FakeState.Authenticated authenticated) {
        FakeUser user = authenticated.user();
        String created = timestamp(authenticated.createdAt());
        List<Map<String, Object>> memberships = new ArrayList<>();
        for (String organization : user.organizations()) {
            Map<String, Object> org = new LinkedHashMap<>();
            org.put("name", organization);
            org.put("created_at", created);
            org.put("updated_at", created);
            Map<String, Object> membership = new LinkedHashMap<>();
            membership.put("role", "member");
            membership.put("created_at", created);
            membership.put("updated_at", created);
            membership.put("organization", org);
            memberships.add(membership);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_name", user.userName());
        body.put("email", user.email());
        body.put("full_name", user.fullName());
        body.put("created_at", created);
        body.put("updated_at", created);
        body.put("last_logged_in", null);
        body.put("is_admin", user.admin());
        body.put("memberships", memberships);
        return json(200, Map.of("user", body));
    }

    private Response listTokens(String userName) {
        List<Map<String, Object>> items = new ArrayList<>();
        List<FakeToken> tokens = new ArrayList<>(state.tokens(userName));
        // Oldest first, as documented; names break ties so that the order never depends on insertion.
        tokens.sort(java.util.Comparator.comparing(FakeToken::createdAt).thenComparing(FakeToken::name));
        for (FakeToken token : tokens) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", token.name());
            item.put("created_at", timestamp(token.createdAt()));
            item.put("last_used_at", token.lastUsedAt() == null ? null : timestamp(token.lastUsedAt()));
            items.add(item);
        }
        return json(200, Map.of("access_tokens", items));
    }

    private Response createToken(String userName, Headers headers, byte[] body) {
        Object name = tokenName(headers, body);
        if (name instanceof Response problem) {
            return problem;
        }
        FakeState.Created created = state.create(userName, (String) name);
        if (created == null) {
            return error(409, "an access token named '" + name + "' already exists: choose another name");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", created.name());
        result.put("token", created.value());
        result.put("created_at", timestamp(created.createdAt()));
        result.put("last_used_at", null);
        return json(201, result);
    }

    private Response deleteToken(String userName, Headers headers, byte[] body) {
        Object name = tokenName(headers, body);
        if (name instanceof Response problem) {
            return problem;
        }
        if (!state.delete(userName, (String) name)) {
            return error(404, "no access token named '" + name + "': list them with GET v1/users/me/access_tokens");
        }
        return Response.empty(204);
    }

    /** The {@code name} of a {@code {"name": ...}} body, or an error response. */
    private Object tokenName(Headers headers, byte[] body) {
        String contentType = headers.getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            return error(400, "the body must be JSON sent with 'Content-Type: application/json'");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            return error(400, "the body is not valid JSON: send {\"name\": \"<token name>\"}");
        }
        if (node == null || !node.isObject()) {
            return error(400, "the body is not a JSON object: send {\"name\": \"<token name>\"}");
        }
        JsonNode name = node.get("name");
        if (name == null || name.isNull()) {
            return error(400, "name is missing: send {\"name\": \"<token name>\"}");
        }
        if (!name.isTextual()) {
            return error(400, "name is not a string: send {\"name\": \"<token name>\"}");
        }
        String problem = FakeState.nameProblem(name.textValue());
        if (problem != null) {
            return error(400, "name " + problem);
        }
        return name.textValue();
    }

    private Response error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reason(status));
        body.put("error", message);
        body.put("code", status);
        return json(status, body);
    }

    private Response json(int status, Object value) {
        try {
            return new Response(status, json.writeValueAsBytes(value), "application/json", Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** ISO-8601 in UTC with {@code Z}, e.g. {@code 2021-07-29T15:40:00Z}. */
    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "OK";
        };
    }

    /**
     * The percent-decoded segments of a raw path ({@code /v1/users/me} &rarr; {@code [v1, users, me]}),
     * or null when an escape is malformed or the bytes are not UTF-8. {@code %2F} stays inside its segment.
     */
    static List<String> decodePath(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return List.of("");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            String segment = decodeSegment(raw);
            if (segment == null) {
                return null;
            }
            segments.add(segment);
        }
        return segments;
    }

    private static String decodeSegment(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
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
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("rate " + rate + " is not between 0 and 1");
            }
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

package io.spellci.core.api;

import io.spellci.core.InvalidInputException;
import io.spellci.core.SpellCi;
import io.spellci.core.api.SpellApiException.Kind;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.net.ProxyRefusedException;
import io.spellci.core.net.OkHttpNetwork;
import io.spellci.core.net.ProxySettings;
import io.spellci.core.net.TrustedCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * The Spell HTTP API as spell-ci uses it (see {@code shared/spell-api.md}): who a token belongs to, and
 * the token's own access tokens. Every call sends {@code Authorization: Bearer <token>}, retries what is
 * safe to retry, follows no redirect, and fails with a {@link SpellApiException} that never contains the token.
 */
public final class SpellApi implements AutoCloseable {
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    /** Spell's answers are small; anything bigger is not Spell. */
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final int MAX_ERROR_TEXT = 300;

    private final ApiUrl apiUrl;
    private final HttpUrl base;
    private final OkHttpClient client;
    /** Same settings, but a pool of its own that keeps no connection: every call on it opens a new one. */
    private volatile OkHttpClient freshClient;
    private final boolean ownsClient;
    private final RetryPolicy retryPolicy;
    private final RetryClock clock;
    private final Duration callTimeout;
    private final String userAgent;

    private SpellApi(Builder builder) {
        this.apiUrl = builder.apiUrl;
        this.base = HttpUrl.get(apiUrl.toString());
        this.ownsClient = builder.httpClient == null;
        OkHttpClient.Builder http = ownsClient ? new OkHttpClient.Builder() : builder.httpClient.newBuilder();
        EventListener.Factory theirs = ownsClient ? null : builder.httpClient.eventListenerFactory();
        if (ownsClient && base.scheme().equals("http")) {
            // Plain http is allowed only to loopback; without TLS specs OkHttp skips loading the trust store.
            http.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        if (builder.proxy != null || builder.trustedCertificates != null) {
            // The front ends' proxy and extra CAs (io.spellci.core.net); Jenkins brings its own client instead.
            // No CAs over plain http: building their trust store (SSL_CERT_FILE is often the system bundle) cost
            // ~190 ms of a validating step for nothing.
            OkHttpNetwork.apply(http, builder.proxy,
                    base.scheme().equals("https") ? builder.trustedCertificates : null);
        }
        // Redirects are not followed: the token goes only to the host the user named.
        this.client = http
                .followRedirects(false)
                .followSslRedirects(false)
                // Retries are decided here, where we know whether a request changes state.
                .retryOnConnectionFailure(false)
                .connectTimeout(builder.connectTimeout)
                .readTimeout(builder.readTimeout)
                .writeTimeout(builder.readTimeout)
                .callTimeout(Duration.ZERO)
                // Tells a stale pooled connection from a failing API (see Trace), per call via the request's tag.
                .eventListenerFactory(new TracingFactory(theirs))
                .addNetworkInterceptor(new ForgetClosingConnections())
                .build();
        this.retryPolicy = builder.retryPolicy;
        this.clock = builder.clock;
        this.callTimeout = builder.callTimeout;
        this.userAgent = SpellCi.userAgent(builder.frontEnd);
    }

    public static Builder builder() {
        return new Builder();
    }

    public ApiUrl apiUrl() {
        return apiUrl;
    }

    /** {@code GET v1/users/me}: the user the token belongs to. */
    public SpellUser whoami(AccessToken token) throws SpellApiException {
        String what = "GET /v1/users/me";
        JsonObject user = send(token, "GET", List.of("users", "me"), null, true, what).object("user");
        if (user == null) {
            throw badResponse(what, "it has no \"user\" object");
        }
        String userName = user.text("user_name");
        if (userName == null || userName.isEmpty()) {
            throw badResponse(what, "its user has no \"user_name\"");
        }
        if (!isPlainName(userName)) {
            // Spell (and our fake) never make such a name; printed, it could be read as a log command or a second line.
            throw badResponse(what, "its \"user_name\" contains whitespace, a control character or '/'");
        }
        List<String> organizations = new ArrayList<>();
        List<Object> memberships = user.list("memberships");
        for (Object membership : memberships == null ? List.of() : memberships) {
            JsonObject organization = membership instanceof JsonObject m ? m.object("organization") : null;
            String name = organization == null ? null : organization.text("name");
            if (name != null && !name.isEmpty()) {
                organizations.add(name);
            }
        }
        return new SpellUser(userName, user.text("email"), user.bool("is_admin"), organizations);
    }

    /**
     * Checks the token (one call to {@code users/me}) and that its user may act for {@code owner}.
     *
     * @throws SpellApiException of kind {@link Kind#OWNER_NOT_ALLOWED} listing the owners the token may use
     * @throws InvalidInputException (unchecked, before any call) when the owner is or holds the token
     */
    public Identity verify(AccessToken token, Owner owner) throws SpellApiException {
        Objects.requireNonNull(owner, "owner");
        owner.requireDistinctFrom(token);
        SpellUser user = whoami(token);
        if (!user.mayActFor(owner)) {
            throw new SpellApiException(Kind.OWNER_NOT_ALLOWED, 0, "the access token belongs to Spell user '"
                    + user.userName() + "', who may not act for owner '" + owner.name() + "': set the owner to one of "
                    + String.join(", ", user.allowedOwners()) + ", or ask an admin of '" + owner.name()
                    + "' to add " + user.userName() + " to the organization");
        }
        return new Identity(user, owner);
    }

    /** {@code GET v1/users/me/access_tokens}. */
    public List<TokenInfo> listTokens(AccessToken token) throws SpellApiException {
        String what = "GET /v1/users/me/access_tokens";
        List<Object> list = send(token, "GET", List.of("users", "me", "access_tokens"), null, true, what)
                .list("access_tokens");
        if (list == null) {
            throw badResponse(what, "it has no \"access_tokens\" list");
        }
        List<TokenInfo> tokens = new ArrayList<>(list.size());
        for (Object entry : list) {
            if (!(entry instanceof JsonObject item)) {
                throw badResponse(what, "an item of the list is not an object");
            }
            String name = item.text("name");
            if (name == null) {
                throw badResponse(what, "a token in the list has no \"name\"");
            }
            Instant created = instant(item, "created_at", what);
            if (created == null) {
                throw badResponse(what, "token '" + name + "' has no \"created_at\"");
            }
            tokens.add(new TokenInfo(name, created, instant(item, "last_used_at", what)));
        }
        return List.copyOf(tokens);
    }

    /**
     * {@code POST v1/users/me/access_tokens}: creates a token called {@code name}; its value is shown only now.
     * Not repeated after a failure that may have reached the server (see {@link SpellApiException#outcomeUnknown()}).
     */
    public CreatedToken createToken(AccessToken token, String name) throws SpellApiException {
        requireTokenName(token, name);
        String what = "creating access token '" + name + "'";
        String body = JsonObject.of("name", name);
        JsonObject answer = send(token, "POST", List.of("users", "me", "access_tokens"), body, false, what);
        String value = answer.text("token");
        if (value == null || value.isEmpty()) {
            throw badResponse(what, "it has no \"token\"");
        }
        AccessToken created;
        try {
            created = AccessToken.of(value, "the created token");
        } catch (InvalidInputException e) {
            throw badResponse(what, "the created token is not usable (" + e.problem() + ")");
        }
        Instant createdAt = instant(answer, "created_at", what);
        String createdName = answer.text("name");
        return new CreatedToken(createdName == null || createdName.isEmpty() ? name : createdName, created,
                createdAt == null ? Instant.now() : createdAt);
    }

    /** {@code DELETE v1/users/me/access_tokens} with body {@code {"name": ...}}. */
    public void deleteToken(AccessToken token, String name) throws SpellApiException {
        requireTokenName(token, name);
        send(token, "DELETE", List.of("users", "me", "access_tokens"),
                JsonObject.of("name", name), true, "deleting access token '" + name + "'");
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
        OkHttpClient fresh = freshClient;
        if (fresh != null) {
            fresh.connectionPool().evictAll(); // our own pool, never a shared one
        }
    }

    private static void requireTokenName(AccessToken token, String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("token name", "is empty", "give the access token a unique name");
        }
        if (token != null && token.isFoundIn(name)) {
            // The name goes into every message about the call, and Spell lists token names in clear.
            throw new InvalidInputException("token name", "is or contains the access token",
                    "give the token a name of its own; the access token itself never goes in a name");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Transport: one place for attempts, backoff, deadlines and error mapping.

    private JsonObject send(AccessToken token, String method, List<String> segments, String body,
            boolean idempotent, String what) throws SpellApiException {
        Objects.requireNonNull(token, "token");
        HttpUrl.Builder url = base.newBuilder().addPathSegment("v1");
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        Request.Builder request = new Request.Builder()
                .url(url.build())
                .header("Authorization", "Bearer " + token.reveal())
                .header("User-Agent", userAgent)
                .header("Accept", "application/json");
        if (body != null) {
            request.method(method, RequestBody.create(body, JSON_TYPE));
        } else {
            request.method(method, null);
        }
        Request built = request.build();
        if (token.isFoundIn(built.url().toString())) {
            // A token pasted into the API URL would go out in a DNS lookup, a request line and error messages.
            throw new InvalidInputException("api-url", "contains the access token",
                    "set the API URL to the Spell API's base URL; the access token goes in its own input");
        }

        long started = clock.nanoTime();
        long deadline = started + retryPolicy.deadline().toNanos();
        SpellApiException last = null;
        int attempts = 0;
        while (attempts < retryPolicy.maxAttempts()) {
            long remaining = deadline - clock.nanoTime();
            if (remaining <= 0) {
                break;
            }
            if (Thread.currentThread().isInterrupted()) {
                // OkHttp would throw an undeclared InterruptedException from its connect; nothing is sent.
                throw interrupted("before " + describeAction(what), false, null);
            }
            attempts++;
            // A state-changing call goes out on a new connection: a pooled one may be dead, and a create that
            // fails there has an unknown outcome.
            Attempt outcome = attempt(token, built, idempotent, what, Math.min(remaining, callTimeout.toNanos()),
                    !idempotent);
            long left = deadline - clock.nanoTime();
            if (outcome.stale && left > 0) {
                // The server had closed the pooled connection: not the API's failure, so no attempt is spent.
                outcome = attempt(token, built, idempotent, what, Math.min(left, callTimeout.toNanos()), true);
            }
            if (outcome.json != null) {
                return outcome.json;
            }
            last = outcome.failure;
            if (!outcome.retryable || attempts == retryPolicy.maxAttempts()) {
                break;
            }
            // The API's own Retry-After wins over our backoff: it knows when it will be back.
            long pause = outcome.retryAfterNanos >= 0 ? outcome.retryAfterNanos : jitter(attempts);
            if (clock.nanoTime() + pause >= deadline) {
                if (outcome.retryAfterNanos >= 0) {
                    last = withContext(last, "; it asked to wait " + seconds(outcome.retryAfterNanos)
                            + ", past the deadline of " + seconds(retryPolicy.deadline().toNanos()));
                }
                break;
            }
            sleep(pause, what);
        }
        if (last == null) {
            throw new SpellApiException(Kind.TIMEOUT, 0, "the Spell API at " + apiUrl + " did not answer "
                    + what + " within " + seconds(retryPolicy.deadline().toNanos())
                    + ": check the API URL and your network, or allow a longer deadline", !idempotent, null);
        }
        if (attempts > 1) {
            throw withContext(last, " (gave up after " + attempts + " attempts in "
                    + seconds(clock.nanoTime() - started) + " of the " + seconds(retryPolicy.deadline().toNanos())
                    + " allowed)");
        }
        throw last;
    }

    private static final class Attempt {
        JsonObject json;
        SpellApiException failure;
        boolean retryable;
        boolean stale;
        long retryAfterNanos = -1;
    }

    /** What one call went through: whether its connection came from the pool, and whether an answer began. */
    private static final class Trace {
        volatile boolean acquired;
        volatile boolean connected;
        volatile boolean answered;

        boolean onPooledConnectionBeforeAnyAnswer() {
            return acquired && !connected && !answered;
        }
    }

    private static final Trace NO_TRACE = new Trace();

    private static final EventListener TRACING = new EventListener() {
        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            trace(call).connected = true;
        }

        @Override
        public void connectionAcquired(Call call, Connection connection) {
            trace(call).acquired = true;
        }

        @Override
        public void responseHeadersEnd(Call call, Response response) {
            trace(call).answered = true;
        }

        private Trace trace(Call call) {
            Trace trace = call.request().tag(Trace.class);
            return trace == null ? NO_TRACE : trace;
        }
    };

    /** TRACING after the shared client's own listener, if it has one; a class, as a lambda's bootstrap slows a cold step. */
    private static final class TracingFactory implements EventListener.Factory {
        private final EventListener.Factory theirs;

        TracingFactory(EventListener.Factory theirs) {
            this.theirs = theirs;
        }

        @Override
        public EventListener create(Call call) {
            return theirs == null ? TRACING : theirs.create(call).plus(TRACING);
        }
    }

    /**
     * An HTTP/1.0 answer without {@code Connection: keep-alive} means the server closes the connection after it,
     * but OkHttp would pool it and send the next request into a closed socket. This closes our connection
     * once its answer is read (OkHttp already handles {@code Connection: close}); other users' pooled
     * connections, e.g. in Jenkins' shared client, are never touched.
     */
    private static final class ForgetClosingConnections implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Response response = chain.proceed(chain.request());
            String connection = response.header("Connection");
            if (response.protocol() != Protocol.HTTP_1_0 || (connection != null
                    && connection.toLowerCase(Locale.ROOT).contains("keep-alive"))) {
                return response;
            }
            ResponseBody body = response.body();
            byte[] bytes;
            try (body) {
                BufferedSource source = body.source();
                source.request(MAX_BODY_BYTES + 1L);
                bytes = source.getBuffer().readByteArray(Math.min(source.getBuffer().size(), MAX_BODY_BYTES + 1L));
            }
            Connection used = chain.connection();
            if (used != null) {
                used.socket().close();
            }
            return response.newBuilder().body(ResponseBody.create(bytes, body.contentType())).build();
        }
    }

    private OkHttpClient fresh() {
        OkHttpClient fresh = freshClient;
        if (fresh == null) {
            synchronized (this) {
                if (freshClient == null) {
                    freshClient = client.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
                }
                fresh = freshClient;
            }
        }
        return fresh;
    }

    private Attempt attempt(AccessToken token, Request request, boolean idempotent, String what, long timeoutNanos,
            boolean onNewConnection) {
        Attempt result = new Attempt();
        Trace trace = new Trace();
        Call call = (onNewConnection ? fresh() : client).newCall(request.newBuilder().tag(Trace.class, trace).build());
        call.timeout().timeout(timeoutNanos, TimeUnit.NANOSECONDS);
        int status;
        String text;
        String retryAfter;
        String location;
        try (Response response = call.execute()) {
            status = response.code();
            retryAfter = response.header("Retry-After");
            location = response.header("Location");
            text = readBody(response.body());
        } catch (BodyTooLargeException e) {
            result.failure = badResponse(what, "it is larger than " + (MAX_BODY_BYTES >> 10) + " KiB");
            return result;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()
                    || (e instanceof InterruptedIOException && "interrupted".equals(e.getMessage()))) {
                // okio noticed the interrupt: a stopped job, not a slow API; the flag stays set for the caller.
                Thread.currentThread().interrupt();
                result.failure = interrupted("while " + describeAction(what), !idempotent, null);
                return result;
            }
            boolean neverSent = e instanceof ConnectException || e instanceof UnknownHostException
                    || e instanceof NoRouteToHostException;
            boolean timedOut = e instanceof InterruptedIOException;
            // A certificate nobody trusts or a proxy that refuses us stays so: trying again only wastes the deadline.
            boolean hopeless = e instanceof ProxyRefusedException || e instanceof SSLPeerUnverifiedException
                    || causedBy(e, CertificateException.class);
            result.retryable = (idempotent || neverSent) && !hopeless;
            // Only reads and deletes: a create never goes out on a pooled connection.
            result.stale = idempotent && !timedOut && trace.onPooledConnectionBeforeAnyAnswer();
            String cause = token.redact(describe(e));
            if (timedOut) {
                result.failure = new SpellApiException(Kind.TIMEOUT, 0, "the Spell API at " + apiUrl
                        + " did not answer " + what + " in time (" + cause + "): check the API URL and your"
                        + " network, or allow a longer timeout", !neverSent && !idempotent, null);
            } else {
                result.failure = new SpellApiException(Kind.NETWORK, 0, "could not reach the Spell API at "
                        + apiUrl + " while " + describeAction(what) + " (" + cause + "): check the API URL, DNS,"
                        + " proxy and firewall", !neverSent && !idempotent, null);
            }
            return result;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // OkHttp's connect (Kotlin) throws InterruptedException although execute() does not declare it.
            if (!(e instanceof InterruptedException)) {
                throw new IllegalStateException("unexpected " + e.getClass().getName(), e);
            }
            Thread.currentThread().interrupt();
            result.failure = interrupted("while " + describeAction(what), !idempotent, (InterruptedException) e);
            return result;
        }

        if (status >= 200 && status < 300) {
            if (text.isBlank()) {
                result.json = JsonObject.empty();
                return result;
            }
            try {
                result.json = JsonObject.parse(text);
            } catch (JsonObject.NotAnObjectException e) {
                result.failure = badResponse(what, "it is not a JSON object");
            } catch (IOException e) {
                result.failure = badResponse(what, "it is not JSON");
            }
            return result;
        }
        if (status >= 300 && status < 400) {
            result.failure = new SpellApiException(Kind.REDIRECT, status, "the Spell API at " + apiUrl
                    + " answered " + what + " with a redirect (HTTP " + status + ")" + redirectTarget(location, token)
                    + "; spell-ci follows no redirect so the token goes only where you said: set the API URL to"
                    + " the address the API really has");
            return result;
        }
        String serverSays = serverMessage(text, token);
        // 500 too for reads and deletes, which are safe to repeat (as the AWS and Google SDKs do).
        boolean mayRetry = status == 429 || status == 502 || status == 503 || status == 504
                || (idempotent && status == 500);
        // A create answered 429 was refused before doing anything; other 5xx may have done it.
        result.retryable = mayRetry && (idempotent || status == 429);
        if (status == 429 || status == 503) {
            result.retryAfterNanos = retryAfterNanos(retryAfter);
        }
        result.failure = statusError(status, serverSays, what, !idempotent && status >= 500);
        return result;
    }

    private SpellApiException statusError(int status, String serverSays, String what, boolean outcomeUnknown) {
        String detail = serverSays.isEmpty() ? "" : " (the API says: " + serverSays + ")";
        switch (status) {
            case 401:
                return new SpellApiException(Kind.UNAUTHORIZED, status, "the Spell API rejected the access token"
                        + " (HTTP 401): it is wrong, revoked or deleted; create a new one with"
                        + " `spell access-tokens create`");
            case 403:
                return new SpellApiException(Kind.FORBIDDEN, status, "the Spell API refused " + what
                        + " (HTTP 403)" + detail + ": the token's user is not allowed to do this;"
                        + " use a token of a user who is");
            case 404:
                return new SpellApiException(Kind.NOT_FOUND, status, "the Spell API found nothing for " + what
                        + " (HTTP 404)" + detail + ": check that the API URL " + apiUrl
                        + " is the base of a Spell API (without /v1) and that the name is right");
            case 409:
                return new SpellApiException(Kind.CONFLICT, status, "the Spell API refused " + what
                        + " (HTTP 409)" + detail + ": an access token with that name exists already; pick another"
                        + " name or delete the old one with `spell access-tokens delete <name>`");
            case 429:
                return new SpellApiException(Kind.RATE_LIMITED, status, "the Spell API is limiting requests"
                        + " (HTTP 429) for " + what + detail + ": wait a minute and run again, or space out the"
                        + " jobs that use this token", outcomeUnknown, null);
            default:
                if (status >= 500) {
                    return new SpellApiException(Kind.SERVER_ERROR, status, "the Spell API at " + apiUrl
                            + " failed " + what + " (HTTP " + status + ")" + detail
                            + ": retry later; if it persists, check the API's status and the API URL",
                            outcomeUnknown, null);
                }
                return new SpellApiException(Kind.BAD_REQUEST, status, "the Spell API refused " + what
                        + " as invalid (HTTP " + status + ")" + detail
                        + ": check the inputs; if they look right, this client and the API disagree, so"
                        + " report it with this message");
        }
    }

    private SpellApiException badResponse(String what, String problem) {
        return new SpellApiException(Kind.BAD_RESPONSE, 200, "the answer of " + apiUrl + " to " + what
                + " is not what the Spell API sends: " + problem + "; check that the API URL points at a Spell API");
    }

    private static SpellApiException withContext(SpellApiException e, String suffix) {
        return new SpellApiException(e.kind(), e.status(), e.getMessage() + suffix, e.outcomeUnknown(), e.getCause());
    }

    private static String describeAction(String what) {
        return what.startsWith("GET ") ? "calling " + what : what;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

        private static String describe(IOException e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + sanitize(message);
    }

    private static String redirectTarget(String location, AccessToken token) {
        if (location == null || location.isBlank()) {
            return "";
        }
        HttpUrl target = HttpUrl.parse(location.strip());
        // Only scheme, host and path: a Location can carry user-info or a query we should not repeat.
        String shown = target == null ? "" : " to " + target.scheme() + "://" + target.host()
                + (target.port() == HttpUrl.defaultPort(target.scheme()) ? "" : ":" + target.port())
                + target.encodedPath();
        // A server may echo the token into the path (a callback URL); the host is lower-cased, so not redact().
        return token.isFoundIn(shown) ? " to an address that holds the access token (not shown)" : shown;
    }

    private static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static String readBody(ResponseBody body) throws IOException {
        if (body == null) {
            return "";
        }
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Spell's error body is {@code {"status","error","code"}}: show {@code error}, else {@code status}; the token is
     * masked before the text is cut, as a cut token would escape the mask.
     */
    private static String serverMessage(String text, AccessToken token) {
        return shorten(token.redact(fullServerMessage(text)));
    }

    private static String fullServerMessage(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonObject node = JsonObject.parse(trimmed);
                String error = node.text("error");
                if (error != null && !error.isBlank()) {
                    return sanitize(error);
                }
                String status = node.text("status");
                if (status != null && !status.isBlank()) {
                    return sanitize(status);
                }
                return "";
            } catch (IOException e) {
                // Not a JSON object after all: fall through to the plain-text handling.
            }
        }
        if (trimmed.startsWith("<")) {
            return "an HTML page, not a Spell API answer";
        }
        return sanitize(trimmed);
    }

    /**
     * Server text as one plain line: control characters become spaces, and {@code ##[} (the GitHub runner's old
     * command syntax, honoured anywhere in a line, e.g. {@code ##[stop-commands]}) is broken up.
     */
    static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString().replaceAll(" {2,}", " ").strip().replace("##[", "# #[");
    }

    private static boolean isPlainName(String name) {
        return name.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c) || c == '/');
    }

    private static String shorten(String text) {
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
    }

    private Instant instant(JsonObject node, String field, String what) throws SpellApiException {
        String value = node.text(field);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Timestamps.parse(value);
        } catch (DateTimeParseException e) {
            throw badResponse(what, "\"" + field + "\" is not an ISO-8601 time (" + shorten(sanitize(value)) + ")");
        }
    }

    /** Retry-After as seconds or an HTTP date; -1 when absent or unreadable. */
    static long retryAfterNanos(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String value = header.strip();
        try {
            long secs = Long.parseLong(value);
            return secs < 0 ? -1 : TimeUnit.SECONDS.toNanos(Math.min(secs, TimeUnit.DAYS.toSeconds(1)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(Instant.now(), at).toNanos());
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }

    /** Full jitter: a random pause between zero and the exponential ceiling. */
    private long jitter(int attempt) {
        long ceiling = retryPolicy.backoffCeiling(attempt).toNanos();
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    private void sleep(long nanos, String what) throws SpellApiException {
        try {
            clock.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // Only a refused or never-sent request is retried, so its outcome is known: nothing was made.
            throw interrupted("while waiting to retry " + what, false, e);
        }
    }

    private static SpellApiException interrupted(String when, boolean outcomeUnknown, InterruptedException cause) {
        return new SpellApiException(Kind.NETWORK, 0, "interrupted " + when + ": the job was stopped",
                outcomeUnknown, cause);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** Options for a {@link SpellApi}; all have defaults but the token, which goes with each call. */
    public static final class Builder {
        private ApiUrl apiUrl = ApiUrl.defaultUrl();
        private String frontEnd = "library";
        private OkHttpClient httpClient;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private RetryClock clock = RetryClock.SYSTEM;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(30);
        private ProxySettings proxy;
        private TrustedCertificates trustedCertificates;

        private Builder() {
        }

        public Builder apiUrl(ApiUrl apiUrl) {
            this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
            return this;
        }

        /** Names the front end in the User-Agent, e.g. {@code github-action} or {@code jenkins}. */
        public Builder frontEnd(String frontEnd) {
            this.frontEnd = Objects.requireNonNull(frontEnd, "frontEnd");
            return this;
        }

        /**
         * A client to share connection pools and proxy settings with (Jenkins passes one built through
         * {@code JenkinsOkHttpClient}); redirects and timeouts are set on top of it.
         */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** The proxy from the environment (HTTPS_PROXY, NO_PROXY...); without it OkHttp's default applies. */
        public Builder proxy(ProxySettings proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /** CA certificates to trust in addition to the JVM's (a private API, a TLS-inspecting proxy). */
        public Builder trustedCertificates(TrustedCertificates certificates) {
            this.trustedCertificates = Objects.requireNonNull(certificates, "certificates");
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** The clock the deadline is measured and the pauses are waited on; tests pass one they move. */
        public Builder retryClock(RetryClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /** The longest one attempt may take, from connecting to the last byte of the answer. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        public SpellApi build() {
            return new SpellApi(this);
        }

        private static Duration positive(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + timeout);
            }
            return timeout;
        }
    }
}

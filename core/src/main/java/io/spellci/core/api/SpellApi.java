package io.spellci.core.api;

import io.spellci.core.InvalidInputException;
import io.spellci.core.SpellCi;
import io.spellci.core.api.SpellApiException.Kind;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.net.ProxySettings;
import io.spellci.core.net.TrustedCertificates;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The Spell HTTP API as spell-ci uses it (see {@code shared/spell-api.md}): who a token belongs to, and
 * the token's own access tokens. Every call sends {@code Authorization: Bearer <token>}, retries what is
 * safe to retry, follows no redirect, and fails with a {@link SpellApiException} that never contains the token
 * (how is {@link SpellTransport}'s part).
 */
public final class SpellApi implements AutoCloseable {
    private final ApiUrl apiUrl;
    private final SpellTransport transport;

    private SpellApi(Builder builder) {
        this.apiUrl = builder.apiUrl;
        this.transport = new SpellTransport(builder.apiUrl, builder.httpClient, builder.proxy,
                builder.trustedCertificates, builder.retryPolicy, builder.clock, builder.connectTimeout,
                builder.readTimeout, builder.callTimeout, SpellCi.userAgent(builder.frontEnd));
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
        JsonObject user = transport.send(token, "GET", List.of("users", "me"), null, true, what).object("user");
        if (user == null) {
            throw transport.badResponse(what, "it has no \"user\" object");
        }
        String userName = user.text("user_name");
        if (userName == null || userName.isEmpty()) {
            throw transport.badResponse(what, "its user has no \"user_name\"");
        }
        if (!isPlainName(userName)) {
            // Spell (and our fake) never make such a name; printed, it could be read as a log command or a second line.
            throw transport.badResponse(what, "its \"user_name\" contains whitespace, a control character or '/'");
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
        List<Object> list = transport.send(token, "GET", List.of("users", "me", "access_tokens"), null, true, what)
                .list("access_tokens");
        if (list == null) {
            throw transport.badResponse(what, "it has no \"access_tokens\" list");
        }
        List<TokenInfo> tokens = new ArrayList<>(list.size());
        for (Object entry : list) {
            if (!(entry instanceof JsonObject item)) {
                throw transport.badResponse(what, "an item of the list is not an object");
            }
            String name = item.text("name");
            if (name == null) {
                throw transport.badResponse(what, "a token in the list has no \"name\"");
            }
            Instant created = instant(item, "created_at", what);
            if (created == null) {
                throw transport.badResponse(what, "token '" + name + "' has no \"created_at\"");
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
        JsonObject answer = transport.send(token, "POST", List.of("users", "me", "access_tokens"), body, false, what);
        String value = answer.text("token");
        if (value == null || value.isEmpty()) {
            throw transport.badResponse(what, "it has no \"token\"");
        }
        AccessToken created;
        try {
            created = AccessToken.of(value, "the created token");
        } catch (InvalidInputException e) {
            throw transport.badResponse(what, "the created token is not usable (" + e.problem() + ")");
        }
        Instant createdAt = instant(answer, "created_at", what);
        String createdName = answer.text("name");
        return new CreatedToken(createdName == null || createdName.isEmpty() ? name : createdName, created,
                createdAt == null ? Instant.now() : createdAt);
    }

    /** {@code DELETE v1/users/me/access_tokens} with body {@code {"name": ...}}. */
    public void deleteToken(AccessToken token, String name) throws SpellApiException {
        requireTokenName(token, name);
        transport.send(token, "DELETE", List.of("users", "me", "access_tokens"),
                JsonObject.of("name", name), true, "deleting access token '" + name + "'");
    }

    @Override
    public void close() {
        transport.close();
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


    private static boolean isPlainName(String name) {
        return name.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c) || c == '/');
    }

    private Instant instant(JsonObject node, String field, String what) throws SpellApiException {
        String value = node.text(field);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Timestamps.parse(value);
        } catch (DateTimeParseException e) {
            throw transport.badResponse(what, "\"" + field + "\" is not an ISO-8601 time ("
                    + SpellTransport.shorten(SpellTransport.sanitize(value)) + ")");
        }
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

package io.spellci.action.github;

import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.Identity;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.SpellUser;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.ephemeral.EphemeralTokens;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** {@link SpellService} on core's {@link SpellApi}. Loading this class is what brings in OkHttp and Jackson. */
final class CoreSpellService implements SpellService {
    private final SpellApi api;
    private final OkHttpClient http;

    CoreSpellService(ApiUrl apiUrl, Duration timeout, String frontEnd) {
        // Cold start: OkHttp's client (Kotlin, TLS trust store) and core's Jackson mapper each take a few hundred
        // milliseconds to load and initialise, one after the other. Building the OkHttp client on a second thread
        // while this one loads SpellApi (and Jackson with it) overlaps the two; core takes the client as its base.
        String warmUrl = apiUrl.toString();
        boolean plainHttp = "http".equalsIgnoreCase(apiUrl.uri().getScheme());
        FutureTask<OkHttpClient> client = new FutureTask<>(new Callable<OkHttpClient>() {
            @Override
            public OkHttpClient call() {
                // Core allows plain http only to loopback hosts (the fake API, a local proxy): no TLS is ever
                // needed there, and a cleartext-only client skips OkHttp's TLS set-up (trust store, JSSE).
                OkHttpClient built = plainHttp
                        ? new OkHttpClient.Builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build()
                        : new OkHttpClient();
                // Also parse the URL once here: the first parse loads OkHttp's host-name (IDN) tables.
                HttpUrl.parse(warmUrl);
                return built;
            }
        });
        // After the client, the same thread loads the JSON tree deserializers core's mapper will need for the
        // answer, while the main thread is still constructing that mapper: class loading is shared, so this
        // takes them off the critical path. Nothing else is shared, and the result is thrown away.
        Thread warm = new Thread(new Runnable() {
            @Override
            public void run() {
                client.run();
                try {
                    new ObjectMapper().readTree(
                            "{\"user\":{\"user_name\":\"x\",\"is_admin\":false,\"memberships\":[{\"n\":1}]}}");
                } catch (IOException | RuntimeException ignored) {
                    // only a warm-up
                }
            }
        }, "spell-ci-http-init");
        warm.setDaemon(true);
        warm.start();
        RetryPolicy defaults = RetryPolicy.defaults();
        Duration deadline = timeout; // the action's timeout-seconds input bounds retries and each call
        RetryPolicy policy = new RetryPolicy(defaults.maxAttempts(), defaults.initialBackoff(), defaults.maxBackoff(),
                deadline);
        SpellApi.Builder builder = SpellApi.builder()
                .apiUrl(apiUrl)
                .frontEnd(frontEnd)
                .retryPolicy(policy)
                .callTimeout(deadline);
        this.http = await(client);
        this.api = builder.httpClient(http).build();
    }

    private static OkHttpClient await(FutureTask<OkHttpClient> client) {
        try {
            return client.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up the HTTP client", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("could not set up the HTTP client", cause);
        }
    }

    @Override
    public SpellUser whoami(AccessToken token) throws SpellApiException {
        return api.whoami(token);
    }

    @Override
    public Identity verify(AccessToken token, Owner owner) throws SpellApiException {
        return api.verify(token, owner);
    }

    @Override
    public Ephemeral createEphemeral(AccessToken parent, String prefix, List<String> context) throws SpellApiException {
        CreatedToken created = new EphemeralTokens(api, parent).create(prefix, context);
        return new Ephemeral(created.name(), created.token());
    }

    @Override
    public void deleteEphemeral(AccessToken parent, String name) throws SpellApiException {
        new EphemeralTokens(api, parent).delete(name);
    }

    @Override
    public EphemeralTokens.SweepResult sweep(AccessToken parent, String prefix, Duration olderThan, Instant now)
            throws SpellApiException {
        return new EphemeralTokens(api, parent).sweep(prefix, olderThan, now);
    }

    @Override
    public void close() {
        api.close();
        // The base client is ours (core closes only clients it made).
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}

package io.spellci.action.github;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.Identity;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.SpellUser;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import io.spellci.core.hygiene.SweepRule;
import io.spellci.core.net.NetworkSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** {@link SpellService} on core's {@link SpellApi}. Loading this class is what brings in OkHttp and Jackson. */
final class CoreSpellService implements SpellService {
    private final SpellApi api;

    CoreSpellService(ApiUrl apiUrl, Duration timeout, String frontEnd, NetworkSettings network) {
        // jackson-core loads (about 45 ms cold) on a second CPU while this thread starts OkHttp: in interleaved
        // runs this took 22-28 ms off a validating step's median (docs/performance.md). No lambda: see pom.
        Thread warmUp = new Thread(new Runnable() {
            @Override
            public void run() {
                try (JsonParser parser = new JsonFactory().createParser("{\"a\":[1,\"b\",true,null]}")) {
                    while (parser.nextToken() != null) {
                        parser.getText();
                    }
                } catch (IOException | RuntimeException ignored) {
                    // only a warm-up: the real parse reports its own errors
                }
            }
        }, "spell-ci-json-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        // timeout-seconds / --timeout is each call's deadline: retries go on until it, never past it.
        this.api = SpellApi.builder()
                .apiUrl(apiUrl)
                .frontEnd(frontEnd)
                .retryPolicy(RetryPolicy.untilDeadline(timeout))
                .callTimeout(timeout)
                .proxy(network.proxy())
                .trustedCertificates(network.certificates())
                .build();
    }

    @Override
    public SpellApi api() {
        return api;
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
    public Ephemeral createEphemeral(AccessToken parent, EphemeralTokenName.Template template, List<String> context,
            EphemeralTokens.Listener told) throws SpellApiException {
        CreatedToken created = new EphemeralTokens(api, parent).create(template, context, told);
        return new Ephemeral(created.name(), created.token());
    }

    @Override
    public void deleteEphemeral(AccessToken parent, String name) throws SpellApiException {
        new EphemeralTokens(api, parent).delete(name);
    }

    @Override
    public boolean deleteEphemeralIfPresent(AccessToken parent, String name) throws SpellApiException {
        return new EphemeralTokens(api, parent).deleteIfPresent(name);
    }

    @Override
    public EphemeralTokens.SweepResult sweep(AccessToken parent, SweepRule rule) throws SpellApiException {
        return new EphemeralTokens(api, parent).sweep(rule);
    }

    @Override
    public void close() {
        api.close();
    }
}

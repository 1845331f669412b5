package io.spellci.action.github;

import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.Identity;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.SpellUser;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import io.spellci.core.hygiene.SweepRule;
import io.spellci.core.net.NetworkSettings;
import java.time.Duration;
import java.util.List;

/**
 * What the action asks of the Spell API. An interface so that the steps never name core's HTTP classes: OkHttp,
 * Jackson and Kotlin are loaded only when {@link Factory#open} is called, i.e. only when validating or handling a
 * per-job token. The common path (no validation) starts without them.
 */
public interface SpellService extends AutoCloseable {

    SpellUser whoami(AccessToken token) throws SpellApiException;

    Identity verify(AccessToken token, Owner owner) throws SpellApiException;

    /**
     * Creates a per-job token named by {@code template} (prefix and life) from {@code context} with core's naming
     * rules; {@code told} hears each name before its create and every token that may be left alive.
     */
    Ephemeral createEphemeral(AccessToken parent, EphemeralTokenName.Template template, List<String> context,
            EphemeralTokens.Listener told) throws SpellApiException;

    /** Deletes the per-job token {@code name}; an already deleted token is not an error. */
    void deleteEphemeral(AccessToken parent, String name) throws SpellApiException;

    /** {@link #deleteEphemeral}, telling whether the token was there (false: the API knew no such name). */
    default boolean deleteEphemeralIfPresent(AccessToken parent, String name) throws SpellApiException {
        deleteEphemeral(parent, name);
        return true;
    }

    /** Deletes the per-job tokens that {@code rule} lets go: its prefix's, once their life has passed. */
    EphemeralTokens.SweepResult sweep(AccessToken parent, SweepRule rule) throws SpellApiException;

    /** core's client itself, for the token hygiene commands (list, audit, rotate); only the core service has one. */
    default io.spellci.core.api.SpellApi api() {
        throw new UnsupportedOperationException("this Spell service has no core client");
    }

    @Override
    void close();

    /** A per-job token: its name (public) and value (secret). */
    record Ephemeral(String name, AccessToken token) {
        @Override
        public String toString() {
            return "Ephemeral[" + name + ", " + token + "]";
        }
    }

    /**
     * Opens a service for one API URL; {@code timeout} bounds each operation, retries included; {@code network} is
     * the proxy and extra CAs the front end read from its environment and options.
     */
    interface Factory {
        SpellService open(ApiUrl apiUrl, Duration timeout, String frontEnd, NetworkSettings network);

        /** The real thing: core's SpellApi. Only this lambda's body names the class that loads OkHttp. */
        static Factory core() {
            return new Factory() {
                @Override
                public SpellService open(ApiUrl apiUrl, Duration timeout, String frontEnd, NetworkSettings network) {
                    return new CoreSpellService(apiUrl, timeout, frontEnd, network);
                }
            };
        }
    }
}

package io.jenkins.plugins.spell.hygiene;

import io.jenkins.plugins.spell.SpellTokenCredentialsImpl;
import io.jenkins.plugins.spell.SpellConfiguration;
import io.jenkins.plugins.spell.SpellClients;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.Secret;
import io.spellci.core.InvalidInputException;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.hygiene.PendingDelete;
import io.spellci.core.hygiene.Rotation;
import io.spellci.core.hygiene.RotationException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rotates a stored Spell credential with core's {@link Rotation}: the successor is made and checked, then stored
 * through the credential's own store, and the old token goes on the persisted pending-delete list, which the check
 * works through once nothing uses it. One rotation per credential at a time; every rotation leaves a line in the
 * Jenkins log and on the credential (when, old name, new name), never a value.
 */
final class SpellRotations {
    private static final Logger LOGGER = Logger.getLogger(SpellRotations.class.getName());
    /** Credential keys being rotated: a second rotation of one credential is refused, not queued. */
    private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();

    private SpellRotations() {}

    /** What a rotation did: the successor is stored; the old token waits on the pending-delete list. */
    record Outcome(String oldName, String newName, List<String> builds) {}

    /**
     * Rotates one stored credential. Refuses without a token name, for a credential Configuration as Code defines,
     * for a token another credential holds too, while another rotation of it runs, and when the credential changed
     * since the rotation began (the successor is then deleted again).
     *
     * @param trigger who or what asked, for the log line ("Rotate, by alice", "every 30 days")
     */
    static Outcome rotate(SpellStoredCredential stored, String trigger) throws RotationException {
        SpellTokenCredentialsImpl snapshot = stored.credential();
        String id = snapshot.getId();
        String oldName = snapshot.getTokenName();
        String refusal;
        List<String> builds;
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            refusal = refusal(stored);
            // the builds holding the old token now: the pending delete waits for them
            builds = SpellCredentialUse.of(snapshot, SpellTokenHygiene.now()).running();
        }
        if (refusal != null) {
            throw refused(refusal);
        }
        String key = stored.key();
        if (!RUNNING.add(key)) {
            throw refused(Messages.SpellRotations_running(id));
        }
        try {
            AccessToken current = AccessToken.of(Secret.toString(snapshot.getToken()), io.jenkins.plugins.spell.Messages.SpellTokenBinding_tokenField(id));
            Owner owner = Owner.of(snapshot.getOwner(), io.jenkins.plugins.spell.Messages.SpellTokenBinding_ownerField(id));
            Instant now = SpellTokenHygiene.now();
            String where = "Spell credential '" + id + "' (" + stored.storeName() + "): ";
            Rotation.Listener listener = new Rotation.Listener() {
                @Override
                public void info(String line) {
                    LOGGER.info(where + line);
                }

                @Override
                public void warn(String line) {
                    LOGGER.warning(where + line);
                }
            };
            try (SpellApi api = SpellClients.open(SpellConfiguration.get().apiUrl())) {
                String[] line = new String[1];
                Rotation.Result result = new Rotation(api, listener).rotate(current, oldName, owner, successor -> {
                    line[0] = Messages.SpellRotations_logLine(now.toString(), oldName, successor.name(), trigger);
                    store(stored, snapshot, snapshot.rotatedTo(
                            Secret.fromString(successor.token().reveal()), successor.name(), line[0]));
                }, now);
                LOGGER.info(where + line[0]);
                SpellHygieneState state = SpellHygieneState.get();
                state.addPendingDelete(SpellPendingDelete.of(stored, result.pendingDelete(), builds));
                state.rotated(key);
                return new Outcome(oldName, result.newName(), builds);
            }
        } catch (RotationException e) {
            LOGGER.warning("Spell credential '" + id + "' (" + stored.storeName() + "): rotation failed: " + e.getMessage());
            throw e;
        } finally {
            RUNNING.remove(key);
        }
    }

    /** Why {@code stored} may not be rotated (no token name, Configuration as Code, a shared token), or null. Call as SYSTEM. */
    @CheckForNull
    static String refusal(SpellStoredCredential stored) {
        String id = stored.credential().getId();
        if (stored.credential().getTokenName() == null) {
            return Messages.SpellRotations_noTokenName(id);
        }
        if (SpellCascSources.defines(id)) {
            return Messages.SpellRotations_casc(id);
        }
        List<String> sharing = sharing(stored);
        if (!sharing.isEmpty()) {
            return Messages.SpellRotations_shared(id, String.join(", ", sharing));
        }
        return null;
    }

    /** The answer to a person who pressed Rotate. */
    static String describe(Outcome outcome) {
        SpellHygieneConfiguration config = SpellHygieneConfiguration.get();
        String text = Messages.SpellRotations_done(outcome.oldName(), outcome.newName(), config.getGraceHours());
        if (!outcome.builds().isEmpty()) {
            text += " " + Messages.SpellRotations_waitsFor(String.join(", ", outcome.builds()));
        }
        if (!config.isCheckEnabled()) {
            text += " " + Messages.SpellRotations_checkOff(outcome.oldName());
        }
        return text;
    }

    private static RotationException refused(String message) {
        return new RotationException(RotationException.Stage.CHECK, message, null);
    }

    /** Other credentials (any store) holding the same token: rotating one would strand the others. */
    static List<String> sharing(SpellStoredCredential stored) {
        String value = Secret.toString(stored.credential().getToken());
        List<String> others = new ArrayList<>();
        for (SpellStoredCredential other : SpellStoredCredential.all()) {
            if (!other.key().equals(stored.key()) && value.equals(Secret.toString(other.credential().getToken()))) {
                others.add("'" + other.credential().getId() + "' (" + other.storeName() + ")");
            }
        }
        return others;
    }

    /**
     * Re-reads the credential inside the store step and stores the successor only when it is still the one the
     * rotation started from: an edit saved meanwhile must not be overwritten (nor its token deleted). On a failed
     * save the old credential is put back: the system store changes its list in memory before it saves.
     */
    private static void store(SpellStoredCredential stored, SpellTokenCredentialsImpl snapshot,
            SpellTokenCredentialsImpl replacement) throws IOException {
        SpellStoredCredential now = SpellStoredCredential.find(stored.store(), stored.domain(), snapshot.getId());
        if (now == null) {
            throw new IOException(Messages.SpellRotations_gone(snapshot.getId()));
        }
        if (!now.credential().sameAs(snapshot)) {
            throw new IOException(Messages.SpellRotations_changed(snapshot.getId()));
        }
        boolean updated;
        try {
            updated = stored.store().updateCredentials(stored.domain(), now.credential(), replacement);
        } catch (IOException | RuntimeException e) {
            try {
                stored.store().updateCredentials(stored.domain(), replacement, now.credential());
            } catch (IOException | RuntimeException again) {
                LOGGER.log(Level.FINE, "putting the old credential back could not be saved either", again);
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        if (!updated) {
            throw new IOException(Messages.SpellRotations_gone(snapshot.getId()));
        }
    }

    /**
     * One look at a rotated-out token, with a fresh listing made with its credential's current token, decided by core's
     * {@link PendingDelete} rule: deleted (null returned) once no build that held it still runs and it has not been
     * used for the grace period; forgotten (null) when it is gone; else the updated entry, which says when something
     * outside this controller still uses it. Call as SYSTEM.
     */
    @CheckForNull
    static SpellPendingDelete processPending(SpellApi api, AccessToken current, SpellPendingDelete p, List<TokenInfo> listed,
            Instant now, Duration grace, Set<String> heldNames, PrintStream log) {
        if (heldNames.contains(p.getOldName())) {
            log.println(Messages.SpellRotations_pendingHeld(p.getOldName(), p.getCredentialId()));
            return p;
        }
        List<String> still = new ArrayList<>();
        for (String build : p.getBuilds()) {
            int hash = build.lastIndexOf('#');
            if (hash > 0 && SpellPerBuildToken.running(build.substring(0, hash), Integer.parseInt(build.substring(hash + 1)))) {
                still.add(build);
            }
        }
        Long endedAt = p.getHoldersEndedAt();
        if (still.isEmpty() && !p.getBuilds().isEmpty()) {
            endedAt = now.toEpochMilli(); // first seen ended now: its own last uses are not "outside"
        }
        PendingDelete.Decision decision = p.core().decide(listed, !still.isEmpty(),
                endedAt == null ? null : Instant.ofEpochMilli(endedAt), grace, now);
        Long lastUsed = decision.lastUsedAt() == null ? null : decision.lastUsedAt().toEpochMilli();
        switch (decision.action()) {
            case FORGET -> {
                log.println(Messages.SpellRotations_pendingGone(p.getOldName(), p.getCredentialId()));
                return null;
            }
            case DELETE -> {
                try {
                    new Rotation(api, Rotation.Listener.NONE).deleteOld(current, p.getOldName(), false);
                    log.println(Messages.SpellRotations_pendingDeleted(p.getOldName(), p.getCredentialId()));
                    LOGGER.info("Spell credential '" + p.getCredentialId() + "' (" + p.getStore() + "): deleted the"
                            + " rotated-out token '" + p.getOldName() + "': no build holds it and it was unused for "
                            + grace.toHours() + " hours");
                    return null;
                } catch (RotationException | InvalidInputException e) {
                    log.println(Messages.SpellRotations_pendingDeleteFailed(p.getOldName(), e.getMessage()));
                    return p.seen(still, endedAt, lastUsed, false);
                }
            }
            default -> {
                return p.seen(still, endedAt, lastUsed, decision.action() == PendingDelete.Action.STILL_USED);
            }
        }
    }
}

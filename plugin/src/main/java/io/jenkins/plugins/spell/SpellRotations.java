package io.jenkins.plugins.spell;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.spellci.core.InvalidInputException;
import io.spellci.core.api.SpellApi;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.hygiene.Rotation;
import io.spellci.core.hygiene.RotationException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * Rotates a stored Spell credential with core's {@link Rotation}, storing the successor through the credential's
 * {@link CredentialsStore}. One rotation per credential at a time; every rotation leaves a line in the Jenkins log
 * and on the credential (when, old name, new name), never a value.
 */
final class SpellRotations {
    private static final Logger LOGGER = Logger.getLogger(SpellRotations.class.getName());
    /** Credential keys being rotated: a second rotation of one credential is refused, not queued. */
    private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();

    private SpellRotations() {}

    /** The Rotate button: the store of {@code item} (the system store without one), its {@code UPDATE} permission. */
    static FormValidation rotateFromButton(@CheckForNull Item item, @CheckForNull String id) {
        ModelObject context = item == null ? Jenkins.get() : item;
        List<CredentialsStore> stores = SpellStoredCredential.ownStores(context);
        if (stores.isEmpty()) {
            // no store of our own here: the item's Read permission decides, no credential is named
            (item == null ? Jenkins.get() : item).checkPermission(item == null ? Jenkins.ADMINISTER : Item.CONFIGURE);
            return FormValidation.error(Messages.SpellRotations_notFound(id));
        }
        for (CredentialsStore store : stores) {
            store.checkPermission(CredentialsProvider.UPDATE);
        }
        if (id == null) {
            return FormValidation.error(Messages.SpellRotations_noId());
        }
        SpellStoredCredential stored = SpellStoredCredential.find(context, id);
        if (stored == null) {
            return FormValidation.error(Messages.SpellRotations_notFound(id));
        }
        String user = Jenkins.getAuthentication2().getName();
        try {
            Rotation.Result result = rotate(stored, Messages.SpellRotations_byButton(user));
            String text = Messages.SpellRotations_done(result.oldName(), result.newName());
            if (!result.oldDeleted()) {
                text += " " + Messages.SpellRotations_oldLeft(result.oldName());
            }
            if (SpellCascSources.defines(id)) {
                text += " " + Messages.SpellRotations_cascDefined();
            }
            return FormValidation.warning(text); // a warning: the form on screen still holds the old token
        } catch (RotationException | InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /**
     * Rotates one stored credential. Needs its token name; refuses while another rotation of it runs.
     *
     * @param trigger who or what asked, for the log line ("Rotate button, by alice", "every 30 days")
     */
    static Rotation.Result rotate(SpellStoredCredential stored, String trigger) throws RotationException {
        SpellTokenCredentialsImpl credential = stored.credential();
        String id = credential.getId();
        String oldName = credential.getTokenName();
        if (oldName == null) {
            throw new RotationException(RotationException.Stage.CHECK, Messages.SpellRotations_noTokenName(id), null);
        }
        String key = stored.key();
        if (!RUNNING.add(key)) {
            throw new RotationException(RotationException.Stage.CHECK, Messages.SpellRotations_running(id), null);
        }
        try {
            AccessToken current = AccessToken.of(Secret.toString(credential.getToken()),
                    Messages.SpellTokenBinding_tokenField(id));
            Owner owner = Owner.of(credential.getOwner(), Messages.SpellTokenBinding_ownerField(id));
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
                Rotation.Result result = new Rotation(api, listener).rotate(current, oldName, owner, successor -> {
                    String line = Messages.SpellRotations_logLine(now.toString(), oldName, successor.name(), trigger);
                    SpellTokenCredentialsImpl replacement = credential.rotatedTo(
                            Secret.fromString(successor.token().reveal()), successor.name(), line);
                    store(stored, replacement);
                }, now);
                LOGGER.info(where + Messages.SpellRotations_logLine(now.toString(), oldName, result.newName(), trigger));
                SpellHygieneState.get().rotated(key);
                if (!result.oldDeleted()) {
                    SpellHygieneState.get().addRotationWarning(
                            where + Messages.SpellRotations_oldLeft(oldName) + " " + result.oldDeleteError());
                }
                return result;
            } catch (RotationException e) {
                LOGGER.warning(where + "rotation failed: " + e.getMessage());
                throw e;
            }
        } finally {
            RUNNING.remove(key);
        }
    }

    /**
     * {@code updateCredentials}, and on failure the old credential put back: the system store changes its list in
     * memory before it saves, so a failed save would otherwise leave the (soon deleted) successor in use.
     */
    private static void store(SpellStoredCredential stored, SpellTokenCredentialsImpl replacement) throws IOException {
        boolean updated;
        try {
            updated = stored.store().updateCredentials(stored.domain(), stored.credential(), replacement);
        } catch (IOException | RuntimeException e) {
            try {
                stored.store().updateCredentials(stored.domain(), replacement, stored.credential());
            } catch (IOException | RuntimeException again) {
                LOGGER.log(Level.FINE, "putting the old credential back could not be saved either", again);
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        if (!updated) {
            throw new IOException(Messages.SpellRotations_gone(stored.credential().getId()));
        }
    }
}

package io.jenkins.plugins.spell.hygiene;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.spellci.core.hygiene.PendingDelete;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The old token of a rotation of one credential, kept alive until nothing uses it: core's {@link PendingDelete}
 * (stored here field by field, in types Jenkins persists as they are) plus what only Jenkins knows, the builds that
 * held the old token when it was rotated out. Names, build references and dates only.
 */
@Restricted(NoExternalUse.class)
public final class SpellPendingDelete {
    private final String credentialKey;
    private final String credentialId;
    private final String store;
    private final String link;
    private final String oldName;
    /** Epoch milliseconds of the old token's {@code created_at}: a new token given its name later is never deleted. */
    private final long oldCreatedAt;
    private final String newName;
    private final long rotatedAt;
    private final @CheckForNull Long lastUsedAtRotation;
    /** Builds ({@code job#number}) that held the old token when it was rotated out and have not been seen ending. */
    private final List<String> builds;
    /** When the check first saw the last of those builds ended (the plugin's clock), or null. */
    private final @CheckForNull Long holdersEndedAt;
    /** The old token's {@code last_used_at} as the last look saw it, or null. */
    private final @CheckForNull Long lastUsedAt;
    /** The last look found it used by something outside this controller. */
    private final boolean usedElsewhere;

    private SpellPendingDelete(String credentialKey, String credentialId, String store, String link, String oldName,
            long oldCreatedAt, String newName, long rotatedAt, @CheckForNull Long lastUsedAtRotation, List<String> builds,
            @CheckForNull Long holdersEndedAt, @CheckForNull Long lastUsedAt, boolean usedElsewhere) {
        this.credentialKey = credentialKey;
        this.credentialId = credentialId;
        this.store = store;
        this.link = link;
        this.oldName = oldName;
        this.oldCreatedAt = oldCreatedAt;
        this.newName = newName;
        this.rotatedAt = rotatedAt;
        this.lastUsedAtRotation = lastUsedAtRotation;
        this.builds = new ArrayList<>(builds);
        this.holdersEndedAt = holdersEndedAt;
        this.lastUsedAt = lastUsedAt;
        this.usedElsewhere = usedElsewhere;
    }

    /** The pending delete of a rotation of the credential {@code stored}, whose old token {@code builds} hold. */
    static SpellPendingDelete of(SpellStoredCredential stored, PendingDelete core, List<String> builds) {
        Long lastUsed = core.lastUsedAtRotation() == null ? null : core.lastUsedAtRotation().toEpochMilli();
        return new SpellPendingDelete(stored.key(), stored.credential().getId(), stored.storeName(), stored.link(),
                core.tokenName(), core.tokenCreatedAt().toEpochMilli(), core.successorName(),
                core.rotatedAt().toEpochMilli(), lastUsed, builds, null, lastUsed, false);
    }

    /** Core's view of it, for its decision rule. */
    PendingDelete core() {
        return new PendingDelete(oldName, Instant.ofEpochMilli(oldCreatedAt), newName, Instant.ofEpochMilli(rotatedAt),
                lastUsedAtRotation == null ? null : Instant.ofEpochMilli(lastUsedAtRotation));
    }

    /** A copy after one look: the holders still running, when the last ended, the last use seen, used elsewhere. */
    SpellPendingDelete seen(List<String> stillRunning, @CheckForNull Long endedAt, @CheckForNull Long lastUsed, boolean elsewhere) {
        return new SpellPendingDelete(credentialKey, credentialId, store, link, oldName, oldCreatedAt, newName, rotatedAt,
                lastUsedAtRotation, stillRunning, endedAt, lastUsed, elsewhere);
    }

    public String getCredentialKey() {
        return credentialKey;
    }

    public String getCredentialId() {
        return credentialId;
    }

    public String getStore() {
        return store;
    }

    public String getLink() {
        return link;
    }

    public String getOldName() {
        return oldName;
    }

    public String getNewName() {
        return newName;
    }

    public long getRotatedAt() {
        return rotatedAt;
    }

    public List<String> getBuilds() {
        return builds == null ? List.of() : List.copyOf(builds);
    }

    @CheckForNull
    public Long getHoldersEndedAt() {
        return holdersEndedAt;
    }

    @CheckForNull
    public Long getLastUsedAt() {
        return lastUsedAt;
    }

    /** Used, at the last look, by something outside this controller: the monitor names it. */
    public boolean isUsedSinceRotation() {
        return usedElsewhere;
    }

    /** What the monitor shows, and what acknowledging it remembers. */
    String attentionLine() {
        return "still used: " + oldName + " (" + credentialId + ", " + store + ")"; // not the date: acknowledged stays so
    }
}

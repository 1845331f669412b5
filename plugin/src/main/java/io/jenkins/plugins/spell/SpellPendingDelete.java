package io.jenkins.plugins.spell;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The old token of a rotation, kept alive until nothing uses it: no build that bound the credential before the
 * rotation still runs, and Spell's {@code last_used_at} of the old token has not moved for the grace period. Names,
 * build references and dates only.
 */
@Restricted(NoExternalUse.class)
public final class SpellPendingDelete {
    private final String credentialKey;
    private final String credentialId;
    private final String store;
    private final String link;
    private final String oldName;
    private final String newName;
    /** Epoch milliseconds. */
    private final long rotatedAt;
    /** Builds ({@code job#number}) that held the old token when it was rotated out and were still running. */
    private List<String> builds;
    /** The old token's {@code last_used_at} as the last look saw it (epoch ms), or null when never used. */
    private @CheckForNull Long lastUsedAt;
    /** Whether it was used after its successor was stored: something outside this controller holds it. */
    private boolean usedSinceRotation;

    SpellPendingDelete(String credentialKey, String credentialId, String store, String link, String oldName,
            String newName, long rotatedAt, List<String> builds, @CheckForNull Long lastUsedAt) {
        this.credentialKey = credentialKey;
        this.credentialId = credentialId;
        this.store = store;
        this.link = link;
        this.oldName = oldName;
        this.newName = newName;
        this.rotatedAt = rotatedAt;
        this.builds = new ArrayList<>(builds);
        this.lastUsedAt = lastUsedAt;
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
    public Long getLastUsedAt() {
        return lastUsedAt;
    }

    public boolean isUsedSinceRotation() {
        return usedSinceRotation;
    }

    /** A copy after one look: the builds still running, the last use seen, and whether it moved. */
    SpellPendingDelete seen(List<String> stillRunning, @CheckForNull Long lastUsed, boolean moved) {
        SpellPendingDelete copy = new SpellPendingDelete(credentialKey, credentialId, store, link, oldName, newName,
                rotatedAt, stillRunning, lastUsed);
        copy.usedSinceRotation = usedSinceRotation || moved;
        return copy;
    }

    /** What the monitor shows, and what acknowledging it remembers. */
    String attentionLine() {
        return "pending delete of " + oldName + " (" + credentialId + ", " + store + ") builds=" + getBuilds()
                + " used=" + usedSinceRotation + " last=" + lastUsedAt;
    }
}

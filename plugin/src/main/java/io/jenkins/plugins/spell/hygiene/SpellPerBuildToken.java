package io.jenkins.plugins.spell.hygiene;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Job;
import hudson.model.Run;
import io.spellci.core.ephemeral.EphemeralTokenName;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * A per-build token this controller made, recorded before its create is sent: the sweep deletes only such tokens,
 * and only once their build has ended. Name and build only; the value is never kept.
 */
@Restricted(NoExternalUse.class)
public final class SpellPerBuildToken {
    private final String name;
    private final String credentialId;
    private final String job;
    private final int build;
    /** Epoch milliseconds, by the plugin's clock. */
    private final long recordedAt;

    public SpellPerBuildToken(String name, String credentialId, String job, int build, long recordedAt) {
        this.name = name;
        this.credentialId = credentialId;
        this.job = job;
        this.build = build;
        this.recordedAt = recordedAt;
    }

    public String getName() {
        return name;
    }

    public String getCredentialId() {
        return credentialId;
    }

    public String getJob() {
        return job;
    }

    public int getBuild() {
        return build;
    }

    public long getRecordedAt() {
        return recordedAt;
    }

    /** Whether the build that made this token is still running (also resumed after a restart). Call as SYSTEM. */
    boolean buildRunning() {
        return running(job, build);
    }

    /** Whether build {@code number} of job {@code fullName} exists and is running. Call as SYSTEM. */
    static boolean running(@NonNull String fullName, int number) {
        Job<?, ?> j = Jenkins.get().getItemByFullName(fullName, Job.class);
        if (j == null) {
            return false;
        }
        Run<?, ?> run = j.getBuildByNumber(number);
        return run != null && run.isBuilding();
    }

    /**
     * This controller's identity in its per-build token names, derived from its instance id (stable across restarts,
     * different for every controller; the id cannot be read back from it).
     */
    public static String controllerId() {
        return EphemeralTokenName.controllerIdOf(Jenkins.get().getLegacyInstanceId());
    }

    @Override
    public String toString() {
        return name + " (" + job + " #" + build + ")";
    }
}

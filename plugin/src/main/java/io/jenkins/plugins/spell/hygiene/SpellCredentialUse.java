package io.jenkins.plugins.spell.hygiene;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Computer;
import hudson.model.Executor;
import hudson.model.Fingerprint;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * What this controller knows about the builds that used a credential, from the credentials plugin's own usage
 * tracking: every binding kind ({@code withSpell}, {@code spellToken}, {@code string(...)}, Declarative
 * {@code credentials('id')}) calls {@code CredentialsProvider.track}, which adds the build to the credential's
 * fingerprint. A fingerprint belongs to one version of the credential (an edit or a rotation starts a new one), so
 * the builds of a version are the builds that hold its token. Call as SYSTEM.
 *
 * @param lastUse when a build last used it (now, while one runs), or null when no build of this controller did or
 *     the builds that did are gone
 * @param usedByGoneBuilds builds whose record is gone used it: when is unknown, so it must not count as unused
 * @param running the builds using it now, as {@code job#number}
 */
record SpellCredentialUse(@CheckForNull Instant lastUse, boolean usedByGoneBuilds, List<String> running) {
    private static final Logger LOGGER = Logger.getLogger(SpellCredentialUse.class.getName());

    static final SpellCredentialUse NONE = new SpellCredentialUse(null, false, List.of());

    static SpellCredentialUse of(Credentials credential, Instant now) {
        Fingerprint fingerprint;
        try {
            fingerprint = CredentialsProvider.getFingerprintOf(credential);
        } catch (IOException e) {
            LOGGER.log(Level.FINE, "no fingerprint readable", e);
            return NONE;
        }
        if (fingerprint == null) {
            return NONE;
        }
        Instant last = null;
        boolean gone = false;
        List<String> running = new ArrayList<>();
        Map<String, List<Integer>> runningNow = runningBuilds();
        for (String name : fingerprint.getJobs()) {
            Fingerprint.RangeSet numbers = fingerprint.getRangeSet(name);
            for (int number : runningNow.getOrDefault(name, List.of())) {
                if (numbers.includes(number)) {
                    running.add(name + "#" + number);
                    last = now;
                }
            }
            if (last != null && last.equals(now) || numbers.isEmpty()) {
                continue;
            }
            // the newest build of the job that used it: one build record read per job, however many builds
            Job<?, ?> job = Jenkins.get().getItemByFullName(name, Job.class);
            Run<?, ?> run = job == null ? null : job.getBuildByNumber(numbers.max());
            if (run == null) {
                gone = true;
                continue;
            }
            Instant used;
            if (run.isBuilding()) { // e.g. resumed after a restart, not yet on an executor
                running.add(name + "#" + run.getNumber());
                used = now;
            } else {
                used = Instant.ofEpochMilli(run.getStartTimeInMillis() + Math.max(0, run.getDuration()));
            }
            if (last == null || used.isAfter(last)) {
                last = used;
            }
        }
        return new SpellCredentialUse(last, gone, List.copyOf(running));
    }

    /**
     * Every build running on this controller, by job: each holds an executor (a Pipeline build its one-off one on the
     * built-in node) for as long as it runs, so this needs no build record read.
     */
    static Map<String, List<Integer>> runningBuilds() {
        Map<String, List<Integer>> byJob = new TreeMap<>();
        for (Computer computer : Jenkins.get().getComputers()) {
            for (Executor executor : computer.getAllExecutors()) {
                Queue.Executable executable = executor.getCurrentExecutable();
                if (executable instanceof Run<?, ?> run) {
                    byJob.computeIfAbsent(run.getParent().getFullName(), k -> new ArrayList<>()).add(run.getNumber());
                }
            }
        }
        return byJob;
    }
}

package io.jenkins.plugins.spell.hygiene;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.XmlFile;
import hudson.model.Saveable;
import hudson.model.listeners.SaveableListener;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * What the token hygiene check remembers between runs and restarts, in {@code io.jenkins.plugins.spell.SpellHygieneState.xml}
 * (the name of earlier versions, kept so that existing installs read their state):
 * the per-build tokens this controller made (name, build), old tokens of rotations waiting to be deleted, when the
 * check first saw each credential, and the last check's findings. Names, ids and dates only: a token value never
 * gets here. Written by the check, by per-build tokens and rotations, never by an ordinary build.
 */
@Restricted(NoExternalUse.class)
public final class SpellHygieneState implements Saveable {
    private static final Logger LOGGER = Logger.getLogger(SpellHygieneState.class.getName());
    private static SpellHygieneState instance;
    /** The file and class names of earlier versions, where this class was io.jenkins.plugins.spell.SpellHygieneState. */
    static final String FILE_NAME = "io.jenkins.plugins.spell.SpellHygieneState.xml";

    static {
        Jenkins.XSTREAM2.addCompatibilityAlias("io.jenkins.plugins.spell.SpellHygieneState", SpellHygieneState.class);
        Jenkins.XSTREAM2.addCompatibilityAlias("io.jenkins.plugins.spell.SpellHygieneEntry", SpellHygieneEntry.class);
    }
    static final int MAX_WARNINGS = 20;

    /** Written by earlier versions (the sweep's old key and a save per build); read and dropped. */
    @SuppressWarnings("unused")
    private TreeSet<String> perBuildCredentialIds;
    @SuppressWarnings("unused")
    private Map<String, Long> lastBuildUse;

    /** Credential key (store and id) to when the check first saw it: "unused" counts from here when no build used it. */
    private Map<String, Long> firstSeen = new HashMap<>();
    /** Epoch milliseconds of the last check, whatever its outcome; 0 before the first. */
    private long lastCheck;
    private List<SpellHygieneEntry> entries = new ArrayList<>();
    /** Per-build tokens the last check deleted. */
    private int lastSwept;
    /** Per-build tokens it could not delete, by name. */
    private List<String> sweepFailures = new ArrayList<>();
    /** Rotations that need a person: an old token left alive, a refused automatic rotation. Newest last. */
    private List<String> rotationWarnings = new ArrayList<>();
    /** Why the last check stopped early ("Spell API unreachable: ..."), or null; the findings before it stay. */
    private @CheckForNull String checkProblem;
    /** Per-build tokens whose name marks them as this plugin's but that this controller did not record: only reported. */
    private List<String> foreignPerBuild = new ArrayList<>();
    /** Per-build tokens of ended builds that the sweep (turned off) did not delete. */
    private List<String> leftBehind = new ArrayList<>();
    /** Per-build tokens this controller made and has not seen deleted yet. */
    private List<SpellPerBuildToken> perBuildTokens = new ArrayList<>();
    /** Old tokens of rotations, deleted once nothing uses them any more. */
    private List<SpellPendingDelete> pendingDeletes = new ArrayList<>();
    /** The lines an administrator acknowledged: the monitor shows only what is new or still growing. */
    private List<String> acknowledged = new ArrayList<>();

    /** The JENKINS_HOME the instance was read from: a test's next Jenkins in the same JVM reads its own. */
    private transient File home;

    @NonNull
    public static synchronized SpellHygieneState get() {
        File root = Jenkins.get().getRootDir();
        if (instance == null || !root.equals(instance.home)) {
            SpellHygieneState loaded = null;
            XmlFile file = file();
            if (file.exists()) {
                try {
                    loaded = (SpellHygieneState) file.read();
                } catch (IOException | RuntimeException e) {
                    LOGGER.log(Level.WARNING, "could not read " + file + "; starting afresh", e);
                }
            }
            instance = loaded == null ? new SpellHygieneState() : loaded.readResolveFields();
            instance.home = root;
        }
        return instance;
    }

    private synchronized SpellHygieneState readResolveFields() { // the instance's lock, as every other access (get() holds the class's)
        perBuildCredentialIds = null;
        lastBuildUse = null;
        if (firstSeen == null) firstSeen = new HashMap<>();
        if (entries == null) entries = new ArrayList<>();
        if (sweepFailures == null) sweepFailures = new ArrayList<>();
        if (rotationWarnings == null) rotationWarnings = new ArrayList<>();
        if (foreignPerBuild == null) foreignPerBuild = new ArrayList<>();
        if (leftBehind == null) leftBehind = new ArrayList<>();
        if (perBuildTokens == null) perBuildTokens = new ArrayList<>();
        if (pendingDeletes == null) pendingDeletes = new ArrayList<>();
        if (acknowledged == null) acknowledged = new ArrayList<>();
        return this;
    }

    private static XmlFile file() {
        return new XmlFile(Jenkins.XSTREAM2, new File(Jenkins.get().getRootDir(), FILE_NAME));
    }

    @Override
    public synchronized void save() {
        try {
            file().write(this);
            SaveableListener.fireOnChange(this, file());
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "could not save the Spell token hygiene state", e);
        }
    }

    synchronized long firstSeen(String key, long now) {
        return firstSeen.computeIfAbsent(key, k -> now);
    }

    /**
     * A check that ran to its end: its findings replace the last ones, and credentials it no longer saw are
     * forgotten (their first-seen date, their acknowledgements).
     */
    synchronized void recordCheck(long when, List<SpellHygieneEntry> newEntries, int swept, List<String> failures,
            List<String> foreign, List<String> left, Set<String> seenKeys) {
        lastCheck = when;
        checkProblem = null;
        entries = new ArrayList<>(newEntries);
        lastSwept = swept;
        sweepFailures = new ArrayList<>(failures);
        foreignPerBuild = new ArrayList<>(foreign);
        leftBehind = new ArrayList<>(left);
        firstSeen.keySet().retainAll(seenKeys);
        acknowledged.retainAll(attentionLines());
        save();
    }

    /** A check that stopped early or could not start: the findings before it stay, with one line saying why. */
    synchronized void recordProblem(long when, String problem) {
        lastCheck = when;
        checkProblem = problem;
        save();
    }

    synchronized void addRotationWarning(String line) {
        rotationWarnings.add(line);
        if (rotationWarnings.size() > MAX_WARNINGS) {
            rotationWarnings.remove(0);
        }
        save();
    }

    /** A credential rotated since the last check no longer needs its entry. */
    synchronized void rotated(String credentialKey) {
        entries.removeIf(e -> e.getKey().equals(credentialKey));
        save();
    }

    public synchronized void addPerBuildToken(SpellPerBuildToken token) {
        perBuildTokens.add(token);
        save();
    }

    public synchronized void removePerBuildToken(String name) {
        if (perBuildTokens.removeIf(t -> t.getName().equals(name))) {
            save();
        }
    }

    synchronized void removePerBuildTokens(Set<String> names) {
        if (perBuildTokens.removeIf(t -> names.contains(t.getName()))) {
            save();
        }
    }

    @CheckForNull
    synchronized SpellPerBuildToken perBuildToken(String name) {
        return perBuildTokens.stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
    }

    public synchronized List<SpellPerBuildToken> getPerBuildTokens() {
        return List.copyOf(perBuildTokens);
    }

    synchronized void addPendingDelete(SpellPendingDelete pending) {
        pendingDeletes.add(pending);
        save();
    }

    /**
     * After a check looked at {@code looked}: those are replaced by {@code result} (null = deleted); entries added
     * meanwhile (a rotation of the same run) stay.
     */
    synchronized void updatePendingDeletes(List<SpellPendingDelete> looked, List<SpellPendingDelete> result) {
        java.util.Set<SpellPendingDelete> old = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        old.addAll(looked);
        pendingDeletes.removeIf(old::contains);
        for (SpellPendingDelete p : result) {
            if (p != null) {
                pendingDeletes.add(p);
            }
        }
        save();
    }

    synchronized List<SpellPendingDelete> getPendingDeletes() {
        return List.copyOf(pendingDeletes);
    }

    /** Every line the monitor would show, for acknowledging. */
    synchronized List<String> attentionLines() {
        List<String> lines = new ArrayList<>();
        entries.forEach(e -> lines.add(e.toString()));
        sweepFailures.forEach(n -> lines.add("sweep failed: " + n));
        lines.addAll(rotationWarnings);
        // other controllers' per-build tokens come and go with their builds: listed, but no reason to call anyone
        // a rotated-out token waiting for its builds is no news; one used from elsewhere is
        pendingDeletes.stream().filter(SpellPendingDelete::isUsedSinceRotation).forEach(p -> lines.add(p.attentionLine()));
        leftBehind.forEach(n -> lines.add("left: " + n));
        if (lastSwept > 0) {
            lines.add("swept: " + lastSwept + " at " + lastCheck);
        }
        if (checkProblem != null) {
            lines.add(checkProblem + " at " + lastCheck);
        }
        return lines;
    }

    /** Something the administrator has not acknowledged yet. */
    synchronized boolean needsAttention() {
        for (String line : attentionLines()) {
            if (!acknowledged.contains(line)) {
                return true;
            }
        }
        return false;
    }

    /** Hides what the monitor shows now; anything new, or the next failure, brings it back. */
    synchronized void acknowledge() {
        acknowledged = attentionLines();
        rotationWarnings.clear(); // one-off events: acknowledged means read
        lastSwept = 0;
        save();
    }

    public synchronized long getLastCheck() {
        return lastCheck;
    }

    public synchronized List<SpellHygieneEntry> getEntries() {
        return List.copyOf(entries);
    }

    public synchronized int getLastSwept() {
        return lastSwept;
    }

    public synchronized List<String> getSweepFailures() {
        return List.copyOf(sweepFailures);
    }

    public synchronized List<String> getRotationWarnings() {
        return List.copyOf(rotationWarnings);
    }

    @CheckForNull
    public synchronized String getCheckProblem() {
        return checkProblem;
    }

    public synchronized List<String> getLeftBehind() {
        return List.copyOf(leftBehind);
    }

    public synchronized List<String> getForeignPerBuild() {
        return List.copyOf(foreignPerBuild);
    }
}

package io.jenkins.plugins.spell;

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
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * What the token hygiene check remembers between runs and restarts, in {@code io.jenkins.plugins.spell.SpellHygieneState.xml}:
 * ids of credentials that made per-build tokens, when a build last used each credential, and the last check's findings.
 * Names, ids and dates only: a token value never gets here.
 */
public final class SpellHygieneState implements Saveable {
    private static final Logger LOGGER = Logger.getLogger(SpellHygieneState.class.getName());
    private static SpellHygieneState instance;

    /** Credential ids whose bindings made per-build tokens: the sweep looks for leftovers under these. */
    private TreeSet<String> perBuildCredentialIds = new TreeSet<>();
    /** Credential id to the epoch millisecond a build last bound it. */
    private Map<String, Long> lastBuildUse = new HashMap<>();
    /** Credential key (store and id) to when the check first saw it: "unused" counts from here when no build used it. */
    private Map<String, Long> firstSeen = new HashMap<>();
    /** Epoch milliseconds of the last full check, 0 before the first. */
    private long lastCheck;
    private List<SpellHygieneEntry> entries = new ArrayList<>();
    /** Per-build tokens the last check deleted. */
    private int lastSwept;
    /** Per-build tokens it could not delete, by name. */
    private List<String> sweepFailures = new ArrayList<>();
    /** Rotations that need a person: an old token left alive, a refused automatic rotation. Newest last. */
    private List<String> rotationWarnings = new ArrayList<>();

    /** The JENKINS_HOME the instance was read from: a test's next Jenkins in the same JVM reads its own. */
    private transient File home;

    static synchronized SpellHygieneState get() {
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

    private SpellHygieneState readResolveFields() {
        if (perBuildCredentialIds == null) perBuildCredentialIds = new TreeSet<>();
        if (lastBuildUse == null) lastBuildUse = new HashMap<>();
        if (firstSeen == null) firstSeen = new HashMap<>();
        if (entries == null) entries = new ArrayList<>();
        if (sweepFailures == null) sweepFailures = new ArrayList<>();
        if (rotationWarnings == null) rotationWarnings = new ArrayList<>();
        return this;
    }

    private static XmlFile file() {
        return new XmlFile(Jenkins.XSTREAM2, new File(Jenkins.get().getRootDir(), SpellHygieneState.class.getName() + ".xml"));
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

    /** A binding of credential {@code id} ran; {@code perBuild} when it made a per-build token. */
    synchronized void noteUse(@NonNull String id, boolean perBuild, long when) {
        lastBuildUse.put(id, when);
        if (perBuild) {
            perBuildCredentialIds.add(id);
        }
        save();
    }

    synchronized boolean madePerBuildTokens(String id) {
        return perBuildCredentialIds.contains(id);
    }

    synchronized Long lastBuildUse(String id) {
        return lastBuildUse.get(id);
    }

    synchronized long firstSeen(String key, long now) {
        return firstSeen.computeIfAbsent(key, k -> now);
    }

    synchronized void recordCheck(long when, List<SpellHygieneEntry> newEntries, int swept, List<String> failures) {
        lastCheck = when;
        entries = new ArrayList<>(newEntries);
        lastSwept = swept;
        sweepFailures = new ArrayList<>(failures);
        save();
    }

    synchronized void addRotationWarning(String line) {
        rotationWarnings.add(line);
        if (rotationWarnings.size() > 20) {
            rotationWarnings.remove(0);
        }
        save();
    }

    /** A credential rotated since the last check no longer needs the "too old" entry. */
    synchronized void rotated(String credentialKey) {
        entries.removeIf(e -> e.getKey().equals(credentialKey));
        save();
    }

    synchronized void clearRotationWarnings() {
        rotationWarnings.clear();
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
}

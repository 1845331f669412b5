package io.jenkins.plugins.spell;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import java.util.List;
import org.jenkinsci.Symbol;

/**
 * "Manage Jenkins": the Spell credentials that need attention after the last token hygiene check (rejected, too old,
 * unused, a failed or refused rotation), per-build tokens the check deleted, and old tokens a rotation could not
 * delete. Administrators may dismiss it like Jenkins' own monitors.
 */
@Extension
@Symbol("spellTokenHygiene")
public class SpellTokenHygieneMonitor extends AdministrativeMonitor {

    @Override
    public String getDisplayName() {
        return Messages.SpellTokenHygieneMonitor_DisplayName();
    }

    @Override
    public boolean isActivated() {
        SpellHygieneState state = SpellHygieneState.get();
        return !state.getEntries().isEmpty() || state.getLastSwept() > 0 || !state.getSweepFailures().isEmpty()
                || !state.getRotationWarnings().isEmpty();
    }

    public List<SpellHygieneEntry> getEntries() {
        return SpellHygieneState.get().getEntries();
    }

    public int getLastSwept() {
        return SpellHygieneState.get().getLastSwept();
    }

    public List<String> getSweepFailures() {
        return SpellHygieneState.get().getSweepFailures();
    }

    public List<String> getRotationWarnings() {
        return SpellHygieneState.get().getRotationWarnings();
    }
}

package io.jenkins.plugins.spell.hygiene;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.verb.POST;

/**
 * "Manage Jenkins": the Spell credentials that need attention after the last token hygiene check (rejected, too old,
 * unused, a failed or refused rotation), a check that could not run or stopped, rotated-out tokens still used from
 * elsewhere, and per-build tokens deleted or left. It empties itself when nothing needs attention; an administrator
 * may acknowledge what it shows (it comes back with anything new) or dismiss it for good like Jenkins' own monitors.
 */
@Extension
@Symbol("spellTokenHygiene")
@Restricted(NoExternalUse.class)
public class SpellTokenHygieneMonitor extends AdministrativeMonitor {

    /** The plugin's documentation of token hygiene. */
    public static final String DOCS_URL = "https://github.com/jenkinsci/spell-plugin/blob/main/docs/token-hygiene.md#jenkins";

    /** The id of earlier versions (the class's old name): a monitor dismissed there stays dismissed. */
    public SpellTokenHygieneMonitor() {
        super("io.jenkins.plugins.spell.SpellTokenHygieneMonitor");
    }

    @Override
    public String getDisplayName() {
        return Messages.SpellTokenHygieneMonitor_DisplayName();
    }

    @Override
    public boolean isActivated() {
        return SpellHygieneState.get().needsAttention();
    }

    /** Hides what is shown now; anything new brings the monitor back. */
    @POST
    public HttpResponse doAcknowledge() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        SpellHygieneState.get().acknowledge();
        return HttpResponses.redirectViaContextPath("/manage");
    }

    public String getDocsUrl() {
        return DOCS_URL;
    }

    public String rotatePageOf(String id) {
        return SpellRotateAction.URL_NAME + "/?id=" + hudson.Util.rawEncode(id);
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

    public String getCheckProblem() {
        return SpellHygieneState.get().getCheckProblem();
    }

    public List<String> getLeftBehind() {
        return SpellHygieneState.get().getLeftBehind();
    }

    public String getLeftBehindText() {
        return String.join(", ", getLeftBehind());
    }

    public List<String> getForeignPerBuild() {
        return SpellHygieneState.get().getForeignPerBuild();
    }

    /** Rotated-out tokens that something outside this controller still uses. */
    public List<SpellPendingDelete> getUsedElsewhere() {
        return SpellHygieneState.get().getPendingDeletes().stream().filter(SpellPendingDelete::isUsedSinceRotation).toList();
    }

    /** Rotated-out tokens waiting for their builds or the grace period (no attention needed). */
    public List<SpellPendingDelete> getWaiting() {
        return SpellHygieneState.get().getPendingDeletes().stream().filter(p -> !p.isUsedSinceRotation()).toList();
    }

    /** "2026-12-01T10:00:00Z" for an epoch-millisecond date, "never" for none. */
    public String date(Long millis) {
        return millis == null ? Messages.SpellTokenHygieneMonitor_never() : java.time.Instant.ofEpochMilli(millis).toString();
    }
}

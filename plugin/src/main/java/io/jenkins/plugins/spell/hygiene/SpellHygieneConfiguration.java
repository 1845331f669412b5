package io.jenkins.plugins.spell.hygiene;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.XmlFile;
import hudson.util.FormValidation;
import io.spellci.core.InvalidInputException;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.hygiene.PerJobLife;
import io.spellci.core.hygiene.TokenAudit;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * "Manage Jenkins » System » Spell token hygiene": whether and how often the periodic check looks at every Spell
 * credential, whether it may delete per-build tokens left behind, the age and use limits it warns about, how long a
 * build may run, and how long a rotated-out token must stay unused before it is deleted. Off until an administrator
 * turns it on. Configuration as Code: {@code unclassified: spellHygiene: checkEnabled: true, sweepEnabled: true, ...}.
 */
@Extension
@Symbol("spellHygiene")
public class SpellHygieneConfiguration extends GlobalConfiguration {

    static final int DEFAULT_INTERVAL_HOURS = 6;
    static final int DEFAULT_MAX_AGE_DAYS = 90;
    static final int DEFAULT_UNUSED_DAYS = 30;
    /** Five days, as long as GitHub lets a self-hosted job run: training builds of 30 hours are ordinary. */
    static final int DEFAULT_LONGEST_BUILD_HOURS = 120;
    static final int DEFAULT_GRACE_HOURS = 24;

    /**
     * Read from configuration saved by earlier versions (where the check was on unless turned off) and dropped: the
     * check of this version runs only when turned on under its new setting, so an upgrade starts nothing by itself.
     */
    @SuppressWarnings("unused")
    private Boolean checkEnabled;

    private boolean periodicCheck;
    private boolean sweepEnabled;
    private int checkIntervalHours = DEFAULT_INTERVAL_HOURS;
    private int maxTokenAgeDays = DEFAULT_MAX_AGE_DAYS;
    private int unusedDays = DEFAULT_UNUSED_DAYS;
    private int longestBuildHours = DEFAULT_LONGEST_BUILD_HOURS;
    private int graceHours = DEFAULT_GRACE_HOURS;

    /** Saved by earlier versions, where this class was io.jenkins.plugins.spell.SpellHygieneConfiguration. */
    private static final String OLD_NAME = "io.jenkins.plugins.spell.SpellHygieneConfiguration";

    static {
        Jenkins.XSTREAM2.addCompatibilityAlias(OLD_NAME, SpellHygieneConfiguration.class);
    }

    /** The file of earlier versions, so that an upgrade keeps the settings. */
    @Override
    protected XmlFile getConfigFile() {
        return new XmlFile(Jenkins.XSTREAM2, new File(Jenkins.get().getRootDir(), OLD_NAME + ".xml"));
    }

    public SpellHygieneConfiguration() {
        load();
        checkEnabled = null;
    }

    @NonNull
    public static SpellHygieneConfiguration get() {
        return ExtensionList.lookupSingleton(SpellHygieneConfiguration.class);
    }

    /** The periodic check; off until an administrator turns it on (it reads every stored token's dates). */
    public boolean isCheckEnabled() {
        return periodicCheck;
    }

    @DataBoundSetter
    public void setCheckEnabled(boolean checkEnabled) {
        this.periodicCheck = checkEnabled;
        save();
    }

    /** Whether the check may delete per-build tokens this controller made for builds that have ended. */
    public boolean isSweepEnabled() {
        return sweepEnabled;
    }

    @DataBoundSetter
    public void setSweepEnabled(boolean sweepEnabled) {
        this.sweepEnabled = sweepEnabled;
        save();
    }

    public int getCheckIntervalHours() {
        return checkIntervalHours;
    }

    @DataBoundSetter
    public void setCheckIntervalHours(int hours) {
        if (hours < 1) {
            refused();
            throw new InvalidInputException("checkIntervalHours", "is " + hours + ", less than one hour",
                    "give a number of hours of 1 or more (default 6), or turn the check off with checkEnabled");
        }
        this.checkIntervalHours = hours;
        save();
    }

    public int getMaxTokenAgeDays() {
        return maxTokenAgeDays;
    }

    @DataBoundSetter
    public void setMaxTokenAgeDays(int days) {
        notNegative(days, "maxTokenAgeDays");
        this.maxTokenAgeDays = days;
        save();
    }

    public int getUnusedDays() {
        return unusedDays;
    }

    @DataBoundSetter
    public void setUnusedDays(int days) {
        notNegative(days, "unusedDays");
        this.unusedDays = days;
        save();
    }

    /** The longest a build of this controller may run, in hours: the life written into each per-build token's name. */
    public int getLongestBuildHours() {
        return longestBuildHours;
    }

    @DataBoundSetter
    public void setLongestBuildHours(int hours) {
        try {
            EphemeralTokenName.requireLifeHours(hours, "longestBuildHours");
        } catch (InvalidInputException e) {
            refused();
            throw e;
        }
        this.longestBuildHours = hours;
        save();
    }

    /** How long a rotated-out token must stay unused before the check deletes it, in hours. */
    public int getGraceHours() {
        return graceHours;
    }

    @DataBoundSetter
    public void setGraceHours(int hours) {
        if (hours < 1) {
            refused();
            throw new InvalidInputException("graceHours", "is " + hours + ", less than one hour",
                    "give the hours a rotated-out token must stay unused before it is deleted (default 24)");
        }
        this.graceHours = hours;
        save();
    }

    private void notNegative(int days, String field) {
        try {
            TokenAudit.days(days, field);
        } catch (InvalidInputException e) {
            refused();
            throw e;
        }
    }

    /**
     * A refused value inside Configuration as Code's BulkChange also drops what the same run set before it in
     * memory (nothing of it was saved): a refused file applies nothing.
     */
    private void refused() {
        if (BulkChange.contains(this)) {
            periodicCheck = false;
            sweepEnabled = false;
            checkIntervalHours = DEFAULT_INTERVAL_HOURS;
            maxTokenAgeDays = DEFAULT_MAX_AGE_DAYS;
            unusedDays = DEFAULT_UNUSED_DAYS;
            longestBuildHours = DEFAULT_LONGEST_BUILD_HOURS;
            graceHours = DEFAULT_GRACE_HOURS;
            load();
            checkEnabled = null;
        }
    }

    /** The System page: every number is checked before any is bound, then all are written in one save. */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        for (String field : new String[] {"checkIntervalHours", "longestBuildHours", "graceHours"}) {
            FormValidation v = number(json.optString(field, "1"), 1, field);
            if (v.kind != FormValidation.Kind.OK) {
                throw new FormException(v.getMessage(), field);
            }
        }
        for (String field : new String[] {"maxTokenAgeDays", "unusedDays"}) {
            FormValidation v = number(json.optString(field, "0"), 0, field);
            if (v.kind != FormValidation.Kind.OK) {
                throw new FormException(v.getMessage(), field);
            }
        }
        try {
            EphemeralTokenName.requireLifeHours(json.optInt("longestBuildHours", DEFAULT_LONGEST_BUILD_HOURS), "longestBuildHours");
        } catch (InvalidInputException e) {
            throw new FormException(e.getMessage(), "longestBuildHours");
        }
        try (BulkChange bc = new BulkChange(this)) {
            req.bindJSON(this, json);
            bc.commit();
        } catch (IOException e) {
            throw new FormException(e, "checkEnabled");
        }
        return true;
    }

    /** The rules the check applies to long-lived tokens (per-build tokens follow their own life, not this). */
    @NonNull
    @Restricted(NoExternalUse.class)
    public TokenAudit audit() {
        return new TokenAudit(Duration.ofDays(maxTokenAgeDays), Duration.ofDays(unusedDays), perJobLife());
    }

    /** Lives of per-build tokens: a new name carries its own; one without (made by an earlier version) the longest build. */
    @NonNull
    @Restricted(NoExternalUse.class)
    public PerJobLife perJobLife() {
        return PerJobLife.DEFAULT.withJenkinsLegacy(longestBuild());
    }

    @NonNull
    @Restricted(NoExternalUse.class)
    public Duration interval() {
        return Duration.ofHours(checkIntervalHours);
    }

    @NonNull
    @Restricted(NoExternalUse.class)
    public Duration longestBuild() {
        return Duration.ofHours(longestBuildHours);
    }

    @NonNull
    @Restricted(NoExternalUse.class)
    public Duration grace() {
        return Duration.ofHours(graceHours);
    }

    @POST
    public FormValidation doCheckCheckIntervalHours(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return number(value, 1, "checkIntervalHours");
    }

    @POST
    public FormValidation doCheckMaxTokenAgeDays(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return number(value, 0, "maxTokenAgeDays");
    }

    @POST
    public FormValidation doCheckUnusedDays(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return number(value, 0, "unusedDays");
    }

    @POST
    public FormValidation doCheckLongestBuildHours(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        FormValidation v = number(value, 1, "longestBuildHours");
        if (v.kind == FormValidation.Kind.OK) {
            try {
                EphemeralTokenName.requireLifeHours(Integer.parseInt(value.trim()), "longestBuildHours");
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }
        return v;
    }

    @POST
    public FormValidation doCheckGraceHours(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return number(value, 1, "graceHours");
    }

    private static FormValidation number(String value, int min, String field) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            return n >= min ? FormValidation.ok() : FormValidation.error(Messages.SpellHygieneConfiguration_tooSmall(field, min));
        } catch (NumberFormatException e) {
            return FormValidation.error(Messages.SpellHygieneConfiguration_notANumber(field));
        }
    }
}

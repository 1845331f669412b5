package io.jenkins.plugins.spell;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.spellci.core.InvalidInputException;
import io.spellci.core.hygiene.TokenAudit;
import java.time.Duration;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * "Manage Jenkins » System » Spell token hygiene": how often the periodic check looks at every Spell credential,
 * and the age and use limits it warns about. Configuration as Code:
 * {@code unclassified: spellHygiene: checkEnabled: true, checkIntervalHours: 6, maxTokenAgeDays: 90, unusedDays: 30}.
 */
@Extension
@Symbol("spellHygiene")
public class SpellHygieneConfiguration extends GlobalConfiguration {

    static final int DEFAULT_INTERVAL_HOURS = 6;
    static final int DEFAULT_MAX_AGE_DAYS = 90;
    static final int DEFAULT_UNUSED_DAYS = 30;

    private boolean checkEnabled = true;
    private int checkIntervalHours = DEFAULT_INTERVAL_HOURS;
    private int maxTokenAgeDays = DEFAULT_MAX_AGE_DAYS;
    private int unusedDays = DEFAULT_UNUSED_DAYS;

    public SpellHygieneConfiguration() {
        load();
    }

    @NonNull
    public static SpellHygieneConfiguration get() {
        return ExtensionList.lookupSingleton(SpellHygieneConfiguration.class);
    }

    public boolean isCheckEnabled() {
        return checkEnabled;
    }

    @DataBoundSetter
    public void setCheckEnabled(boolean checkEnabled) {
        this.checkEnabled = checkEnabled;
        save();
    }

    public int getCheckIntervalHours() {
        return checkIntervalHours;
    }

    @DataBoundSetter
    public void setCheckIntervalHours(int hours) {
        if (hours < 1) {
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
        TokenAudit.days(days, "maxTokenAgeDays");
        this.maxTokenAgeDays = days;
        save();
    }

    public int getUnusedDays() {
        return unusedDays;
    }

    @DataBoundSetter
    public void setUnusedDays(int days) {
        TokenAudit.days(days, "unusedDays");
        this.unusedDays = days;
        save();
    }

    /** The rules the check applies; per-build tokens count as left behind after one day. */
    @NonNull
    TokenAudit audit() {
        return new TokenAudit(Duration.ofDays(maxTokenAgeDays), Duration.ofDays(unusedDays), Duration.ofDays(1));
    }

    @NonNull
    Duration interval() {
        return Duration.ofHours(checkIntervalHours);
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

    private static FormValidation number(String value, int min, String field) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            return n >= min ? FormValidation.ok() : FormValidation.error(Messages.SpellHygieneConfiguration_tooSmall(field, min));
        } catch (NumberFormatException e) {
            return FormValidation.error(Messages.SpellHygieneConfiguration_notANumber(field));
        }
    }
}

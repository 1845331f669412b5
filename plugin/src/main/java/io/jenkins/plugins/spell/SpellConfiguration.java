package io.jenkins.plugins.spell;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.util.FormValidation;
import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import java.io.IOException;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * "Manage Jenkins » System » Spell": the Spell API URL every credential, binding and Test button of this
 * controller uses, and whether bindings check their token before the block runs. Only administrators
 * may change it ({@code Jenkins.ADMINISTER}, the default of global configuration pages).
 *
 * <p>Configuration as Code: {@code unclassified: spell: apiUrl: ..., validateByDefault: true}.
 */
@Extension
@Symbol("spell")
public class SpellConfiguration extends GlobalConfiguration {

    /** Normalized by core's {@link ApiUrl}; {@code null} means the default. */
    private String apiUrl;

    private boolean validateByDefault;

    public SpellConfiguration() {
        load();
    }

    @NonNull
    public static SpellConfiguration get() {
        return ExtensionList.lookupSingleton(SpellConfiguration.class);
    }

    @NonNull
    public String getApiUrl() {
        return apiUrl == null ? ApiUrl.DEFAULT : apiUrl;
    }

    /**
     * @throws InvalidInputException when core refuses the URL (for example plain {@code http://} to a host
     *     that is not loopback); Configuration as Code reports its message. A refused URL also drops what the same
     *     Configuration as Code run set before it in memory (nothing of it was saved), so that a refused file
     *     applies nothing.
     */
    @DataBoundSetter
    public void setApiUrl(String apiUrl) {
        ApiUrl url;
        try {
            url = ApiUrl.of(Util.fixEmptyAndTrim(apiUrl), "apiUrl");
        } catch (InvalidInputException e) {
            if (BulkChange.contains(this)) {
                // back to what is saved (JCasC may have set validateByDefault first), or to the defaults
                this.apiUrl = null;
                this.validateByDefault = false;
                load();
            }
            throw e;
        }
        this.apiUrl = url.isDefault() ? null : url.toString();
        save();
    }

    /**
     * The URL an administrator set, or null while it is the default: background work (the hygiene check) never
     * sends tokens to a URL nobody chose.
     */
    @CheckForNull
    public ApiUrl configuredApiUrl() {
        return apiUrl == null ? null : ApiUrl.of(apiUrl, "apiUrl");
    }

    /** The configured URL as core's type. */
    @NonNull
    public ApiUrl apiUrl() {
        return ApiUrl.of(getApiUrl(), "apiUrl");
    }

    public boolean isValidateByDefault() {
        return validateByDefault;
    }

    @DataBoundSetter
    public void setValidateByDefault(boolean validateByDefault) {
        this.validateByDefault = validateByDefault;
        save();
    }

    /**
     * The System page: the URL is checked before any field is bound, so a refused save changes nothing (Stapler
     * may bind the fields in any order), and a valid one is written once. A refused URL is a form error on the
     * field (the check above already warned), not an error page.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        try {
            ApiUrl.of(Util.fixEmptyAndTrim(json.optString("apiUrl", null)), "apiUrl");
        } catch (InvalidInputException e) {
            throw new FormException(e.getMessage(), e, "apiUrl");
        }
        try (BulkChange bc = new BulkChange(this)) {
            req.bindJSON(this, json);
            bc.commit();
        } catch (IOException e) {
            throw new FormException(e, "apiUrl");
        }
        return true;
    }

    @POST
    public FormValidation doCheckApiUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            ApiUrl url = ApiUrl.of(Util.fixEmptyAndTrim(value), "apiUrl");
            return url.isDefault() ? FormValidation.ok() : FormValidation.ok(Messages.SpellConfiguration_customUrl(url.toString()));
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}

package io.jenkins.plugins.spell;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.spellci.core.env.SpellVariables;
import io.spellci.core.ephemeral.EphemeralTokenName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;
import org.jenkinsci.plugins.credentialsbinding.impl.BindingStep;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code withSpell(credentialsId: 'spell-ci') { sh 'spell run ...' }}.
 *
 * <p>Runs exactly what {@code withCredentials([spellToken(...)])} runs: {@link #start} hands a
 * {@link SpellTokenBinding} to credentials-binding's own {@link BindingStep}, whose execution computes the
 * masking pattern on the controller and keeps it as a {@code Secret}, declares the token variable sensitive,
 * keeps the values encrypted in {@code program.dat}, and runs the binding's unbinder when the block ends,
 * also after a restart. The step's arguments name a credential, never a secret.
 */
public class WithSpellStep extends Step {

    private final String credentialsId;
    private @CheckForNull String variable;
    private @CheckForNull String ownerVariable;
    private @CheckForNull String owner;
    private @CheckForNull Boolean validate;
    private boolean ephemeral;
    private @CheckForNull Integer longestBuildHours;

    @DataBoundConstructor
    public WithSpellStep(String credentialsId) {
        this.credentialsId = credentialsId;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @NonNull
    public String getVariable() {
        return variable == null ? SpellVariables.TOKEN : variable;
    }

    @DataBoundSetter
    public void setVariable(@CheckForNull String variable) {
        this.variable = Util.fixEmptyAndTrim(variable);
    }

    @NonNull
    public String getOwnerVariable() {
        return ownerVariable == null ? SpellVariables.OWNER : ownerVariable;
    }

    @DataBoundSetter
    public void setOwnerVariable(@CheckForNull String ownerVariable) {
        this.ownerVariable = Util.fixEmptyAndTrim(ownerVariable);
    }

    @CheckForNull
    public String getOwner() {
        return owner;
    }

    @DataBoundSetter
    public void setOwner(@CheckForNull String owner) {
        this.owner = Util.fixEmptyAndTrim(owner);
    }

    /**
     * {@code true} or {@code false} when chosen for this use, {@code null} to follow "validate by default" of
     * Manage Jenkins » System » Spell when the build runs. The getter returns the choice, not the effective value,
     * so that forms, the Snippet Generator and Configuration as Code keep "not chosen" as it is.
     */
    @CheckForNull
    public Boolean getValidate() {
        return validate;
    }

    @DataBoundSetter
    public void setValidate(@CheckForNull Boolean validate) {
        this.validate = validate;
    }

    public boolean isEphemeral() {
        return ephemeral;
    }

    @DataBoundSetter
    public void setEphemeral(boolean ephemeral) {
        this.ephemeral = ephemeral;
    }

    @CheckForNull
    public Integer getLongestBuildHours() {
        return longestBuildHours;
    }

    /** Overrides the global "Longest build (hours)" for this step's per-build token (see the binding). */
    @DataBoundSetter
    public void setLongestBuildHours(@CheckForNull Integer longestBuildHours) {
        if (longestBuildHours != null) {
            EphemeralTokenName.requireLifeHours(longestBuildHours, "longestBuildHours");
        }
        this.longestBuildHours = longestBuildHours;
    }

    /** The binding this step runs. */
    SpellTokenBinding toBinding() {
        SpellTokenBinding binding = new SpellTokenBinding(credentialsId);
        binding.setVariable(variable);
        binding.setOwnerVariable(ownerVariable);
        binding.setOwner(owner);
        binding.setValidate(validate);
        binding.setEphemeral(ephemeral);
        binding.setLongestBuildHours(longestBuildHours);
        return binding;
    }

    @Override
    @SuppressWarnings("rawtypes") // BindingStep's own constructor takes a raw List<MultiBinding>
    public StepExecution start(StepContext context) throws Exception {
        List<MultiBinding> bindings = new ArrayList<>();
        bindings.add(toBinding());
        return new BindingStep(bindings).start(context);
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "withSpell";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.WithSpellStep_DisplayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            if (item == null) {
                if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                    return SpellCredentialsListing.currentOnly(credentialsId);
                }
            } else if (!item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
                return SpellCredentialsListing.currentOnly(credentialsId);
            }
            return SpellCredentialsListing.list(item, credentialsId);
        }

        /** Global default / yes / no for the form; the first submits "" (not chosen), which {@link #newInstance} makes null. */
        public ListBoxModel getValidateItems() {
            return SpellForms.validateItems();
        }

        @Override
        public Step newInstance(@Nullable StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            return super.newInstance(req, SpellForms.dropUnsetValidate(formData));
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            if (!SpellCredentialsListing.mayList(item)) {
                return FormValidation.ok();
            }
            return SpellCredentialsListing.check(item, value);
        }

        @POST
        public FormValidation doCheckVariable(
                @AncestorInPath Item item, @QueryParameter String value, @QueryParameter String ownerVariable) {
            return SpellForms.checkVariables(item, value, ownerVariable);
        }

        @POST
        public FormValidation doCheckOwnerVariable(
                @AncestorInPath Item item, @QueryParameter String variable, @QueryParameter String value) {
            return SpellForms.checkVariables(item, variable, value);
        }

        @POST
        public FormValidation doCheckOwner(@AncestorInPath Item item, @QueryParameter String value) {
            return SpellForms.checkOwnerOverride(item, value);
        }
    }
}

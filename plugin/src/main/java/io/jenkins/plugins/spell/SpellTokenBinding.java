package io.jenkins.plugins.spell;

import io.jenkins.plugins.spell.hygiene.SpellTokenHygiene;
import io.jenkins.plugins.spell.hygiene.SpellHygieneState;
import io.jenkins.plugins.spell.hygiene.SpellHygieneConfiguration;
import io.jenkins.plugins.spell.hygiene.SpellPerBuildToken;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.Identity;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.env.SpellEnvironment;
import io.spellci.core.env.SpellVariables;
import io.spellci.core.env.VariableNames;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import java.io.IOException;
import java.io.Serial;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.credentialsbinding.BindingDescriptor;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;
import org.jenkinsci.plugins.credentialsbinding.impl.CredentialNotFoundException;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code withCredentials([spellToken(credentialsId: 'spell-ci')]) { ... }}: exports the token as
 * {@code SPELL_TOKEN} (masked) and the owner as {@code SPELL_OWNER} (not masked), plus {@code SPELL_BASE_URL}
 * and {@code SPELL_API_URL} (the configured API URL, the default too, so that {@code spell} calls the host that was
 * checked). Also the binding behind
 * {@link WithSpellStep} and Freestyle's "Use secret text(s) or file(s)".
 *
 * <p>Which variables exist, their names' rules, the owner's rules and every message come from core.
 */
public class SpellTokenBinding extends MultiBinding<SpellTokenCredentials> {

    /** Name of the token variable; {@code null} means {@code SPELL_TOKEN}. (Not called "tokenVariable": it is no secret.) */
    private @CheckForNull String variable;

    private @CheckForNull String ownerVariable;

    /** Overrides the credential's owner for this block; {@code null} means the credential's. */
    private @CheckForNull String owner;

    /** {@code null} means the global "validate by default". */
    private @CheckForNull Boolean validate;

    private boolean ephemeral;

    /** The longest this build may run, in hours, for a per-build token's name; null means the global setting. */
    private @CheckForNull Integer longestBuildHours;

    @DataBoundConstructor
    public SpellTokenBinding(String credentialsId) {
        super(credentialsId);
    }

    @Override
    protected Class<SpellTokenCredentials> type() {
        return SpellTokenCredentials.class;
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

    /** The owner override, or {@code null} to use the credential's owner. */
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

    /** Whether the token is checked with the Spell API before the block runs: the choice, else the global default. */
    boolean validatesToken() {
        return validate != null ? validate : SpellConfiguration.get().isValidateByDefault();
    }

    public boolean isEphemeral() {
        return ephemeral;
    }

    /** Export a per-build token, created now and deleted when the block ends, instead of the stored one. */
    @DataBoundSetter
    public void setEphemeral(boolean ephemeral) {
        this.ephemeral = ephemeral;
    }

    @CheckForNull
    public Integer getLongestBuildHours() {
        return longestBuildHours;
    }

    /**
     * Overrides "Longest build (hours)" of Manage Jenkins » System » Spell token hygiene for this step's per-build
     * token: the life written into its name, after which a sweep may delete it once its build has ended.
     *
     * @throws InvalidInputException outside 1 to 9999 hours (core's rule and words)
     */
    @DataBoundSetter
    public void setLongestBuildHours(@CheckForNull Integer longestBuildHours) {
        if (longestBuildHours != null) {
            EphemeralTokenName.requireLifeHours(longestBuildHours, "longestBuildHours");
        }
        this.longestBuildHours = longestBuildHours;
    }

    /** The life of this step's per-build token: the override, else the global longest build. */
    int lifeHours() {
        return longestBuildHours != null ? longestBuildHours : SpellHygieneConfiguration.get().getLongestBuildHours();
    }

    @Override
    public Set<String> variables(@NonNull Run<?, ?> build) {
        return Set.of(getVariable());
    }

    @Override
    public MultiEnvironment bind(
            @NonNull Run<?, ?> build,
            @Nullable FilePath workspace,
            @Nullable Launcher launcher,
            @NonNull TaskListener listener)
            throws IOException, InterruptedException {
        String id = getCredentialsId();
        SpellTokenCredentials credentials = lookup(build);
        ApiUrl apiUrl;
        try {
            apiUrl = SpellConfiguration.get().apiUrl();
        } catch (InvalidInputException e) {
            throw new AbortException(e.getMessage());
        }
        try {
            VariableNames names = VariableNames.of(getVariable(), getOwnerVariable());
            Owner spellOwner = owner != null
                    ? Owner.of(owner, "owner")
                    : Owner.of(credentials.getOwner(), Messages.SpellTokenBinding_ownerField(id));
            AccessToken stored =
                    AccessToken.of(Secret.toString(credentials.getToken()), Messages.SpellTokenBinding_tokenField(id));
            // use is tracked by the credentials plugin (CredentialsProvider.track in lookup); nothing written here

            if (!validatesToken() && !ephemeral) {
                SpellEnvironment env = SpellEnvironment.of(stored, spellOwner, apiUrl, names);
                return new MultiEnvironment(env.secretVariables(), env.publicVariables());
            }
            try (SpellApi api = SpellClients.open(apiUrl)) {
                Identity identity = api.verify(stored, spellOwner);
                listener.getLogger()
                        .println(Messages.SpellTokenBinding_verified(
                                id, identity.owner().name(), identity.user().userName()));
                if (!ephemeral) {
                    SpellEnvironment env = SpellEnvironment.of(stored, spellOwner, apiUrl, names);
                    return new MultiEnvironment(env.secretVariables(), env.publicVariables());
                }
                CreatedToken created = new EphemeralTokens(api, stored)
                        .create(
                                EphemeralTokenName.Template.jenkins(SpellPerBuildToken.controllerId(), lifeHours()),
                                List.of(build.getParent().getFullName(), Integer.toString(build.getNumber())),
                                new LoggingListener(listener, id, build));
                listener.getLogger().println(Messages.SpellTokenBinding_ephemeralCreated(created.name()));
                Unbinder unbinder = new EphemeralTokenUnbinder(id, created.name(), apiUrl.toString());
                if (Thread.currentThread().isInterrupted()) {
                    // Stopped while the create was answered (a blocking read does not notice an interrupt): the
                    // step has failed already, so no block runs and no unbinder would ever delete this token.
                    listener.getLogger().println(Messages.SpellTokenBinding_ephemeralStopped(created.name()));
                    deleteUninterrupted(unbinder, build, workspace, launcher, listener);
                    throw new InterruptedException(Messages.SpellTokenBinding_ephemeralStopped(created.name()));
                }
                SpellEnvironment env;
                try {
                    env = SpellEnvironment.of(created.token(), spellOwner, apiUrl, names);
                } catch (RuntimeException e) {
                    unbinder.unbind(build, workspace, launcher, listener); // never leave the new token behind
                    throw e;
                }
                return new MultiEnvironment(
                        env.secretVariables(),
                        env.publicVariables(),
                        unbinder);
            }
        } catch (SpellApiException e) {
            // core's messages name the call and the fix and never contain a token
            throw new AbortException(SpellClients.explain(apiUrl, e));
        } catch (InvalidInputException e) {
            // core's messages name the field and the fix and never contain a token
            throw new AbortException(e.getMessage());
        }
    }

    /** Runs the unbinder with the interrupt cleared (core sends nothing on an interrupted thread), then restores it. */
    private static void deleteUninterrupted(
            Unbinder unbinder, Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener)
            throws IOException, InterruptedException {
        boolean interrupted = Thread.interrupted();
        try {
            unbinder.unbind(build, workspace, launcher, listener);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Puts each per-build token's name in the build log before its create is sent, so that a token made by a
     * create whose answer never came (an aborted build, a lost connection) can still be found and deleted, and
     * warns about every token that may be left alive. Names are not secret; values never pass here.
     */
    static final class LoggingListener implements EphemeralTokens.Listener {
        private final TaskListener listener;
        private final String credentialsId;
        private final Run<?, ?> build;

        LoggingListener(TaskListener listener, String credentialsId, Run<?, ?> build) {
            this.listener = listener;
            this.credentialsId = credentialsId;
            this.build = build;
        }

        @Override
        public void creating(String name) {
            listener.getLogger().println(Messages.SpellTokenBinding_ephemeralCreating(name));
            // recorded before the create is sent: the check deletes only tokens this controller recorded, and only
            // once their build has ended
            SpellHygieneState.get().addPerBuildToken(new SpellPerBuildToken(name, credentialsId,
                    build.getParent().getFullName(), build.getNumber(), SpellTokenHygiene.now().toEpochMilli()));
        }

        @Override
        public void mayBeLeftAlive(String name, SpellApiException why) {
            listener.getLogger().println(Messages.SpellTokenBinding_ephemeralMayBeLeftAlive(name, why.getMessage()));
        }
    }

    /** Like {@code MultiBinding.getCredentials}, with messages that name the id and the expected type. */
    private SpellTokenCredentials lookup(Run<?, ?> build) throws CredentialNotFoundException {
        String id = Util.fixEmptyAndTrim(getCredentialsId());
        String expected = Messages.SpellTokenCredentialsImpl_DisplayName();
        if (id == null) {
            throw new CredentialNotFoundException(Messages.SpellTokenBinding_noId(expected));
        }
        IdCredentials found = CredentialsProvider.findCredentialById(id, IdCredentials.class, build);
        if (found == null) {
            throw new CredentialNotFoundException(Messages.SpellTokenBinding_notFound(id, expected));
        }
        if (!(found instanceof SpellTokenCredentials)) {
            throw new CredentialNotFoundException(Messages.SpellTokenBinding_wrongType(
                    id, found.getDescriptor().getDisplayName(), expected));
        }
        CredentialsProvider.track(build, found);
        return (SpellTokenCredentials) found;
    }

    /**
     * Deletes the per-build token when the block ends, however it ends, also after a controller restart.
     * It keeps the token's name only, never its value; the stored credential authenticates the delete, sent to the
     * API URL configured now (never to a URL stored in the build). One attempt with short timeouts: a failed delete
     * is a warning in the log, not a failure of the build, and the check deletes what is left once the build ended.
     */
    static final class EphemeralTokenUnbinder implements Unbinder {

        @Serial
        private static final long serialVersionUID = 1L;

        private final String credentialsId;
        /** The per-build token's name (not secret); the value is never kept. */
        private final String ephemeralName;
        /** The API URL at bind time: the token exists there; compared with today's, never called. */
        private final String apiUrl;

        EphemeralTokenUnbinder(String credentialsId, String ephemeralName, String apiUrl) {
            this.credentialsId = credentialsId;
            this.ephemeralName = ephemeralName;
            this.apiUrl = apiUrl;
        }

        @Override
        public void unbind(
                @NonNull Run<?, ?> build,
                @Nullable FilePath workspace,
                @Nullable Launcher launcher,
                @NonNull TaskListener listener) {
            try {
                ApiUrl now = SpellConfiguration.get().apiUrl();
                if (!now.toString().equals(ApiUrl.of(apiUrl, "apiUrl").toString())) {
                    // the stored token must not go to an API that did not make this token
                    listener.getLogger().println(Messages.SpellTokenBinding_ephemeralUrlChanged(ephemeralName, now.toString()));
                    return;
                }
                SpellTokenCredentials credentials =
                        CredentialsProvider.findCredentialById(credentialsId, SpellTokenCredentials.class, build);
                if (credentials == null) {
                    listener.getLogger().println(Messages.SpellTokenBinding_ephemeralDeleteFailed(
                            ephemeralName, Messages.SpellTokenBinding_notFound(credentialsId,
                                    Messages.SpellTokenCredentialsImpl_DisplayName())));
                    return;
                }
                AccessToken stored = AccessToken.of(
                        Secret.toString(credentials.getToken()), Messages.SpellTokenBinding_tokenField(credentialsId));
                try (SpellApi api = SpellClients.openShort(now, RetryPolicy.none())) {
                    new EphemeralTokens(api, stored).delete(ephemeralName);
                }
                SpellHygieneState.get().removePerBuildToken(ephemeralName);
                listener.getLogger().println(Messages.SpellTokenBinding_ephemeralDeleted(ephemeralName));
            } catch (IOException | RuntimeException e) {
                listener.getLogger().println(Messages.SpellTokenBinding_ephemeralDeleteFailed(ephemeralName, e.getMessage()));
            }
        }
    }

    @Extension
    @Symbol("spellToken")
    public static class DescriptorImpl extends BindingDescriptor<SpellTokenCredentials> {

        @Override
        protected Class<SpellTokenCredentials> type() {
            return SpellTokenCredentials.class;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SpellTokenBinding_DisplayName();
        }

        /** Needs no workspace: nothing is written to disk. */
        @Override
        public boolean requiresWorkspace() {
            return false;
        }

        /**
         * Same signature as {@link BindingDescriptor#doFillCredentialsIdItems(Item)} (an overload would make
         * Stapler's choice ambiguous), with the permission checks and scope filter of
         * {@link SpellCredentialsListing}.
         */
        @Override
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item owner) {
            if (owner == null) {
                if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                    return new ListBoxModel();
                }
            } else if (!owner.hasPermission(Item.EXTENDED_READ) && !owner.hasPermission(CredentialsProvider.USE_ITEM)) {
                return new ListBoxModel();
            }
            return SpellCredentialsListing.list(owner, null);
        }

        /** Global default / yes / no for the form; the first submits "" (not chosen), which {@link #newInstance} makes null. */
        public ListBoxModel getValidateItems() {
            return SpellForms.validateItems();
        }

        @Override
        public MultiBinding<SpellTokenCredentials> newInstance(
                @Nullable StaplerRequest2 req, @NonNull JSONObject formData)
                throws FormException {
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

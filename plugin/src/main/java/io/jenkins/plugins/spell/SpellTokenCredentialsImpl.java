package io.jenkins.plugins.spell;

import com.cloudbees.plugins.credentials.ContextInPath;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.Identity;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;
import org.springframework.security.access.AccessDeniedException;

/** The stored Spell access token credential: the token (encrypted) and its owner. */
public final class SpellTokenCredentialsImpl extends BaseStandardCredentials implements SpellTokenCredentials {

    @Serial
    private static final long serialVersionUID = 1L;

    private final @NonNull Secret token;
    private final @NonNull String owner;

    /** The token's name in Spell ({@code spell access-tokens list}); not secret. Needed for age checks and rotation. */
    private @CheckForNull String tokenName;

    /** Rotate automatically every so many days; 0 = never. */
    private int rotateEveryDays;

    /** One line per rotation: when, old name, new name; never a value. */
    private @CheckForNull List<String> rotations;

    /**
     * @param token the access token; shown with {@code f:password}, stored encrypted
     * @param owner the Spell user or organization name; checked with core's rules by the form and at bind time
     */
    @DataBoundConstructor
    public SpellTokenCredentialsImpl(
            @CheckForNull CredentialsScope scope,
            @CheckForNull String id,
            @CheckForNull String description,
            @NonNull Secret token,
            @CheckForNull String owner) {
        super(scope, id, description);
        // A JCasC entry without "token:" passes null; StringCredentials.getSecret() must never be null (the
        // string(...) binding and Declarative credentials() call getPlainText() on it).
        this.token = token == null ? Secret.fromString("") : token;
        this.owner = Util.fixNull(owner).trim();
    }

    @NonNull
    @Override
    public Secret getToken() {
        return token;
    }

    /** The token, for {@code string(...)} bindings and Declarative {@code credentials('id')}. */
    @NonNull
    @Override
    public Secret getSecret() {
        return token;
    }

    @NonNull
    @Override
    public String getOwner() {
        return Util.fixNull(owner); // null only in XML written by hand without <owner>
    }

    @CheckForNull
    public String getTokenName() {
        return Util.fixEmptyAndTrim(tokenName);
    }

    @DataBoundSetter
    public void setTokenName(@CheckForNull String tokenName) {
        this.tokenName = Util.fixEmptyAndTrim(tokenName);
    }

    public int getRotateEveryDays() {
        return rotateEveryDays;
    }

    /** @throws InvalidInputException for a negative number (Configuration as Code reports its message) */
    @DataBoundSetter
    public void setRotateEveryDays(int rotateEveryDays) {
        if (rotateEveryDays < 0) {
            throw new InvalidInputException("rotateEveryDays", "is " + rotateEveryDays + ", a negative number",
                    "give 0 to never rotate automatically, or a number of days such as 30");
        }
        this.rotateEveryDays = rotateEveryDays;
    }

    /** Oldest first: "2026-12-01T10:00:00Z: rotated ci to ci-r20261201 (button, by alice)". */
    @NonNull
    public List<String> getRotations() {
        return rotations == null ? List.of() : Collections.unmodifiableList(rotations);
    }

    /** A copy holding {@code newToken} named {@code newName}, everything else kept, with {@code logLine} added. */
    SpellTokenCredentialsImpl rotatedTo(@NonNull Secret newToken, @NonNull String newName, @NonNull String logLine) {
        SpellTokenCredentialsImpl copy = new SpellTokenCredentialsImpl(getScope(), getId(), getDescription(), newToken, owner);
        copy.tokenName = newName;
        copy.rotateEveryDays = rotateEveryDays;
        List<String> lines = new ArrayList<>(getRotations());
        lines.add(logLine);
        // bounded: credentials.xml stays small however long a credential lives
        copy.rotations = new ArrayList<>(lines.subList(Math.max(0, lines.size() - MAX_ROTATION_LINES), lines.size()));
        return copy;
    }

    static final int MAX_ROTATION_LINES = 20;

    @Extension
    @Symbol("spellToken")
    public static class DescriptorImpl extends BaseStandardCredentialsDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SpellTokenCredentialsImpl_DisplayName();
        }

        @Override
        public String getIconClassName() {
            return "symbol-key";
        }

        /** Only the owner's syntax (core's rules); no network call. */
        @POST
        public FormValidation doCheckOwner(@ContextInPath ModelObject context, @QueryParameter String value) {
            if (!mayManageCredentialsIn(context)) {
                return FormValidation.ok();
            }
            try {
                Owner.of(value, "owner");
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        /**
         * The "Test token" button: asks the Spell API configured by the administrator (never a URL from the
         * request) who the token belongs to and whether it may act for the owner. Answers in plain text
         * (escaped by Jenkins), never with the token.
         */
        @POST
        public FormValidation doTestToken(
                @ContextInPath ModelObject context, @QueryParameter String owner, @QueryParameter Secret token) {
            if (!mayManageCredentialsIn(context)) {
                throw new AccessDeniedException(Messages.SpellTokenCredentialsImpl_mayNotTest(
                        Jenkins.getAuthentication2().getName()));
            }
            AccessToken accessToken;
            Owner spellOwner;
            ApiUrl apiUrl;
            try {
                accessToken = AccessToken.of(Secret.toString(token), "token");
                // core's verify refuses an owner equal to the token with an unchecked InvalidInputException;
                // checked here so that it is a form error, not an error page
                spellOwner = Owner.of(owner, "owner").requireDistinctFrom(accessToken);
                apiUrl = SpellConfiguration.get().apiUrl();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
            try {
                Identity identity = SpellClients.verify(apiUrl, accessToken, spellOwner);
                return FormValidation.ok(Messages.SpellTokenCredentialsImpl_testOk(
                        identity.owner().name(), identity.user().userName()));
            } catch (SpellApiException e) {
                return FormValidation.error(SpellClients.explain(apiUrl, e));
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        /**
         * Whoever may create or update credentials in the store the form was opened from (Jenkins, a folder, a
         * user's own store), as the Credentials plugin decides for that form; {@code null} (no store in the URL
         * or the Referer) is Jenkins' own store.
         */
        static boolean mayManageCredentialsIn(@CheckForNull ModelObject context) {
            ModelObject where = context == null ? Jenkins.get() : context;
            for (CredentialsStore store : CredentialsProvider.lookupStores(where)) {
                if (store.getContext() == where
                        && (store.hasPermission(CredentialsProvider.CREATE)
                                || store.hasPermission(CredentialsProvider.UPDATE))) {
                    return true;
                }
            }
            return false;
        }

        /** The token name is optional; when given it must not be the token itself (names are shown in clear). */
        @POST
        public FormValidation doCheckTokenName(@ContextInPath ModelObject context, @QueryParameter String value) {
            if (!mayManageCredentialsIn(context)) {
                return FormValidation.ok();
            }
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.warning(Messages.SpellTokenCredentialsImpl_noTokenName());
            }
            return FormValidation.ok();
        }

        @POST
        public FormValidation doCheckRotateEveryDays(@ContextInPath ModelObject context, @QueryParameter String value) {
            if (!mayManageCredentialsIn(context)) {
                return FormValidation.ok();
            }
            try {
                int days = Integer.parseInt(Util.fixEmptyAndTrim(value) == null ? "0" : value.trim());
                if (days < 0) {
                    return FormValidation.error(Messages.SpellTokenCredentialsImpl_badRotateEveryDays());
                }
                return days == 0 ? FormValidation.ok() : FormValidation.warning(Messages.SpellTokenCredentialsImpl_cascWarning());
            } catch (NumberFormatException e) {
                return FormValidation.error(Messages.SpellTokenCredentialsImpl_badRotateEveryDays());
            }
        }

        /**
         * The "Rotate token" button: rotates the stored credential {@code id} of this context's store (the system
         * store without an item, the folder's with one). Needs the store's {@code UPDATE} permission.
         */
        @POST
        public FormValidation doRotateToken(@AncestorInPath Item item, @QueryParameter String id) {
            return SpellRotations.rotateFromButton(item, Util.fixEmptyAndTrim(id));
        }
    }
}

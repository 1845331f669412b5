package io.jenkins.plugins.spell;

import io.jenkins.plugins.spell.hygiene.SpellRotateAction;
import io.jenkins.plugins.spell.hygiene.SpellCascSources;
import io.jenkins.plugins.spell.hygiene.SpellStoredCredential;

import com.cloudbees.plugins.credentials.ContextInPath;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsStoreAction;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
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
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;
import org.springframework.security.access.AccessDeniedException;

/** The stored Spell access token credential: the token (encrypted) and its owner. */
public final class SpellTokenCredentialsImpl extends BaseStandardCredentials implements SpellTokenCredentials {

    @Serial
    private static final long serialVersionUID = 1L;

    private final @NonNull Secret token;
    private final @NonNull String owner;

    /** Names this credential's rotations replaced, oldest first: a form older than a rotation must not bring one back. */
    private @CheckForNull List<String> rotatedOut;

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
        this(scope, id, description, token, owner, true);
    }

    private SpellTokenCredentialsImpl(@CheckForNull CredentialsScope scope, @CheckForNull String id,
            @CheckForNull String description, @CheckForNull Secret token, @CheckForNull String owner, boolean refuse) {
        super(scope, id, description);
        // A JCasC entry without "token:" passes null; StringCredentials.getSecret() must never be null (the
        // string(...) binding and Declarative credentials() call getPlainText() on it).
        this.token = token == null ? Secret.fromString("") : token;
        this.owner = Util.fixNull(owner).trim();
        AccessToken value = refuse ? tokenOrNull(this.token) : null;
        if (value != null) {
            // refused on save (form and Configuration as Code): owners are shown in clear everywhere
            value.requireNotIn(this.owner, "owner", "set owner to the Spell organization or user name; the access"
                    + " token goes in the Access token field, never in owner");
        }
    }

    /** The stored token as core's type, or null when it is empty or not a token at all (nothing to compare). */
    @CheckForNull
    private static AccessToken tokenOrNull(@CheckForNull Secret secret) {
        String plain = Secret.toString(secret);
        if (plain.isEmpty()) {
            return null;
        }
        try {
            return AccessToken.of(plain, "token");
        } catch (InvalidInputException e) {
            return null;
        }
    }

    /** A credential written without {@code <token>} or {@code <owner>} (by hand, by an old version) loads usable. */
    @Serial
    private Object readResolve() {
        if (token == null || owner == null) {
            SpellTokenCredentialsImpl fixed = new SpellTokenCredentialsImpl(getScope(), getId(), getDescription(),
                    token == null ? Secret.fromString("") : token, owner == null ? "" : owner, false);
            fixed.tokenName = tokenName;
            fixed.rotateEveryDays = rotateEveryDays;
            fixed.rotations = rotations;
            fixed.rotatedOut = rotatedOut;
            return fixed;
        }
        return this;
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

    /** @throws InvalidInputException when the name is or holds the token (names are shown and stored in clear) */
    @DataBoundSetter
    public void setTokenName(@CheckForNull String tokenName) {
        String name = Util.fixEmptyAndTrim(tokenName);
        AccessToken value = tokenOrNull(token);
        if (value != null && name != null) {
            value.requireNotIn(name, "tokenName", "set Token name to the name `spell access-tokens list` shows for"
                    + " this token; the token itself goes in the Access token field");
        }
        this.tokenName = name;
    }

    /** The token name, or null when it is absent or (saved by an older version) holds the token: never shown then. */
    @CheckForNull
    @Restricted(NoExternalUse.class)
    public String displayableTokenName() {
        String name = getTokenName();
        AccessToken value = tokenOrNull(token);
        return name == null || value != null && value.isFoundIn(name) ? null : name;
    }

    /** The owner, or "" when (saved by an older version) it holds the token. */
    @NonNull
    @Restricted(NoExternalUse.class)
    public String displayableOwner() {
        AccessToken value = tokenOrNull(token);
        return value != null && value.isFoundIn(getOwner()) ? "" : getOwner();
    }

    /** Same token, owner, name and settings: nothing was saved over it since {@code other} was read. */
    @Restricted(NoExternalUse.class)
    public boolean sameAs(@NonNull SpellTokenCredentialsImpl other) {
        return Secret.toString(token).equals(Secret.toString(other.token))
                && getOwner().equals(other.getOwner())
                && java.util.Objects.equals(getTokenName(), other.getTokenName())
                && rotateEveryDays == other.rotateEveryDays
                && getScope() == other.getScope()
                && java.util.Objects.equals(getDescription(), other.getDescription());
    }

    /** Token names this credential's rotations replaced. */
    @NonNull
    @Restricted(NoExternalUse.class)
    public List<String> getRotatedOut() {
        return rotatedOut == null ? List.of() : Collections.unmodifiableList(rotatedOut);
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
    @Restricted(NoExternalUse.class)
    public SpellTokenCredentialsImpl rotatedTo(@NonNull Secret newToken, @NonNull String newName, @NonNull String logLine) {
        SpellTokenCredentialsImpl copy = new SpellTokenCredentialsImpl(getScope(), getId(), getDescription(), newToken, owner, false);
        copy.tokenName = newName;
        copy.rotateEveryDays = rotateEveryDays;
        List<String> lines = new ArrayList<>(getRotations());
        lines.add(logLine);
        // bounded: credentials.xml stays small however long a credential lives
        copy.rotations = new ArrayList<>(lines.subList(Math.max(0, lines.size() - MAX_ROTATION_LINES), lines.size()));
        List<String> out = new ArrayList<>(getRotatedOut());
        if (tokenName != null) {
            out.add(tokenName);
        }
        copy.rotatedOut = new ArrayList<>(out.subList(Math.max(0, out.size() - MAX_ROTATION_LINES), out.size()));
        return copy;
    }

    /** This credential as saved from its form, with the history of {@code before} (the version the form replaces). */
    private SpellTokenCredentialsImpl keepingHistoryOf(@NonNull SpellTokenCredentialsImpl before) {
        rotations = before.rotations == null ? null : new ArrayList<>(before.rotations);
        rotatedOut = before.rotatedOut == null ? null : new ArrayList<>(before.rotatedOut);
        return this;
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

        /**
         * Saved from the credential's page: keeps the rotation history of the version it replaces (the form does not
         * carry it). Stapler falls back to the constructor if this throws, so nothing here may refuse.
         */
        @Override
        public Credentials newInstance(@CheckForNull StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            Credentials made = super.newInstance(req, formData);
            if (req != null && made instanceof SpellTokenCredentialsImpl saved) {
                CredentialsStoreAction.CredentialsWrapper page =
                        req.findAncestorObject(CredentialsStoreAction.CredentialsWrapper.class);
                if (page != null && page.getCredentials() instanceof SpellTokenCredentialsImpl before
                        && before.getId().equals(saved.getId())) {
                    return saved.keepingHistoryOf(before);
                }
            }
            return made;
        }

        /** Only the owner's syntax (core's rules) and that it is not the token typed beside it; no network call. */
        @POST
        public FormValidation doCheckOwner(
                @ContextInPath ModelObject context, @QueryParameter String value, @QueryParameter String token) {
            if (!mayManageCredentialsIn(context) || Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok(); // nothing typed yet: no error on a fresh form
            }
            try {
                Owner owner = Owner.of(value, "owner");
                AccessToken typed = typedToken(token);
                if (typed != null) {
                    owner.requireDistinctFrom(typed, "owner", "the Access token field");
                }
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        /**
         * The token as typed into the form, or null when the field holds stored ciphertext (never decrypted for a
         * check: that would tell anyone what a stored secret contains) or no token.
         */
        @CheckForNull
        private static AccessToken typedToken(@CheckForNull String raw) {
            if (Util.fixEmpty(raw) == null || Secret.decrypt(raw) != null) {
                return null;
            }
            try {
                return AccessToken.of(raw, "token");
            } catch (InvalidInputException e) {
                return null;
            }
        }

        /**
         * The "Test token" button: asks the Spell API configured by the administrator (never a URL from the
         * request) who the token belongs to and whether it may act for the owner. Answers in plain text
         * (escaped by Jenkins), never with the token. Stored ciphertext is used only when it is the value of the
         * very credential being edited ({@code id} in this store); anything else is taken as typed text, so that
         * nobody can make the controller use a secret from elsewhere.
         */
        @POST
        public FormValidation doTestToken(@ContextInPath ModelObject context, @QueryParameter String owner,
                @QueryParameter String token, @QueryParameter String id) {
            if (!mayManageCredentialsIn(context)) {
                throw new AccessDeniedException(Messages.SpellTokenCredentialsImpl_mayNotTest(
                        Jenkins.getAuthentication2().getName()));
            }
            AccessToken accessToken;
            Owner spellOwner;
            ApiUrl apiUrl;
            try {
                accessToken = AccessToken.of(ownValueOrTyped(context, id, token), "token");
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

        /** The stored value when {@code raw} is the edited credential's own ciphertext (and the user may update it). */
        private static String ownValueOrTyped(@CheckForNull ModelObject context, @CheckForNull String id, @CheckForNull String raw) {
            String text = Util.fixNull(raw);
            String credentialId = Util.fixEmptyAndTrim(id);
            if (credentialId == null || Secret.decrypt(text) == null) {
                return text;
            }
            ModelObject where = context == null ? Jenkins.get() : context;
            SpellStoredCredential stored = SpellStoredCredential.find(where, credentialId);
            if (stored != null && stored.store().hasPermission(CredentialsProvider.UPDATE)
                    && text.equals(stored.credential().getToken().getEncryptedValue())) {
                return Secret.toString(stored.credential().getToken());
            }
            return text;
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

        /** The token name is optional; when given it must not be the token typed beside it (names are shown in clear). */
        @POST
        public FormValidation doCheckTokenName(
                @ContextInPath ModelObject context, @QueryParameter String value, @QueryParameter String token) {
            if (!mayManageCredentialsIn(context) || Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok();
            }
            AccessToken typed = typedToken(token);
            if (typed != null && typed.isFoundIn(value.trim())) {
                try {
                    typed.requireNotIn(value.trim(), "tokenName", "set Token name to the name `spell access-tokens list`"
                            + " shows for this token; the token itself goes in the Access token field");
                } catch (InvalidInputException e) {
                    return FormValidation.error(e.getMessage());
                }
            }
            return FormValidation.ok();
        }

        /** Days; the Configuration as Code warning only for a credential that this controller's YAML defines. */
        @POST
        public FormValidation doCheckRotateEveryDays(
                @ContextInPath ModelObject context, @QueryParameter String value, @QueryParameter String id) {
            if (!mayManageCredentialsIn(context)) {
                return FormValidation.ok();
            }
            try {
                int days = Integer.parseInt(Util.fixEmptyAndTrim(value) == null ? "0" : value.trim());
                if (days < 0) {
                    return FormValidation.error(Messages.SpellTokenCredentialsImpl_badRotateEveryDays());
                }
                return days > 0 && SpellCascSources.defines(Util.fixEmptyAndTrim(id))
                        ? FormValidation.warning(Messages.SpellTokenCredentialsImpl_cascWarning())
                        : FormValidation.ok();
            } catch (NumberFormatException e) {
                return FormValidation.error(Messages.SpellTokenCredentialsImpl_badRotateEveryDays());
            }
        }

        /** Where this credential is rotated: a page of its own, outside this form (a stale form must not undo it). */
        @Restricted(NoExternalUse.class)
        public String rotatePageOf(@CheckForNull String id) {
            return SpellRotateAction.URL_NAME + "/?id=" + Util.rawEncode(Util.fixNull(id));
        }
    }
}

package io.jenkins.plugins.spell.hygiene;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.ModelObject;
import hudson.model.RootAction;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.spellci.core.InvalidInputException;
import io.spellci.core.hygiene.RotationException;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * "Rotate Spell token": a page of its own ({@code /spell-rotate/?id=...}), linked from the credential's form and
 * from the monitor, outside the edit form so that a form opened before the rotation cannot be saved over it. Lists
 * the credentials of that id the user may update (system store, folder stores); Rotate is a POST that needs
 * {@code UPDATE} on the store the credential is in.
 */
@Extension
@Restricted(NoExternalUse.class)
public class SpellRotateAction implements RootAction {
    public static final String URL_NAME = "spell-rotate";

    @Override
    public String getIconFileName() {
        return null; // no link in the side panel: reached from a credential or the monitor
    }

    @Override
    public String getDisplayName() {
        return Messages.SpellRotateAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** One credential the page offers to rotate. */
    public record Candidate(String store, String storeName, String id, String owner, String tokenName,
            List<String> rotations, @CheckForNull String refusal) {
        public String getStore() {
            return store;
        }

        public String getStoreName() {
            return storeName;
        }

        public String getId() {
            return id;
        }

        public String getOwner() {
            return owner;
        }

        public String getTokenName() {
            return tokenName;
        }

        public List<String> getRotations() {
            return rotations;
        }

        /** Why Rotate is refused for it (no token name, Configuration as Code, a shared token), or null. */
        @CheckForNull
        public String getRefusal() {
            return refusal;
        }
    }

    /** The credentials named {@code id} in the system store and folder stores that the current user may update. */
    public List<Candidate> candidates(@CheckForNull String id) {
        String wanted = Util.fixEmptyAndTrim(id);
        List<Candidate> result = new ArrayList<>();
        if (wanted == null) {
            return result;
        }
        List<SpellStoredCredential> found = new ArrayList<>();
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            for (SpellStoredCredential c : SpellStoredCredential.all()) {
                if (wanted.equals(c.credential().getId())) {
                    found.add(c);
                }
            }
        }
        for (SpellStoredCredential c : found) {
            if (!c.store().hasPermission(CredentialsProvider.UPDATE)) {
                continue; // not even named to someone who may not change it
            }
            String refusal;
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                refusal = SpellRotations.refusal(c);
            }
            String tokenName = c.credential().displayableTokenName();
            result.add(new Candidate(contextKey(c), c.storeName(), c.credential().getId(), c.credential().displayableOwner(),
                    tokenName == null ? "" : tokenName, c.credential().getRotations(), refusal));
        }
        return result;
    }

    private static String contextKey(SpellStoredCredential c) {
        ModelObject context = c.store().getContext();
        return context instanceof Item item ? item.getFullName() : "";
    }

    /** Rotates credential {@code id} of the store of {@code store} (a folder's full name; empty for the system store). */
    @POST
    public HttpResponse doRotate(@QueryParameter String store, @QueryParameter String id) {
        Jenkins.get().checkPermission(Jenkins.READ);
        String credentialId = Util.fixEmptyAndTrim(id);
        String where = Util.fixEmptyAndTrim(store);
        ModelObject context;
        if (where == null) {
            context = Jenkins.get();
        } else {
            Item item = Jenkins.get().getItemByFullName(where);
            context = item instanceof ItemGroup ? item : null;
        }
        SpellStoredCredential stored = context == null || credentialId == null ? null : SpellStoredCredential.find(context, credentialId);
        if (stored == null) {
            return HttpResponses.errorWithoutStack(404, Messages.SpellRotations_notFound(Util.fixNull(credentialId)));
        }
        stored.store().checkPermission(CredentialsProvider.UPDATE);
        String user = Jenkins.getAuthentication2().getName();
        String message;
        boolean ok;
        try {
            SpellRotations.Outcome outcome = SpellRotations.rotate(stored, Messages.SpellRotations_byButton(user));
            message = SpellRotations.describe(outcome);
            ok = true;
        } catch (RotationException | InvalidInputException e) {
            message = e.getMessage();
            ok = false;
        }
        return HttpResponses.forwardToView(this, "done").with("message", message).with("ok", ok)
                .with("credentialId", stored.credential().getId());
    }
}

package io.jenkins.plugins.spell.hygiene;

import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

import io.jenkins.plugins.spell.SpellTokenCredentialsImpl;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.CredentialsStoreAction;
import com.cloudbees.plugins.credentials.domains.Domain;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.ModelObject;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * A Spell credential together with the store and domain holding it: what the check lists and a rotation updates.
 * Only the system store and the stores of folders (any item group's own store) count; user stores are private.
 */
@Restricted(NoExternalUse.class)
public record SpellStoredCredential(CredentialsStore store, Domain domain, SpellTokenCredentialsImpl credential) {

    /** Unique per store and id, for locks and the monitor. */
    public String key() {
        return contextName() + "|" + domain.getName() + "|" + credential.getId();
    }

    /** "Jenkins (system)" or the folder's full name: where a person finds it. */
    public String storeName() {
        ModelObject context = store.getContext();
        return context instanceof Jenkins ? Messages.SpellTokenHygiene_systemStore() : contextName();
    }

    private String contextName() {
        ModelObject context = store.getContext();
        return context instanceof Item item ? item.getFullName() : "";
    }

    /** The credential's page, relative to the root URL. */
    public String link() {
        ModelObject context = store.getContext();
        String base = context instanceof Item item ? item.getUrl() : "manage/";
        CredentialsStoreAction action = store.getStoreAction();
        String storeUrl = action != null ? action.getUrlName() : (context instanceof Jenkins ? "system" : "folder");
        return base + "credentials/store/" + storeUrl + "/" + domain.getUrl() + "credential/" + Util.rawEncode(credential.getId()) + "/";
    }

    /** The system store's and every folder store's Spell credentials. Call as SYSTEM or as a user who may see them. */
    public static List<SpellStoredCredential> all() {
        List<SpellStoredCredential> result = new ArrayList<>();
        collect(Jenkins.get(), result);
        for (Item item : Jenkins.get().getAllItems(Item.class)) {
            if (item instanceof ItemGroup) {
                collect(item, result);
            }
        }
        return result;
    }

    /** The credential {@code id} in {@code context}'s own store(s), or null. */
    @CheckForNull
    public static SpellStoredCredential find(@NonNull ModelObject context, @NonNull String id) {
        List<SpellStoredCredential> found = new ArrayList<>();
        collect(context, found);
        return found.stream().filter(c -> id.equals(c.credential().getId())).findFirst().orElse(null);
    }

    /** The credential {@code id} as {@code store} holds it in {@code domain} now, or null. */
    @CheckForNull
    public static SpellStoredCredential find(@NonNull CredentialsStore store, @NonNull Domain domain, @NonNull String id) {
        for (Credentials c : store.getCredentials(domain)) {
            if (c instanceof SpellTokenCredentialsImpl spell && id.equals(spell.getId())) {
                return new SpellStoredCredential(store, domain, spell);
            }
        }
        return null;
    }

    /** The stores that belong to {@code context} itself (not those it inherits). */
    public static List<CredentialsStore> ownStores(ModelObject context) {
        List<CredentialsStore> stores = new ArrayList<>();
        for (CredentialsStore store : CredentialsProvider.lookupStores(context)) {
            if (store.getContext() == context) {
                stores.add(store);
            }
        }
        return stores;
    }

    private static void collect(ModelObject context, List<SpellStoredCredential> into) {
        for (CredentialsStore store : ownStores(context)) {
            for (Domain domain : store.getDomains()) {
                for (Credentials c : store.getCredentials(domain)) {
                    if (c instanceof SpellTokenCredentialsImpl spell) {
                        into.add(new SpellStoredCredential(store, domain, spell));
                    }
                }
            }
        }
    }
}

package io.jenkins.plugins.spell;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * The credential drop-down and its check, shared by the binding's and the step's descriptors. Callers check
 * permissions first ({@link #mayList}); listing is done as SYSTEM only after that, and never shows
 * SYSTEM-scoped credentials (jobs cannot use them).
 */
final class SpellCredentialsListing {

    private SpellCredentialsListing() {}

    /** {@code Jenkins.ADMINISTER} without an item; {@code Item.EXTENDED_READ} or {@code USE_ITEM} with one. */
    static boolean mayList(@CheckForNull Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    /** What a user without {@link #mayList} permission gets: the current value only, so saving keeps it. */
    static ListBoxModel currentOnly(@CheckForNull String current) {
        return new StandardListBoxModel().includeCurrentValue(Util.fixNull(current));
    }

    static ListBoxModel list(@CheckForNull Item item, @CheckForNull String current) {
        StandardListBoxModel model = new StandardListBoxModel();
        model.includeEmptyValue();
        if (item == null) {
            model.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), SpellTokenCredentials.class, List.of(), usable());
        } else {
            model.includeMatchingAs(ACL.SYSTEM2, item, SpellTokenCredentials.class, List.of(), usable());
        }
        model.includeCurrentValue(Util.fixNull(current));
        return model;
    }

    static FormValidation check(@CheckForNull Item item, @CheckForNull String value) {
        String id = Util.fixEmptyAndTrim(value);
        if (id == null) {
            return FormValidation.error(Messages.SpellCredentialsListing_required());
        }
        if (id.startsWith("${") && id.endsWith("}")) {
            return FormValidation.warning(Messages.SpellCredentialsListing_expression());
        }
        CredentialsMatcher matcher = CredentialsMatchers.allOf(CredentialsMatchers.withId(id), usable());
        ListBoxModel found = item == null
                ? CredentialsProvider.listCredentialsInItemGroup(
                        SpellTokenCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of(), matcher)
                : CredentialsProvider.listCredentialsInItem(
                        SpellTokenCredentials.class, item, ACL.SYSTEM2, List.of(), matcher);
        if (found.isEmpty()) {
            return FormValidation.error(Messages.SpellCredentialsListing_notFound(id));
        }
        return FormValidation.ok();
    }

    @NonNull
    private static CredentialsMatcher usable() {
        return CredentialsMatchers.not(CredentialsMatchers.withScope(CredentialsScope.SYSTEM));
    }
}

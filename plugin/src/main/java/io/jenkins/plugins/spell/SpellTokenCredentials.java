package io.jenkins.plugins.spell;

import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.NameWith;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * A Spell access token and the owner (user or organization) it acts for.
 *
 * <p>It is a {@link StringCredentials} whose {@link #getSecret()} is the token, so the same credential also
 * works with {@code string(credentialsId: ..., variable: ...)} bindings and Declarative {@code credentials('id')}.
 */
@NameWith(value = SpellTokenCredentials.NameProvider.class, priority = 1)
public interface SpellTokenCredentials extends StringCredentials {

    /** The access token (stored encrypted). Same value as {@link #getSecret()}. */
    @NonNull
    Secret getToken();

    /** The Spell user or organization name this token acts for. Not secret. */
    @NonNull
    String getOwner();

    /** Names a credential by its description, else its id, else "Spell token for &lt;owner&gt;". */
    class NameProvider extends CredentialsNameProvider<SpellTokenCredentials> {
        @NonNull
        @Override
        public String getName(@NonNull SpellTokenCredentials c) {
            String description = Util.fixEmptyAndTrim(c.getDescription());
            if (description != null) {
                return description;
            }
            String id = Util.fixEmptyAndTrim(c.getId());
            if (id != null && !looksGenerated(id)) {
                return id;
            }
            return Messages.SpellTokenCredentials_name(c.getOwner());
        }

        /** Ids left blank in the form become random UUIDs; those say nothing to a person. */
        private static boolean looksGenerated(String id) {
            return id.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        }
    }
}

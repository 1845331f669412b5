package io.jenkins.plugins.spell;

import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.NameWith;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.util.Secret;
import java.util.Locale;
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

    /** The token's name in Spell, or null when not set. Not secret. */
    @CheckForNull
    default String getTokenName() {
        return null;
    }

    /**
     * Names a credential as other credential types name theirs by user name: {@code owner/token name (description)},
     * so that two with the same description differ in every drop-down. A name or owner holding the token (saved
     * by an older version) is left out.
     */
    class NameProvider extends CredentialsNameProvider<SpellTokenCredentials> {
        @NonNull
        @Override
        public String getName(@NonNull SpellTokenCredentials c) {
            String token = Secret.toString(c.getToken());
            String owner = shown(c.getOwner(), token);
            String tokenName = shown(c.getTokenName(), token);
            String who = owner == null ? null : tokenName == null ? owner : owner + "/" + tokenName;
            String description = Util.fixEmptyAndTrim(c.getDescription());
            String id = Util.fixEmptyAndTrim(c.getId());
            String label = description != null ? description : id != null && !looksGenerated(id) ? id : null;
            if (who == null) {
                return label != null ? label : Messages.SpellTokenCredentials_name("?");
            }
            return label != null ? who + " (" + label + ")" : Messages.SpellTokenCredentials_name(who);
        }

        @CheckForNull
        private static String shown(@CheckForNull String text, String token) {
            String t = Util.fixEmptyAndTrim(text);
            if (t == null) {
                return null;
            }
            boolean holdsToken = !token.isEmpty() && (t.equals(token)
                    || token.length() >= 8 && t.toLowerCase(Locale.ROOT).contains(token.toLowerCase(Locale.ROOT)));
            return holdsToken ? null : t;
        }

        /** Ids left blank in the form become random UUIDs; those say nothing to a person. */
        private static boolean looksGenerated(String id) {
            return id.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        }
    }
}

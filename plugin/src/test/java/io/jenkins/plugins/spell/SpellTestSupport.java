package io.jenkins.plugins.spell;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProvider;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.util.Secret;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import hudson.model.Run;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.jvnet.hudson.test.JenkinsRule;

/** Shared fixtures: a fake Spell API with user alice (organization acme), credentials, and a grep. */
public final class SpellTestSupport {

    public static final String USER = "alice";
    public static final String OWNER = "acme";
    /** The stored token. Long and unusual enough that finding it anywhere means it leaked. */
    public static final String TOKEN = "sp3ll-st0red-t0ken-9f8e7d6c5b4a";
    /** Prefix of the values the fake gives to tokens created through the API (ephemeral tokens). */
    public static final String EPHEMERAL_VALUE_PREFIX = "sp3ll-ephemeral-v4lue-";
    public static final String CREDENTIALS_ID = "spell-ci";

    private SpellTestSupport() {}

    /** A fake Spell API with alice (member of acme) and her stored token "ci"; created tokens get predictable values. */
    public static FakeSpellApi startFakeApi() {
        AtomicInteger created = new AtomicInteger();
        return FakeSpellApi.builder()
                .user(FakeUser.of(USER, "alice@example.com", OWNER))
                .token(USER, "ci", TOKEN)
                .tokenGenerator(() -> EPHEMERAL_VALUE_PREFIX + created.incrementAndGet())
                .build()
                .start();
    }

    public static SpellTokenCredentialsImpl credential(String id, String owner) {
        return new SpellTokenCredentialsImpl(
                CredentialsScope.GLOBAL, id, "Spell CI token", Secret.fromString(TOKEN), owner);
    }

    public static void addSystemCredential(JenkinsRule r, Credentials c) throws IOException {
        CredentialsProvider.lookupStores(r.jenkins).iterator().next().addCredentials(Domain.global(), c);
    }

    public static void addFolderCredential(AbstractFolder<?> folder, Credentials c) throws IOException {
        for (CredentialsStore store : CredentialsProvider.lookupStores(folder)) {
            if (store.getProvider() instanceof FolderCredentialsProvider && store.getContext() == folder) {
                store.addCredentials(Domain.global(), c);
                return;
            }
        }
        throw new AssertionError("no credentials store on folder " + folder.getFullName());
    }

    /** Points the plugin at the fake API (plain http is accepted for loopback only). */
    public static void useFakeApi(FakeSpellApi fake) {
        SpellConfiguration.get().setApiUrl(fake.url());
    }

    /** Files under {@code dir} (relative paths) whose bytes contain {@code text}, e.g. a token: must stay empty. */
    public static Set<String> grep(File dir, String text) throws IOException {
        Set<String> matches = new TreeSet<>();
        grep(dir, text, "", matches);
        return matches;
    }

    private static void grep(File dir, String text, String prefix, Set<String> matches) throws IOException {
        File[] kids = dir.listFiles();
        if (kids == null) {
            return;
        }
        for (File kid : kids) {
            String qualifiedName = prefix + kid.getName();
            if (kid.isDirectory()) {
                grep(kid, text, qualifiedName + "/", matches);
            } else if (kid.isFile()
                    && new String(Files.readAllBytes(kid.toPath()), StandardCharsets.ISO_8859_1).contains(text)) {
                matches.add(qualifiedName);
            }
        }
    }

    /**
     * Neither the stored token nor any per-build token value is in the build's log (the console page shows that
     * text) or in any file of the build directory.
     */
    public static void assertNoTokenIn(JenkinsRule r, Run<?, ?> b) throws Exception {
        r.assertLogNotContains(TOKEN, b);
        r.assertLogNotContains(EPHEMERAL_VALUE_PREFIX, b);
        Set<String> files = grep(b.getRootDir(), TOKEN);
        files.addAll(grep(b.getRootDir(), EPHEMERAL_VALUE_PREFIX));
        if (!files.isEmpty()) {
            throw new AssertionError("a token value is in " + files + " of " + b);
        }
    }

    /** Neither token value is in an answer (a form message, an error page). */
    public static void assertNoTokenIn(String page) {
        if (page.contains(TOKEN) || page.contains(EPHEMERAL_VALUE_PREFIX)) {
            throw new AssertionError("a token value is in: " + page);
        }
    }

    /** A step that prints the owner and the token (masked by Jenkins) and saves the token to token.txt. */
    public static String printAndSaveToken(String tokenVariable, String ownerVariable) {
        return "if (isUnix()) {\n"
                + "  sh 'echo \"token=$" + tokenVariable + " owner=$" + ownerVariable + "\"; printf %s \"$"
                + tokenVariable + "\" > token.txt'\n"
                + "} else {\n"
                + "  bat '@echo token=%" + tokenVariable + "% owner=%" + ownerVariable + "%\\r\\n@echo %"
                + tokenVariable + "%> token.txt'\n"
                + "}\n";
    }
}

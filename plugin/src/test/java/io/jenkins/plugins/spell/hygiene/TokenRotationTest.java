package io.jenkins.plugins.spell.hygiene;

import io.jenkins.plugins.spell.SpellConfiguration;
import io.jenkins.plugins.spell.SpellTestSupport;
import io.jenkins.plugins.spell.SpellTokenCredentialsImpl;

import static io.jenkins.plugins.spell.SpellTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.spell.SpellTestSupport.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.Secret;
import io.spellci.core.hygiene.RotationException;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Rotation through the credential's store: the Rotate page and its permission, each failure, the refusals (shared
 * token, changed meanwhile, Configuration as Code), two at once, automatic rotation, and the pending delete.
 */
@WithJenkins
class TokenRotationTest {
    private static final String ROTATE = "spell-rotate/rotate?store=&id=" + CREDENTIALS_ID;
    private JenkinsRule r;
    private HygieneTestSupport h;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        h = new HygieneTestSupport(40);
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, CredentialsProvider.UPDATE, CredentialsProvider.VIEW).everywhere().to("updater")
                .grant(Jenkins.READ, CredentialsProvider.VIEW).everywhere().to("viewer"));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private SpellTokenCredentialsImpl stored() {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            return SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID).credential();
        }
    }

    /** POSTs Rotate as {@code user}: the status and, for a page, its text. */
    private Answer press(String user) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().login(user);
        wc.setThrowExceptionOnFailingStatusCode(false);
        Page page = wc.getPage(wc.addCrumb(new WebRequest(new URL(r.getURL(), ROTATE), HttpMethod.POST)));
        int status = page.getWebResponse().getStatusCode();
        return new Answer(status, page instanceof HtmlPage html ? html.asNormalizedText() : page.getWebResponse().getContentAsString());
    }

    private record Answer(int status, String text) {}

    @Test
    void rotateStoresTheSuccessorKeepsTheOldAndLeavesALineOnTheCredentialAndInTheLog() throws Exception {
        Answer a = press("updater");
        assertEquals(200, a.status());
        assertTrue(a.text().contains("Rotated: the credential now holds the new token 'ci-r20261201'"), a.text());
        assertTrue(a.text().contains("The periodic check is off, so nothing deletes 'ci'"), "says who deletes the old: " + a.text());
        assertEquals(List.of("ci", "ci-r20261201"), h.fake.tokenNames(USER), "the old token is not deleted at once");
        SpellTokenCredentialsImpl c = stored();
        assertEquals("ci-r20261201", c.getTokenName());
        assertTrue(h.fake.hasToken(Secret.toString(c.getToken())), "the stored token is the working successor");
        assertEquals(List.of("2026-12-01T10:00:00Z: rotated ci to ci-r20261201 (Rotate, by updater)"), c.getRotations());
        assertTrue(h.log.stream().anyMatch(l -> l.contains("rotated ci to ci-r20261201")), h.log.toString());
        assertEquals(1, SpellHygieneState.get().getPendingDeletes().size());
        String xml = Files.readString(new File(r.jenkins.getRootDir(), "credentials.xml").toPath());
        assertTrue(xml.contains("<tokenName>ci-r20261201</tokenName>"), "persisted");
        h.assertNoTokenValue(r.jenkins.getRootDir(), a.text());
    }

    @Test
    void rotateNeedsTheStoresUpdatePermissionAndAPost() throws Exception {
        Answer denied = press("viewer");
        assertEquals(403, denied.status());
        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        wc.setThrowExceptionOnFailingStatusCode(false);
        int get = wc.goTo(ROTATE, null).getWebResponse().getStatusCode();
        assertTrue(get == 404 || get == 405, "GET refused by @POST, got " + get);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER), "nothing rotated");
        assertEquals(SpellTestSupport.TOKEN, Secret.toString(stored().getToken()));
        h.assertNoTokenValue(r.jenkins.getRootDir(), denied.text());
    }

    @Test
    void aFailingCreateChangesNothing() throws Exception {
        h.fake.failNextOf(1, 403, "POST");
        String text = press("admin").text();
        assertTrue(text.contains("creating the new token"), text);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER));
        assertEquals(SpellTestSupport.TOKEN, Secret.toString(stored().getToken()));
        assertTrue(SpellHygieneState.get().getPendingDeletes().isEmpty());
        h.assertNoTokenValue(r.jenkins.getRootDir(), text);
    }

    @Test
    void aFailingStoreDeletesTheNewTokenAndKeepsTheOld() throws Exception {
        File xml = new File(r.jenkins.getRootDir(), "credentials.xml");
        assertTrue(xml.delete());
        assertTrue(new File(xml, "blocker").mkdirs()); // a directory where the file goes: the save fails, even as root
        try {
            String text = press("admin").text();
            assertTrue(text.contains("storing the new token"), text);
            assertTrue(text.contains("was deleted again"), text);
        } finally {
            new File(xml, "blocker").delete();
            xml.delete();
        }
        assertEquals(List.of("ci"), h.fake.tokenNames(USER), "the successor was deleted");
        assertEquals(SpellTestSupport.TOKEN, Secret.toString(stored().getToken()), "the old credential is back in memory");
        assertTrue(SpellHygieneState.get().getPendingDeletes().isEmpty());
        h.assertNoTokenValue(r.jenkins.getRootDir());
    }

    @Test
    void aTokenHeldBySeveralCredentialsIsNotRotated() throws Exception {
        Folder team = r.jenkins.createProject(Folder.class, "team");
        SpellTestSupport.addFolderCredential(team, HygieneTestSupport.credential("team-copy", "ci"));
        String text = press("admin").text();
        assertTrue(text.contains("holds the same token as 'team-copy' (team)"), text);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER), "no successor made");
        assertEquals(0, h.fake.requests().size(), "refused before any call");
        String page = r.createWebClient().login("admin").goTo("spell-rotate/?id=" + CREDENTIALS_ID).asNormalizedText();
        assertTrue(page.contains("holds the same token as 'team-copy' (team)"), "the page says so instead of a button: " + page);
        h.assertNoTokenValue(r.jenkins.getRootDir(), text, page);
    }

    @Test
    void aCredentialChangedWhileTheRotationRunsKeepsTheChangeAndLosesTheSuccessor() throws Exception {
        h.fake.delayNext(1, Duration.ofSeconds(3)); // holds the rotation's first call
        SpellStoredCredential c = SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID);
        CompletableFuture<Throwable> rotation = CompletableFuture.supplyAsync(() -> {
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                SpellRotations.rotate(c, "test");
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        Thread.sleep(1000);
        SpellTokenCredentialsImpl edited = HygieneTestSupport.credential(CREDENTIALS_ID, "ci");
        edited = new SpellTokenCredentialsImpl(CredentialsScope.GLOBAL, CREDENTIALS_ID, "edited meanwhile",
                edited.getToken(), SpellTestSupport.OWNER);
        edited.setTokenName("ci");
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            c.store().updateCredentials(c.domain(), c.credential(), edited);
        }
        Throwable failed = rotation.get(30, TimeUnit.SECONDS);
        assertTrue(failed instanceof RotationException, String.valueOf(failed));
        assertTrue(failed.getMessage().contains("was changed while the rotation ran"), failed.getMessage());
        assertTrue(failed.getMessage().contains("was deleted again"), failed.getMessage());
        assertEquals("edited meanwhile", stored().getDescription(), "the edit is kept");
        assertEquals("ci", stored().getTokenName());
        assertEquals(List.of("ci"), h.fake.tokenNames(USER), "the successor is gone");
        h.assertNoTokenValue(r.jenkins.getRootDir(), failed.getMessage());
    }

    @Test
    void twoRotationsOfOneCredentialNeverRunAtOnce() throws Exception {
        h.fake.delayNext(1, Duration.ofSeconds(3)); // holds the first rotation's first call
        SpellStoredCredential c = SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID);
        CompletableFuture<SpellRotations.Outcome> first = CompletableFuture.supplyAsync(() -> {
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                return SpellRotations.rotate(c, "test");
            } catch (RotationException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(1000);
        RotationException second = assertThrows(RotationException.class, () -> SpellRotations.rotate(c, "test"));
        assertTrue(second.getMessage().contains("already running"), second.getMessage());
        assertEquals("ci-r20261201", first.get(30, TimeUnit.SECONDS).newName());
        assertEquals(List.of("ci", "ci-r20261201"), h.fake.tokenNames(USER), "one successor, not two");
        h.assertNoTokenValue(r.jenkins.getRootDir(), second.getMessage());
    }

    @Test
    void configurationAsCodeCredentialsAreRefusedByTheCheckAndOnThePage() throws Exception {
        SpellTokenCredentialsImpl every = HygieneTestSupport.credential(CREDENTIALS_ID, "ci");
        every.setRotateEveryDays(30);
        File yaml = new File(r.jenkins.getRootDir(), "jenkins.yaml");
        Files.writeString(yaml.toPath(), "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n"
                + "          - spellToken:\n              id: \"" + CREDENTIALS_ID + "\"\n");
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            SpellStoredCredential c = SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID);
            c.store().updateCredentials(c.domain(), c.credential(), every);
        }
        SpellTokenHygiene.get().check(TaskListener.NULL);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER), "defined in jenkins.yaml: not rotated");
        SpellHygieneEntry e = SpellHygieneState.get().getEntries().get(0);
        assertTrue(e.getProblems().get(0).contains("is defined by Configuration as Code"), e.toString());

        Answer a = press("admin");
        assertTrue(a.text().contains("is defined by Configuration as Code"), "the page refuses it too: " + a.text());
        assertEquals(List.of("ci"), h.fake.tokenNames(USER));

        assertTrue(yaml.delete());
        SpellTokenHygiene.get().check(TaskListener.NULL);
        assertEquals(List.of("ci", "ci-r20261201"), h.fake.tokenNames(USER), "40 days > 30: rotated by the check");
        assertEquals("ci-r20261201", stored().getTokenName());
        assertEquals(30, stored().getRotateEveryDays(), "kept");
        assertTrue(stored().getRotations().get(0).endsWith("(every 30 days)"));
        assertTrue(SpellHygieneState.get().getEntries().isEmpty(), "a fresh token needs nothing");

        h.advanceDays(10);
        SpellTokenHygiene.get().check(TaskListener.NULL);
        assertEquals(List.of("ci-r20261201"), h.fake.tokenNames(USER),
                "10 days later: the successor is not due, the old one, unused, is deleted");
        h.assertNoTokenValue(r.jenkins.getRootDir(), a.text());
    }

    @Test
    void aFailedDeleteOfTheOldTokenIsRetriedByTheNextCheck() throws Exception {
        assertEquals(200, press("admin").status());
        h.advanceHours(25);
        h.fake.failNextOf(1, 403, "DELETE");
        String out = HygieneTestSupport.check();
        assertTrue(out.contains("Could not delete the rotated-out token 'ci'"), out);
        assertTrue(h.fake.hasToken(SpellTestSupport.TOKEN));
        assertEquals(1, SpellHygieneState.get().getPendingDeletes().size(), "still pending");
        h.advanceHours(6);
        out = HygieneTestSupport.check();
        assertFalse(h.fake.hasToken(SpellTestSupport.TOKEN), out);
        assertTrue(SpellHygieneState.get().getPendingDeletes().isEmpty());
        h.assertNoTokenValue(r.jenkins.getRootDir(), out);
    }

    @Test
    void aCredentialWithoutTokenNameIsNotRotated() throws Exception {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            SpellStoredCredential c = SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID);
            c.store().updateCredentials(c.domain(), c.credential(), HygieneTestSupport.credential(CREDENTIALS_ID, null));
        }
        String text = press("admin").text();
        assertTrue(text.contains("has no token name"), text);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER));
        h.assertNoTokenValue(r.jenkins.getRootDir(), text);
    }
}

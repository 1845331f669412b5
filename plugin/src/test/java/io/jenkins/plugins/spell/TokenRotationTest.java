package io.jenkins.plugins.spell;

import static io.jenkins.plugins.spell.SpellTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.spell.SpellTestSupport.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.TaskListener;
import hudson.util.Secret;
import io.spellci.core.hygiene.Rotation;
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
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Rotation through the credential's store: the button, its permission, each failure, two at once, automatic rotation. */
@WithJenkins
class TokenRotationTest {
    private static final String BUTTON = "descriptorByName/io.jenkins.plugins.spell.SpellTokenCredentialsImpl/rotateToken";
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
        return SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID).credential();
    }

    private WebResponse press(String user) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().login(user);
        wc.setThrowExceptionOnFailingStatusCode(false);
        WebRequest req = new WebRequest(new URL(r.getURL(), BUTTON + "?id=" + CREDENTIALS_ID), HttpMethod.POST);
        return wc.getPage(wc.addCrumb(req)).getWebResponse();
    }

    private String credentialsXml() throws Exception {
        return Files.readString(new File(r.jenkins.getRootDir(), "credentials.xml").toPath());
    }

    @Test
    void theButtonRotatesAndLeavesALineOnTheCredentialAndInTheLog() throws Exception {
        WebResponse rsp = press("updater");
        assertEquals(200, rsp.getStatusCode());
        String text = rsp.getContentAsString();
        assertTrue(text.contains("Rotated: the credential now holds the new token &#039;ci-r20261201&#039;")
                || text.contains("Rotated: the credential now holds the new token 'ci-r20261201'"), text);
        assertEquals(List.of("ci-r20261201"), h.fake.tokenNames(USER), "the old token is deleted");
        SpellTokenCredentialsImpl c = stored();
        assertEquals("ci-r20261201", c.getTokenName());
        assertTrue(h.fake.hasToken(Secret.toString(c.getToken())), "the stored token is the working successor");
        assertFalse(h.fake.hasToken(SpellTestSupport.TOKEN));
        assertEquals(List.of("2026-12-01T10:00:00Z: rotated ci to ci-r20261201 (Rotate button, by updater)"), c.getRotations());
        assertTrue(h.log.stream().anyMatch(l -> l.contains("rotated ci to ci-r20261201")), h.log.toString());
        String xml = credentialsXml();
        assertTrue(xml.contains("<tokenName>ci-r20261201</tokenName>"), "persisted");
        assertFalse(xml.contains(Secret.toString(c.getToken())), "the new value only encrypted");
        h.assertNoTokenValue(r.jenkins.getRootDir(), text);
    }

    @Test
    void theButtonNeedsTheStoresUpdatePermissionAndAPost() throws Exception {
        WebResponse denied = press("viewer");
        assertEquals(403, denied.getStatusCode());
        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        wc.setThrowExceptionOnFailingStatusCode(false);
        int get = wc.goTo(BUTTON + "?id=" + CREDENTIALS_ID, null).getWebResponse().getStatusCode();
        assertTrue(get == 404 || get == 405, "GET refused by @POST, got " + get);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER), "nothing rotated");
        assertEquals(SpellTestSupport.TOKEN, Secret.toString(stored().getToken()));
        h.assertNoTokenValue(r.jenkins.getRootDir(), denied.getContentAsString());
    }

    @Test
    void aFailingCreateChangesNothing() throws Exception {
        h.fake.failNextOf(1, 403, "POST");
        String text = press("admin").getContentAsString();
        assertTrue(text.contains("creating the new token"), text);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER));
        assertEquals(SpellTestSupport.TOKEN, Secret.toString(stored().getToken()));
        assertEquals("ci", stored().getTokenName());
        h.assertNoTokenValue(r.jenkins.getRootDir(), text);
    }

    @Test
    void aFailingStoreDeletesTheNewTokenAndKeepsTheOld() throws Exception {
        File xml = new File(r.jenkins.getRootDir(), "credentials.xml");
        assertTrue(xml.delete());
        assertTrue(new File(xml, "blocker").mkdirs()); // a directory where the file goes: the save fails, even as root
        try {
            String text = press("admin").getContentAsString();
            assertTrue(text.contains("storing the new token"), text);
            assertTrue(text.contains("was deleted again"), text);
        } finally {
            new File(xml, "blocker").delete();
            xml.delete();
        }
        assertEquals(List.of("ci"), h.fake.tokenNames(USER), "the successor was deleted");
        assertEquals(SpellTestSupport.TOKEN, Secret.toString(stored().getToken()), "the old credential is back in memory");
        assertTrue(h.fake.hasToken(SpellTestSupport.TOKEN));
        h.assertNoTokenValue(r.jenkins.getRootDir());
    }

    @Test
    void aFailingDeleteOfTheOldKeepsTheNewAndWarnsWithTheOldName() throws Exception {
        h.fake.failNextOf(1, 403, "DELETE");
        String text = press("admin").getContentAsString();
        assertTrue(text.contains("the old token &#039;ci&#039; could not be deleted")
                || text.contains("the old token 'ci' could not be deleted"), text);
        assertEquals(List.of("ci", "ci-r20261201"), h.fake.tokenNames(USER));
        assertEquals("ci-r20261201", stored().getTokenName());
        assertTrue(h.fake.hasToken(Secret.toString(stored().getToken())));
        SpellTokenHygieneMonitor monitor = r.jenkins.getExtensionList(hudson.model.AdministrativeMonitor.class)
                .get(SpellTokenHygieneMonitor.class);
        assertTrue(monitor.isActivated(), "the monitor names the old token to delete");
        assertTrue(monitor.getRotationWarnings().get(0).contains("'ci'"));
        h.assertNoTokenValue(r.jenkins.getRootDir(), text);
    }

    @Test
    void twoRotationsOfOneCredentialNeverRunAtOnce() throws Exception {
        h.fake.delayNext(1, Duration.ofSeconds(3)); // holds the first rotation's first call
        SpellStoredCredential c = SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID);
        CompletableFuture<Rotation.Result> first = CompletableFuture.supplyAsync(() -> {
            try (hudson.security.ACLContext ignored = hudson.security.ACL.as2(hudson.security.ACL.SYSTEM2)) {
                return SpellRotations.rotate(c, "test");
            } catch (RotationException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(1000);
        RotationException second = assertThrows(RotationException.class, () -> SpellRotations.rotate(c, "test"));
        assertTrue(second.getMessage().contains("already running"), second.getMessage());
        assertEquals("ci-r20261201", first.get(30, TimeUnit.SECONDS).newName());
        assertEquals(List.of("ci-r20261201"), h.fake.tokenNames(USER), "one successor, not two");
        h.assertNoTokenValue(r.jenkins.getRootDir(), second.getMessage());
    }

    @Test
    void rotateEveryNDaysRunsInTheCheckButIsRefusedForConfigurationAsCode() throws Exception {
        SpellTokenCredentialsImpl every = HygieneTestSupport.credential(CREDENTIALS_ID, "ci");
        every.setRotateEveryDays(30);
        File yaml = new File(r.jenkins.getRootDir(), "jenkins.yaml");
        Files.writeString(yaml.toPath(), "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n"
                + "          - spellToken:\n              id: \"" + CREDENTIALS_ID + "\"\n");
        try (hudson.security.ACLContext ignored = hudson.security.ACL.as2(hudson.security.ACL.SYSTEM2)) {
            SpellStoredCredential c = SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID);
            c.store().updateCredentials(c.domain(), c.credential(), every);
        }
        SpellTokenHygiene.get().check(TaskListener.NULL);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER), "defined in jenkins.yaml: not rotated");
        SpellHygieneEntry e = SpellHygieneState.get().getEntries().get(0);
        assertTrue(e.getProblems().get(0).contains("refused: the credential is defined by Configuration as Code"), e.toString());

        assertTrue(yaml.delete());
        SpellTokenHygiene.get().check(TaskListener.NULL);
        assertEquals(List.of("ci-r20261201"), h.fake.tokenNames(USER), "40 days > 30: rotated by the check");
        assertEquals("ci-r20261201", stored().getTokenName());
        assertEquals(30, stored().getRotateEveryDays(), "kept");
        assertTrue(stored().getRotations().get(0).endsWith("(every 30 days)"));
        assertTrue(SpellHygieneState.get().getEntries().isEmpty(), "a fresh token needs nothing");

        h.advanceDays(10);
        SpellTokenHygiene.get().check(TaskListener.NULL);
        assertEquals(List.of("ci-r20261201"), h.fake.tokenNames(USER), "10 days old: not yet due");
        h.assertNoTokenValue(r.jenkins.getRootDir());
    }

    @Test
    void aCredentialWithoutTokenNameIsNotRotated() throws Exception {
        try (hudson.security.ACLContext ignored = hudson.security.ACL.as2(hudson.security.ACL.SYSTEM2)) {
            SpellStoredCredential c = SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID);
            c.store().updateCredentials(c.domain(), c.credential(), HygieneTestSupport.credential(CREDENTIALS_ID, null));
        }
        String text = press("admin").getContentAsString();
        assertTrue(text.contains("has no token name"), text);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER));
        h.assertNoTokenValue(r.jenkins.getRootDir(), text);
    }
}

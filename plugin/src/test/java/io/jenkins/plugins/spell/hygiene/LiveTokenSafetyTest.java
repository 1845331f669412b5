package io.jenkins.plugins.spell.hygiene;

import io.jenkins.plugins.spell.SpellConfiguration;
import io.jenkins.plugins.spell.SpellTestSupport;
import io.jenkins.plugins.spell.SpellTokenCredentialsImpl;

import static io.jenkins.plugins.spell.SpellTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.spell.SpellTestSupport.TOKEN;
import static io.jenkins.plugins.spell.SpellTestSupport.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.Secret;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.SpellApi;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.ephemeral.EphemeralTokenName;
import java.time.Duration;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlElementUtil;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 18's first list on a real Jenkins, against the fake Spell API on a clock the test moves: nothing deletes a
 * token a live build may still use, nothing calls the API until an administrator asked, and Rotate works as a browser
 * presses it.
 */
@WithJenkins
class LiveTokenSafetyTest {
    private JenkinsRule r;
    private HygieneTestSupport h;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        h = new HygieneTestSupport(10);
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
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

    private SpellRotations.Outcome rotate() throws Exception {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            return SpellRotations.rotate(SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID), "test");
        }
    }

    private String perBuildName() {
        return h.fake.tokenNames(USER).stream().filter(n -> n.startsWith("ci-jenkins-")).findFirst().orElseThrow();
    }

    /** A call with {@code token}, as the build's own {@code spell} commands (or another holder of it) make. */
    private void use(String token) throws Exception {
        try (SpellApi api = SpellApi.builder().apiUrl(ApiUrl.of(h.fake.url(), "url")).build()) {
            api.whoami(AccessToken.of(token, "token"));
        }
    }

    private WorkflowRun startHolding(String name, String args) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(
                "withSpell(credentialsId: '" + CREDENTIALS_ID + "'" + args + ") { semaphore 'hold' }", true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("hold/1", b);
        return b;
    }

    private void finish(WorkflowRun b) throws Exception {
        SemaphoreStep.success("hold/1", null);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
    }

    @Test
    void aBuildWhosePerBuildTokenIsThirtyHoursOldKeepsItThroughACheck() throws Exception {
        SpellHygieneConfiguration.get().setSweepEnabled(true);
        SpellHygieneConfiguration.get().setLongestBuildHours(24); // longer than it should: still never deleted while it runs
        WorkflowRun b = startHolding("train", ", ephemeral: true");
        String name = perBuildName();
        h.advanceHours(30);
        String out = HygieneTestSupport.check();
        assertTrue(h.fake.tokenNames(USER).contains(name), "the running build keeps its 30-hour-old token: " + out);
        assertEquals(0, h.requests("DELETE", "access_tokens"), "no delete of anything: " + out);

        finish(b);
        r.assertLogContains("Deleted the per-build Spell access token '" + name + "'", b);
        assertEquals(List.of("ci"), h.fake.tokenNames(USER));
        assertTrue(SpellHygieneState.get().getPerBuildTokens().isEmpty(), "its record goes with it");
        h.assertNoTokenValue(r.jenkins.getRootDir(), out, JenkinsRule.getLog(b));
    }

    @Test
    void aSecondControllersRunningBuildKeepsItsTokenAndOnlyThisControllersLeftoverGoes() throws Exception {
        SpellHygieneConfiguration.get().setSweepEnabled(true);
        SpellHygieneConfiguration.get().setLongestBuildHours(24);
        // a per-build token of this controller whose delete at the end of its build failed
        h.fake.failNextOf(1, 500, "DELETE");
        WorkflowRun b = startHolding("mine", ", ephemeral: true");
        String mine = perBuildName();
        finish(b);
        r.assertLogContains("could not delete the per-build Spell access token '" + mine + "'", b);
        // another controller on the same Spell account runs a 48-hour build with a token of the same kind
        String other = EphemeralTokenName.Template.jenkins("othr0ctl", 48).newName(List.of("other-job", "3"));
        h.fake.addToken(USER, other, "sp3ll-successor-v4lue-other", h.clock.instant());
        h.advanceHours(48);

        String out = HygieneTestSupport.check();
        assertTrue(h.fake.tokenNames(USER).contains(other), "another controller's token is never deleted here: " + out);
        assertFalse(h.fake.tokenNames(USER).contains(mine), "this controller's token of an ended build is: " + out);
        assertEquals(List.of(other), SpellHygieneState.get().getForeignPerBuild(), "and the other one is reported");
        assertEquals(1, HygieneTestSupport.monitor().getLastSwept());
        h.assertNoTokenValue(r.jenkins.getRootDir(), out);
    }

    @Test
    void aRotationWhileABuildHoldsTheOldTokenKeepsItUntilTheBuildEndedAndTheGracePassed() throws Exception {
        WorkflowRun b = startHolding("train", "");
        SpellRotations.Outcome rotated = rotate();
        assertEquals(List.of("train#1"), rotated.builds(), "the rotation knows which build holds the old token");
        assertEquals("ci-r20261201", stored().getTokenName());
        use(TOKEN); // the build keeps working with the token it bound

        h.advanceHours(29);
        use(TOKEN); // still training, still calling Spell
        h.advanceHours(1);
        HygieneTestSupport.check();
        assertTrue(h.fake.hasToken(TOKEN), "kept while the build that bound it runs");
        finish(b);

        h.advanceHours(1);
        HygieneTestSupport.check();
        assertTrue(h.fake.hasToken(TOKEN), "the build ended, but its last use is only 2 hours ago");
        h.advanceHours(23);
        String out = HygieneTestSupport.check();
        assertFalse(h.fake.hasToken(TOKEN), "deleted once the build ended and 24 hours passed since its last use: " + out);
        assertTrue(h.fake.hasToken(Secret.toString(stored().getToken())), "the successor stays");
        assertTrue(SpellHygieneState.get().getPendingDeletes().isEmpty());
        h.assertNoTokenValue(r.jenkins.getRootDir(), out, JenkinsRule.getLog(b));
    }

    @Test
    void aTokenStillUsedElsewhereIsNeverDeletedAndIsNamedInTheMonitor() throws Exception {
        rotate();
        for (int day = 1; day <= 4; day++) {
            h.advanceHours(20);
            use(TOKEN); // another controller or a GitHub secret still holds the old token
            h.advanceHours(4);
            String out = HygieneTestSupport.check();
            assertTrue(h.fake.hasToken(TOKEN), "day " + day + ": still used, so never deleted: " + out);
        }
        SpellTokenHygieneMonitor monitor = HygieneTestSupport.monitor();
        assertTrue(monitor.isActivated());
        assertEquals("ci", monitor.getUsedElsewhere().get(0).getOldName());
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        String page = r.createWebClient().login("admin").goTo("manage/").asNormalizedText();
        assertTrue(page.contains("The rotated-out token 'ci' of credential 'spell-ci'"), page);
        assertTrue(page.contains("is still used by something outside this controller"), page);

        h.advanceHours(25); // replaced there: no use for the grace period
        String out = HygieneTestSupport.check();
        assertFalse(h.fake.hasToken(TOKEN), out);
        h.assertNoTokenValue(r.jenkins.getRootDir(), out, page);
    }

    @Test
    void aFreshInstallMakesNoCallToTheSpellApiUntilAnAdministratorTurnsTheCheckOn() throws Exception {
        assertFalse(SpellHygieneConfiguration.get().isCheckEnabled(), "off by default");
        SpellTokenHygiene.get().execute(TaskListener.NULL); // what the periodic work runs every 15 minutes
        h.advanceDays(30);
        SpellTokenHygiene.get().execute(TaskListener.NULL);
        assertEquals(List.of(), h.fake.requests(), "no call at all");

        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        HtmlForm config = r.createWebClient().login("admin").goTo("manage/configure").getFormByName("config");
        HtmlCheckBoxInput on = config.getInputByName("_.checkEnabled");
        assertFalse(on.isChecked(), "the System page shows it off");
        on.setChecked(true);
        r.submit(config);
        assertTrue(SpellHygieneConfiguration.get().isCheckEnabled());
        assertFalse(SpellHygieneConfiguration.get().isSweepEnabled(), "the sweep is a switch of its own");
        SpellTokenHygiene.get().execute(TaskListener.NULL);
        assertEquals(1, h.fake.requests().size(), "one listing of the one token, no users/me: " + h.fake.requests());

        // on, but the API URL is back to the default that nobody chose: no call there either
        SpellConfiguration.get().setApiUrl("");
        h.advanceDays(1);
        SpellTokenHygiene.get().execute(TaskListener.NULL);
        assertEquals(1, h.fake.requests().size());
        assertTrue(SpellHygieneState.get().getCheckProblem().contains("no Spell API URL is configured"),
                SpellHygieneState.get().getCheckProblem());
        h.assertNoTokenValue(r.jenkins.getRootDir());
    }

    @Test
    void rotateIsPressedOnItsOwnPageAsABrowserDoesAndTheHistorySurvivesAnEdit() throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, CredentialsProvider.UPDATE, CredentialsProvider.VIEW).everywhere().to("updater")
                .grant(Jenkins.READ, CredentialsProvider.VIEW).everywhere().to("viewer"));
        JenkinsRule.WebClient wc = r.createWebClient().login("updater");
        HtmlPage credential = wc.goTo("credentials/store/system/domain/_/credential/" + CREDENTIALS_ID);
        HtmlElementUtil.click((HtmlButton) credential.querySelector("button[data-type='credentials-update']"));
        HtmlAnchor link = credential.querySelector("a.spell-rotate-link");
        assertNotNull(link, "the edit form links to the Rotate page instead of holding a button");
        HtmlPage rotatePage = link.click();
        HtmlPage done = r.submit(rotatePage.getFormByName("spellRotate"));
        String text = done.asNormalizedText();
        assertTrue(text.contains("Rotated: the credential now holds the new token 'ci-r20261201'"), text);
        assertEquals("ci-r20261201", stored().getTokenName());
        assertTrue(h.fake.hasToken(TOKEN), "the old token is not deleted at once");
        assertEquals(List.of("2026-12-01T10:00:00Z: rotated ci to ci-r20261201 (Rotate, by updater)"), stored().getRotations());

        // an edit through the credential's own form keeps the history
        HtmlPage again = wc.goTo("credentials/store/system/domain/_/credential/" + CREDENTIALS_ID);
        HtmlElementUtil.click((HtmlButton) again.querySelector("button[data-type='credentials-update']"));
        HtmlForm form = again.querySelector("#credentials-dialog-form");
        form.getInputByName("_.description").setValue("Edited after the rotation");
        HtmlElementUtil.click(again.querySelector("#cr-dialog-submit"));
        assertEquals("Edited after the rotation", stored().getDescription());
        assertEquals(1, stored().getRotations().size(), "the history is kept across edits: " + stored().getRotations());

        JenkinsRule.WebClient viewer = r.createWebClient().login("viewer");
        String none = viewer.goTo("spell-rotate/?id=" + CREDENTIALS_ID).asNormalizedText();
        assertTrue(none.contains("You may update no Spell access token credential with ID 'spell-ci'"), none);
        viewer.setThrowExceptionOnFailingStatusCode(false);
        org.htmlunit.WebRequest post = new org.htmlunit.WebRequest(
                new java.net.URL(r.getURL(), "spell-rotate/rotate?store=&id=" + CREDENTIALS_ID), org.htmlunit.HttpMethod.POST);
        assertEquals(403, viewer.getPage(viewer.addCrumb(post)).getWebResponse().getStatusCode());
        assertEquals("ci-r20261201", stored().getTokenName(), "not rotated again");
        h.assertNoTokenValue(r.jenkins.getRootDir(), text, none);
    }

    @Test
    void theEndOfABuildNeverSendsTheStoredTokenToAnotherApiUrl() throws Exception {
        WorkflowRun b = startHolding("moved", ", ephemeral: true");
        String name = perBuildName();
        try (io.spellci.fakeapi.FakeSpellApi other = SpellTestSupport.startFakeApi()) {
            SpellConfiguration.get().setApiUrl(other.url()); // an administrator moves the controller to another API
            finish(b);
            r.assertLogContains("WARNING: the per-build Spell access token '" + name
                    + "' was not deleted: the Spell API URL changed to ", b);
            assertEquals(List.of(), other.requests(), "nothing went to the new URL, the stored token least of all");
        }
        assertTrue(h.fake.tokenNames(USER).contains(name), "left where it was made, and named in the log");
        h.assertNoTokenValue(r.jenkins.getRootDir(), JenkinsRule.getLog(b));
    }
}

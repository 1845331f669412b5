package io.jenkins.plugins.spell.hygiene;

import io.jenkins.plugins.spell.SpellConfiguration;
import io.jenkins.plugins.spell.SpellTestSupport;
import io.jenkins.plugins.spell.SpellTokenCredentialsImpl;

import static io.jenkins.plugins.spell.SpellTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.spell.SpellTestSupport.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.hudson.plugins.folder.Folder;
import hudson.model.TaskListener;
import hudson.util.StreamTaskListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The periodic check and the monitor, against the fake Spell API on a clock the test moves. */
@WithJenkins
class TokenHygieneTest {
    private JenkinsRule r;
    private HygieneTestSupport h;

    @BeforeEach
    void setUp(JenkinsRule rule) {
        r = rule;
        h = new HygieneTestSupport(10);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private String check() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SpellTokenHygiene.get().check(new StreamTaskListener(out, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private SpellTokenHygieneMonitor monitor() {
        return r.jenkins.getExtensionList(hudson.model.AdministrativeMonitor.class).get(SpellTokenHygieneMonitor.class);
    }

    private String managePage() throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        HtmlPage page = r.createWebClient().login("admin").goTo("manage/");
        return page.asXml();
    }

    @Test
    void monitorShowsAsTheTokenAgesAndHidesWhenTheRulesAreOff() throws Exception {
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        String out = check();
        assertFalse(monitor().isActivated(), "a 10-day-old token needs nothing: " + out);
        int before = h.fake.requests().size();

        h.advanceDays(85); // 95 days old, no build for 85 days
        check();
        assertEquals(1, h.fake.requests().size() - before, "one access_tokens listing per check, no users/me");
        assertTrue(monitor().isActivated());
        List<SpellHygieneEntry> entries = monitor().getEntries();
        assertEquals(1, entries.size());
        SpellHygieneEntry e = entries.get(0);
        assertEquals(CREDENTIALS_ID, e.getCredentialId());
        assertEquals("ci", e.getTokenName());
        assertEquals("95 days", e.getAge());
        assertTrue(e.getProblems().contains("older than the maximum age of 90 days"), e.getProblems().toString());
        assertTrue(e.getProblems().contains("no build of this controller used it for more than 30 days"), e.getProblems().toString());
        assertFalse(e.getTodo().contains("Delete the credential and its token"), "never advice to delete a token in use");
        assertTrue(e.getTodo().contains("Do not delete a token that something still uses"), e.getTodo());
        assertEquals("manage/credentials/store/system/domain/_/credential/spell-ci/", e.getLink());

        String page = managePage();
        assertTrue(page.contains("Spell access tokens need attention"), page);
        assertTrue(page.contains("credential/spell-ci/"), "links to the credential");
        assertTrue(page.contains("older than the maximum age of 90 days"));

        SpellHygieneConfiguration.get().setMaxTokenAgeDays(0);
        SpellHygieneConfiguration.get().setUnusedDays(0);
        check();
        assertFalse(monitor().isActivated(), "0 turns both rules off");
        h.assertNoTokenValue(r.jenkins.getRootDir(), out, page);
    }

    @Test
    void aRotatedTokenLeavesTheMonitor() throws Exception {
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        h.advanceDays(85);
        check();
        assertTrue(monitor().isActivated());
        SpellRotations.rotate(SpellStoredCredential.find(r.jenkins, CREDENTIALS_ID), "test");
        assertTrue(h.fake.hasToken(SpellTestSupport.TOKEN), "the old token waits for its grace period");
        assertFalse(monitor().isActivated(), "the rotated credential's entry goes at once");
        check();
        assertFalse(monitor().isActivated(), "a fresh token: nothing to say at the next check either: "
                + monitor().getEntries());
        h.assertNoTokenValue(r.jenkins.getRootDir(), managePage());
    }

    @Test
    void aRevokedTokenIsRejectedAndACredentialWithoutNameSaysSoInOneLine() throws Exception {
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential("unnamed", null));
        String out = check();
        assertFalse(monitor().isActivated(), out);
        assertTrue(out.contains("Credential 'unnamed' (Jenkins (system)) has no token name"), out);
        assertEquals(1, h.fake.requests().size(), "one token, one listing, however many credentials hold it");

        h.fake.deleteToken(USER, "ci"); // revoked in the Spell web console
        check();
        List<SpellHygieneEntry> entries = monitor().getEntries();
        assertEquals(2, entries.size(), "both credentials hold the revoked token");
        assertTrue(entries.get(0).getProblems().get(0).startsWith("rejected by the Spell API"), entries.toString());
        assertTrue(entries.get(0).getTodo().startsWith("Create a new token"));
        h.assertNoTokenValue(r.jenkins.getRootDir(), out, managePage());
    }

    @Test
    void aBuildUseResetsTheUnusedRule() throws Exception {
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        check();
        h.advanceDays(31);
        check();
        assertTrue(monitor().isActivated(), "31 days without a build");
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("withSpell(credentialsId: '" + CREDENTIALS_ID + "') { echo 'used' }", true));
        r.assertBuildStatusSuccess(p.scheduleBuild2(0));
        check();
        assertFalse(monitor().isActivated(), monitor().getEntries().toString());
        h.assertNoTokenValue(r.jenkins.getRootDir());
    }

    @Test
    void tokensThisControllerDidNotRecordAreOnlyReported() throws Exception {
        SpellHygieneConfiguration.get().setSweepEnabled(true);
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        // a real per-build token: recorded, and deleted by its own build
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(
                "withSpell(credentialsId: '" + CREDENTIALS_ID + "', ephemeral: true) { echo 'x' }", true));
        r.assertBuildStatusSuccess(p.scheduleBuild2(0));
        assertEquals(List.of("ci"), h.fake.tokenNames(USER));

        java.time.Instant now = h.clock.instant();
        // names of earlier versions (no controller, no life): nobody can tell whose build holds them
        h.fake.addToken(USER, "ci-jenkins-job-7-tmp-old00001", "v-old-00000001", now.minus(Duration.ofDays(30)));
        h.fake.addToken(USER, "ci-gha-acme-1-tmp-gha00003", "v-gha-00000003", now.minus(Duration.ofHours(48)));
        h.fake.addToken(USER, "ci-jenkins-laptop", "v-lap-00000004", now.minus(Duration.ofHours(48)));
        String out = check();
        assertEquals(List.of("ci", "ci-jenkins-job-7-tmp-old00001", "ci-gha-acme-1-tmp-gha00003", "ci-jenkins-laptop"),
                h.fake.tokenNames(USER), out);
        assertEquals(0, monitor().getLastSwept());
        assertEquals(List.of("ci-jenkins-job-7-tmp-old00001"), monitor().getForeignPerBuild(), "reported, never deleted");
        h.assertNoTokenValue(r.jenkins.getRootDir(), out);
    }

    @Test
    void anyBindingOfTheCredentialCountsAsUseAndBuildsDoNotRewriteTheState() throws Exception {
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        check();
        h.advanceDays(31);
        check();
        assertTrue(monitor().isActivated(), "31 days without a build");
        java.io.File state = new java.io.File(r.jenkins.getRootDir(), SpellHygieneState.FILE_NAME);
        String before;
        long modified;
        WorkflowJob p = r.createProject(WorkflowJob.class);
        // not this plugin's binding: the credentials plugin's own tracking sees it all the same
        p.setDefinition(new CpsFlowDefinition(
                "withCredentials([string(credentialsId: '" + CREDENTIALS_ID + "', variable: 'T')]) { echo 'used' }", true));
        r.assertBuildStatusSuccess(p.scheduleBuild2(0));
        check();
        assertFalse(monitor().isActivated(), monitor().getEntries().toString());

        before = java.nio.file.Files.readString(state.toPath());
        modified = state.lastModified();
        Thread.sleep(1100); // file times have one-second steps on some file systems
        WorkflowJob q = r.createProject(WorkflowJob.class);
        q.setDefinition(new CpsFlowDefinition("withSpell(credentialsId: '" + CREDENTIALS_ID + "') { echo 'used' }", true));
        r.assertBuildStatusSuccess(q.scheduleBuild2(0));
        assertEquals(modified, state.lastModified(), "a build writes nothing of the hygiene state");
        assertEquals(before, java.nio.file.Files.readString(state.toPath()));
        h.assertNoTokenValue(r.jenkins.getRootDir());
    }

    @Test
    void anOutageStopsTheRunAtTheFirstFailureAndKeepsTheFindings() throws Exception {
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        String second = "sp3ll-st0red-t0ken-second-77";
        h.fake.addToken(USER, "ci2", second);
        SpellTokenCredentialsImpl other = new SpellTokenCredentialsImpl(com.cloudbees.plugins.credentials.CredentialsScope.GLOBAL,
                "spell-ci-2", "second", hudson.util.Secret.fromString(second), SpellTestSupport.OWNER);
        other.setTokenName("ci2");
        SpellTestSupport.addSystemCredential(r, other);
        h.advanceDays(100);
        check();
        assertEquals(2, monitor().getEntries().size(), "both too old");
        long firstCheck = SpellHygieneState.get().getLastCheck();

        h.fake.clearRequests();
        h.fake.failNext(10, 503);
        h.advanceHours(6);
        String out = check();
        assertEquals(3, h.fake.requests().size(), "the first listing's three attempts (core's backgroundCheck), then the run stops: " + h.fake.requests());
        assertTrue(out.contains("Spell API unreachable"), out);
        assertEquals(2, monitor().getEntries().size(), "the findings of the last complete check stay");
        assertTrue(monitor().getEntries().get(0).getProblems().get(0).startsWith("older than"), "not 'could not be checked'");
        assertTrue(monitor().getCheckProblem().startsWith("Spell API unreachable"), monitor().getCheckProblem());
        assertTrue(SpellHygieneState.get().getLastCheck() > firstCheck, "lastCheck recorded all the same");
        h.fake.resetFaults();
        h.advanceHours(6);
        check();
        assertEquals(null, monitor().getCheckProblem(), "a complete check clears the line");
        h.assertNoTokenValue(r.jenkins.getRootDir(), out);
    }

    @Test
    void anAcknowledgedMonitorHidesUntilSomethingNewNeedsAttention() throws Exception {
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        h.advanceDays(100);
        check();
        assertTrue(monitor().isActivated());
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
        JenkinsRule.WebClient reader = r.createWebClient().login("reader");
        reader.setThrowExceptionOnFailingStatusCode(false);
        org.htmlunit.WebRequest req = new org.htmlunit.WebRequest(
                new java.net.URL(r.getURL(), monitor().getUrl() + "/acknowledge"), org.htmlunit.HttpMethod.POST);
        assertEquals(403, reader.getPage(reader.addCrumb(req)).getWebResponse().getStatusCode());
        assertTrue(monitor().isActivated());
        HtmlPage manage = r.createWebClient().login("admin").goTo("manage/");
        assertTrue(manage.asXml().contains(SpellTokenHygieneMonitor.DOCS_URL), "links the plugin's documentation");
        r.submit(manage.getFormByName("spellAcknowledge"));
        assertFalse(monitor().isActivated(), "acknowledged");
        assertTrue(monitor().isEnabled(), "not dismissed for good");
        h.advanceHours(7);
        check();
        assertFalse(monitor().isActivated(), "the same findings stay acknowledged");
        h.fake.deleteToken(USER, "ci"); // revoked: something new
        h.advanceHours(7);
        check();
        assertTrue(monitor().isActivated(), "a new finding brings it back");
    }

    @Test
    void noSweepForCredentialsThatNeverMadePerBuildTokensAndFolderStoresAreChecked() throws Exception {
        Folder f = r.jenkins.createProject(Folder.class, "team");
        SpellTestSupport.addFolderCredential(f, HygieneTestSupport.credential("team-spell", "ci"));
        h.fake.addToken(USER, "ci-jenkins-job-7-tmp-old00001", "v-old-00000001",
                h.clock.instant().minus(Duration.ofHours(25)));
        h.advanceDays(100);
        check();
        assertEquals(2, h.fake.tokenNames(USER).size(), "no per-build token made by this credential: nothing swept");
        List<SpellHygieneEntry> entries = monitor().getEntries();
        assertEquals(1, entries.size());
        assertEquals("team", entries.get(0).getStore());
        assertEquals("job/team/credentials/store/folder/domain/_/credential/team-spell/", entries.get(0).getLink());
        h.assertNoTokenValue(r.jenkins.getRootDir());
    }

    @Test
    void adminsCanDismissTheMonitor() throws Exception {
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        h.advanceDays(100);
        check();
        assertTrue(monitor().isActivated() && monitor().isEnabled());
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
        JenkinsRule.WebClient reader = r.createWebClient().login("reader");
        reader.setThrowExceptionOnFailingStatusCode(false);
        org.htmlunit.WebRequest req = new org.htmlunit.WebRequest(
                new java.net.URL(r.getURL(), monitor().getUrl() + "/disable"), org.htmlunit.HttpMethod.POST);
        assertEquals(403, reader.getPage(reader.addCrumb(req)).getWebResponse().getStatusCode());
        assertTrue(monitor().isEnabled());
        HtmlPage manage = r.createWebClient().login("admin").goTo("manage/");
        r.submit(manage.getFormByName("spellDismiss"));
        assertFalse(monitor().isEnabled(), "dismissed");
    }

    @Test
    void theCheckCanBeTurnedOffAndKeepsItsInterval() throws Exception {
        SpellTestSupport.addSystemCredential(r, HygieneTestSupport.credential(CREDENTIALS_ID, "ci"));
        SpellTokenHygiene.get().execute(TaskListener.NULL);
        assertEquals(0, h.fake.requests().size(), "off by default: no call");
        SpellHygieneConfiguration.get().setCheckEnabled(true);
        SpellTokenHygiene.get().execute(TaskListener.NULL);
        assertEquals(1, h.fake.requests().size());
        h.clock.advance(Duration.ofHours(5));
        SpellTokenHygiene.get().execute(TaskListener.NULL);
        assertEquals(1, h.fake.requests().size(), "within 6 hours of the last check: no call");
        h.clock.advance(Duration.ofHours(2));
        SpellTokenHygiene.get().execute(TaskListener.NULL);
        assertEquals(2, h.fake.requests().size());
        SpellHygieneConfiguration.get().setCheckEnabled(false);
        h.clock.advance(Duration.ofHours(7));
        SpellTokenHygiene.get().execute(TaskListener.NULL);
        assertEquals(2, h.fake.requests().size(), "turned off again: no call");
    }

    @Test
    void theSystemPageAppliesTheHygieneSettingsAllAtOnceOrNotAtAll() throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy().grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        wc.setThrowExceptionOnFailingStatusCode(false);
        org.htmlunit.html.HtmlForm form = wc.goTo("manage/configure").getFormByName("config");
        ((org.htmlunit.html.HtmlCheckBoxInput) form.getInputByName("_.checkEnabled")).setChecked(true);
        form.getInputByName("_.maxTokenAgeDays").setValue("45");
        form.getInputByName("_.checkIntervalHours").setValue("0");
        r.submit(form);
        SpellHygieneConfiguration config = SpellHygieneConfiguration.get();
        assertFalse(config.isCheckEnabled(), "a refused value applies nothing");
        assertEquals(90, config.getMaxTokenAgeDays());
        assertEquals(90, new SpellHygieneConfiguration().getMaxTokenAgeDays(), "nor saved");

        form = wc.goTo("manage/configure").getFormByName("config");
        ((org.htmlunit.html.HtmlCheckBoxInput) form.getInputByName("_.checkEnabled")).setChecked(true);
        form.getInputByName("_.maxTokenAgeDays").setValue("45");
        form.getInputByName("_.graceHours").setValue("12");
        form.getInputByName("_.longestBuildHours").setValue("48");
        r.submit(form);
        SpellHygieneConfiguration saved = new SpellHygieneConfiguration();
        assertTrue(saved.isCheckEnabled());
        assertEquals(45, saved.getMaxTokenAgeDays());
        assertEquals(12, saved.getGraceHours());
        assertEquals(48, saved.getLongestBuildHours());
        assertFalse(saved.isSweepEnabled());
    }
}

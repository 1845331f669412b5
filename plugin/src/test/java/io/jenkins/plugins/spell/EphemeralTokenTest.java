package io.jenkins.plugins.spell;

import static io.jenkins.plugins.spell.SpellTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.spell.SpellTestSupport.EPHEMERAL_VALUE_PREFIX;
import static io.jenkins.plugins.spell.SpellTestSupport.OWNER;
import static io.jenkins.plugins.spell.SpellTestSupport.TOKEN;
import static io.jenkins.plugins.spell.SpellTestSupport.USER;
import static io.jenkins.plugins.spell.SpellTestSupport.addSystemCredential;
import static io.jenkins.plugins.spell.SpellTestSupport.credential;
import static io.jenkins.plugins.spell.SpellTestSupport.grep;
import static io.jenkins.plugins.spell.SpellTestSupport.printAndSaveToken;
import static io.jenkins.plugins.spell.SpellTestSupport.startFakeApi;
import static io.jenkins.plugins.spell.SpellTestSupport.useFakeApi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.Functions;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.tasks.BatchFile;
import hudson.tasks.Shell;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.RecordedRequest;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** ephemeral: true, and validate: true, against the fake Spell API. */
@WithJenkins
class EphemeralTokenTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private JenkinsRule r;
    private FakeSpellApi fake;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        fake = startFakeApi();
        useFakeApi(fake);
        addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private WorkflowJob job(String script) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    private String savedToken(WorkflowRun b) throws Exception {
        return r.jenkins.getWorkspaceFor(b.getParent()).child("token.txt").readToString().trim();
    }

    private long count(String method) {
        return fake.requests().stream()
                .filter(q -> q.method().equals(method) && q.path().endsWith("/v1/users/me/access_tokens"))
                .count();
    }

    @Test
    void createsExportsAndDeletesAPerBuildToken() throws Exception {
        WorkflowJob p = job("node {\n  withSpell(credentialsId: '" + CREDENTIALS_ID + "', ephemeral: true) {\n"
                + printAndSaveToken("SPELL_TOKEN", "SPELL_OWNER") + "  }\n}");
        WorkflowRun b = r.assertBuildStatusSuccess(p.scheduleBuild2(0));

        String exported = savedToken(b);
        assertTrue(exported.startsWith(EPHEMERAL_VALUE_PREFIX), "the block saw the per-build token, not the stored one");
        r.assertLogContains("Created the per-build Spell access token 'ci-jenkins-", b);
        r.assertLogContains("Deleted the per-build Spell access token 'ci-jenkins-", b);
        r.assertLogContains("token=****", b); // the per-build token is masked
        r.assertLogNotContains(exported, b);
        r.assertLogNotContains(TOKEN, b);
        assertEquals(List.of("ci"), fake.tokenNames(USER), "only the stored token is left");
        assertEquals(1, count("POST"));
        assertEquals(1, count("DELETE"));
        assertEquals(Set.of(), grep(b.getRootDir(), exported));
        assertEquals(Set.of(), grep(b.getRootDir(), TOKEN));
    }

    @Test
    void withCredentialsEphemeral() throws Exception {
        WorkflowJob p = job("withCredentials([spellToken(credentialsId: '" + CREDENTIALS_ID
                + "', ephemeral: true)]) { echo \"owner=${env.SPELL_OWNER}\" }");
        WorkflowRun b = r.assertBuildStatusSuccess(p.scheduleBuild2(0));
        r.assertLogContains("owner=" + OWNER, b);
        assertEquals(List.of("ci"), fake.tokenNames(USER));
    }

    @Test
    void deletesTheTokenWhenTheBlockFails() throws Exception {
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', ephemeral: true) { error 'the training failed' }");
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("the training failed", b);
        r.assertLogContains("Deleted the per-build Spell access token", b);
        assertEquals(List.of("ci"), fake.tokenNames(USER));
    }

    @Test
    void failedDeleteIsAWarningNamingTheToken() throws Exception {
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', ephemeral: true) { semaphore 'inside' }");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("inside/1", b);
        List<String> names = fake.tokenNames(USER);
        assertEquals(2, names.size(), "stored and per-build token exist during the block: " + names);
        String ephemeralName = names.stream().filter(n -> n.startsWith("ci-jenkins-")).findFirst().orElseThrow();
        fake.failNext(20, 500); // every retry of the DELETE fails
        SemaphoreStep.success("inside/1", null);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        fake.resetFaults();
        r.assertLogContains("WARNING: could not delete the per-build Spell access token '" + ephemeralName + "'", b);
        r.assertLogNotContains(TOKEN, b);
        assertTrue(fake.tokenNames(USER).contains(ephemeralName), "the token really is still there");
    }

    @Test
    void malformedApiAnswerFailsTheBuildWithoutRunningTheBlock() throws Exception {
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', ephemeral: true) { echo 'never here' }");
        fake.failNext(1, 200, "not json at all"); // users/me answers something that is not Spell
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogNotContains("never here", b);
        r.assertLogNotContains(TOKEN, b);
        assertEquals(List.of("ci"), fake.tokenNames(USER));
    }

    @Test
    void freestyleEphemeral() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject("fs");
        SpellTokenBinding binding = new SpellTokenBinding(CREDENTIALS_ID);
        binding.setEphemeral(true);
        p.getBuildWrappersList().add(new SecretBuildWrapper(List.of(binding)));
        p.getBuildersList().add(Functions.isWindows()
                ? new BatchFile("@echo token=%SPELL_TOKEN% owner=%SPELL_OWNER%")
                : new Shell("echo \"token=$SPELL_TOKEN owner=$SPELL_OWNER\""));
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        r.assertLogContains("token=****", b);
        r.assertLogContains("owner=" + OWNER, b);
        r.assertLogContains("Deleted the per-build Spell access token 'ci-jenkins-fs-1-", b);
        r.assertLogNotContains(EPHEMERAL_VALUE_PREFIX, b);
        assertEquals(List.of("ci"), fake.tokenNames(USER));
    }

    @Test
    void validateChecksTheTokenFirst() throws Exception {
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', validate: true) { echo \"owner=${env.SPELL_OWNER}\" }");
        WorkflowRun b = r.assertBuildStatusSuccess(p.scheduleBuild2(0));
        r.assertLogContains("Spell user alice may act for owner acme", b);
        List<RecordedRequest> calls = fake.requests();
        assertEquals(1, calls.size());
        assertEquals("GET", calls.get(0).method());
    }

    @Test
    void validateByDefaultFromGlobalConfiguration() throws Exception {
        SpellConfiguration.get().setValidateByDefault(true);
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID + "') { echo 'inside' }");
        WorkflowRun b = r.assertBuildStatusSuccess(p.scheduleBuild2(0));
        r.assertLogContains("verified", b);
    }

    @Test
    void rejectedTokenFailsBeforeTheBlock() throws Exception {
        fake.failNext(1, 401);
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', validate: true) { echo 'never here' }");
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("HTTP 401", b);
        r.assertLogNotContains("never here", b);
        r.assertLogNotContains(TOKEN, b);
    }

    @Test
    void ownerNotAllowedFailsBeforeTheBlock() throws Exception {
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', owner: 'someone-else', validate: true) { echo 'never here' }");
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("someone-else", b);
        r.assertLogNotContains("never here", b);
        r.assertLogNotContains(TOKEN, b);
    }
}

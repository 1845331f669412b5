package io.jenkins.plugins.spell;

import static io.jenkins.plugins.spell.SpellTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.spell.SpellTestSupport.OWNER;
import static io.jenkins.plugins.spell.SpellTestSupport.TOKEN;
import static io.jenkins.plugins.spell.SpellTestSupport.addFolderCredential;
import static io.jenkins.plugins.spell.SpellTestSupport.addSystemCredential;
import static io.jenkins.plugins.spell.SpellTestSupport.assertNoTokenIn;
import static io.jenkins.plugins.spell.SpellTestSupport.credential;
import static io.jenkins.plugins.spell.SpellTestSupport.printAndSaveToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.FilePath;
import hudson.Functions;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.tasks.BatchFile;
import hudson.tasks.Shell;
import hudson.util.Secret;
import java.util.List;
import org.jenkinsci.plugins.credentialsbinding.MultiBinding;
import org.jenkinsci.plugins.credentialsbinding.impl.BindingStep;
import org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** withSpell, withCredentials([spellToken(...)]), Freestyle, string() and Declarative credentials(), without a Spell API. */
@WithJenkins
class WithSpellStepTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
    }

    private WorkflowRun run(String script, Result expected) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return r.assertBuildStatus(expected, p.scheduleBuild2(0));
    }

    private String savedToken(WorkflowRun b) throws Exception {
        FilePath ws = r.jenkins.getWorkspaceFor(b.getParent());
        return ws.child("token.txt").readToString().trim();
    }

    private void assertMaskedAndExported(WorkflowRun b, String tokenVariable, String ownerVariable) throws Exception {
        r.assertLogContains("token=****", b);
        r.assertLogContains("owner=" + OWNER, b); // the owner is not a secret and is not masked
        r.assertLogNotContains(TOKEN, b);
        r.assertLogContains(
                Functions.isWindows()
                        ? "Masking supported pattern matches of %" + tokenVariable + "%"
                        : "Masking supported pattern matches of $" + tokenVariable,
                b);
        assertEquals(TOKEN, savedToken(b), "the process saw the real token in " + tokenVariable);
    }

    @Test
    void withSpellExportsMaskedTokenAndPlainOwner() throws Exception {
        WorkflowRun b = run(
                "node {\n  withSpell(credentialsId: '" + CREDENTIALS_ID + "') {\n"
                        + printAndSaveToken("SPELL_TOKEN", "SPELL_OWNER") + "  }\n}",
                Result.SUCCESS);
        assertMaskedAndExported(b, "SPELL_TOKEN", "SPELL_OWNER");
    }

    @Test
    void withCredentialsSpellTokenDoesTheSame() throws Exception {
        WorkflowRun b = run(
                "node {\n  withCredentials([spellToken(credentialsId: '" + CREDENTIALS_ID + "')]) {\n"
                        + printAndSaveToken("SPELL_TOKEN", "SPELL_OWNER") + "  }\n}",
                Result.SUCCESS);
        assertMaskedAndExported(b, "SPELL_TOKEN", "SPELL_OWNER");
    }

    @Test
    void customVariableNamesAndOwnerOverride() throws Exception {
        WorkflowRun b = run(
                "node {\n  withSpell(credentialsId: '" + CREDENTIALS_ID
                        + "', variable: 'MY_TOKEN', ownerVariable: 'MY_OWNER', owner: 'research') {\n"
                        + printAndSaveToken("MY_TOKEN", "MY_OWNER") + "  }\n}",
                Result.SUCCESS);
        r.assertLogContains("owner=research", b);
        r.assertLogContains("token=****", b);
        r.assertLogNotContains(TOKEN, b);
        assertEquals(TOKEN, savedToken(b));
    }

    @Test
    void unsafeVariableNameIsRefusedWithCoreMessage() throws Exception {
        WorkflowRun b = run(
                "withSpell(credentialsId: '" + CREDENTIALS_ID + "', variable: 'LD_PRELOAD') { echo 'never here' }",
                Result.FAILURE);
        r.assertLogContains("token variable is LD_PRELOAD", b);
        r.assertLogNotContains("never here", b);
        assertNoTokenIn(r, b);
    }

    @Test
    void needsNoWorkspace() throws Exception {
        WorkflowRun b = run(
                "withSpell(credentialsId: '" + CREDENTIALS_ID + "') { echo \"owner is ${env.SPELL_OWNER}\" }",
                Result.SUCCESS);
        r.assertLogContains("owner is " + OWNER, b);
    }

    @Test
    void customApiUrlIsExportedForSpellClients() throws Exception {
        SpellConfiguration.get().setApiUrl("https://spell.example.com");
        WorkflowRun b = run(
                "withSpell(credentialsId: '" + CREDENTIALS_ID + "') {\n"
                        + "  echo \"base=${env.SPELL_BASE_URL} api=${env.SPELL_API_URL}\"\n}",
                Result.SUCCESS);
        r.assertLogContains("base=https://spell.example.com api=https://spell.example.com", b);
    }

    @Test
    void defaultApiUrlIsExportedTooSoThatSpellCallsTheHostThatWasChecked() throws Exception {
        // A Spell client built with another default (0.41.x: api.spell.ml, on-prem builds) would call another host.
        WorkflowRun b = run(
                "withSpell(credentialsId: '" + CREDENTIALS_ID + "') {\n"
                        + "  echo \"base=${env.SPELL_BASE_URL} api=${env.SPELL_API_URL}\"\n}",
                Result.SUCCESS);
        r.assertLogContains("base=https://api.spell.run api=https://api.spell.run", b);
        r.assertLogNotContains(TOKEN, b);
    }

    @Test
    void theSpellTokenBindingExportsTheApiUrlAtTheDefaultToo() throws Exception {
        WorkflowRun b = run(
                "withCredentials([spellToken(credentialsId: '" + CREDENTIALS_ID + "')]) {\n"
                        + "  echo \"base=${env.SPELL_BASE_URL} api=${env.SPELL_API_URL}\"\n}",
                Result.SUCCESS);
        r.assertLogContains("base=https://api.spell.run api=https://api.spell.run", b);
        r.assertLogNotContains(TOKEN, b);
    }

    @Test
    void runsOnAnAgent() throws Exception {
        r.createOnlineSlave(Label.get("remote"));
        WorkflowRun b = run(
                "node('remote') {\n  withSpell(credentialsId: '" + CREDENTIALS_ID + "') {\n"
                        + printAndSaveToken("SPELL_TOKEN", "SPELL_OWNER") + "  }\n}",
                Result.SUCCESS);
        r.assertLogContains("token=****", b);
        r.assertLogContains("owner=" + OWNER, b);
        r.assertLogNotContains(TOKEN, b);
    }

    @Test
    void missingCredentialNamesIdAndExpectedType() throws Exception {
        WorkflowRun b = run("withSpell(credentialsId: 'nope') { echo 'never here' }", Result.FAILURE);
        r.assertLogContains("Could not find credentials with ID 'nope' of type 'Spell access token'", b);
        r.assertLogNotContains("never here", b);
        assertNoTokenIn(r, b);
    }

    @Test
    void wronglyTypedCredentialNamesIdAndBothTypes() throws Exception {
        addSystemCredential(r, new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "plain-text", "not spell", Secret.fromString("some-other-secret")));
        WorkflowRun b = run("withSpell(credentialsId: 'plain-text') { echo 'never here' }", Result.FAILURE);
        r.assertLogContains("Credentials 'plain-text' are of type 'Secret text' where 'Spell access token' was expected", b);
        r.assertLogNotContains("some-other-secret", b);
        assertNoTokenIn(r, b);
    }

    @Test
    void credentialWithInvalidOwnerFailsWithCoreMessage() throws Exception {
        addSystemCredential(r, credential("bad-owner", "acme/ml"));
        WorkflowRun b = run("withSpell(credentialsId: 'bad-owner') { echo 'never here' }", Result.FAILURE);
        r.assertLogContains("owner of credential 'bad-owner'", b);
        assertNoTokenIn(r, b);
    }

    @Test
    void tokenPastedAsOwnerIsRefusedAndNeverShown() throws Exception {
        io.spellci.core.InvalidInputException refused =
                org.junit.jupiter.api.Assertions.assertThrows(io.spellci.core.InvalidInputException.class,
                        () -> credential("token-as-owner", TOKEN), "refused on save");
        assertFalse(refused.getMessage().contains(TOKEN), refused.getMessage());
        // saved by an earlier version: loading runs no constructor, so the binding refuses it as well
        addSystemCredential(r, (SpellTokenCredentialsImpl) jenkins.model.Jenkins.XSTREAM2.fromXML(
                "<io.jenkins.plugins.spell.SpellTokenCredentialsImpl><scope>GLOBAL</scope><id>token-as-owner</id>"
                        + "<token>" + TOKEN + "</token><owner>" + TOKEN + "</owner>"
                        + "</io.jenkins.plugins.spell.SpellTokenCredentialsImpl>"));
        WorkflowRun b = run("withSpell(credentialsId: 'token-as-owner') { echo 'never here' }", Result.FAILURE);
        r.assertLogContains("is the access token itself", b);
        assertNoTokenIn(r, b); // the owner is exported unmasked, so it must never be the token
    }

    @Test
    void failingBlockStillMasksException() throws Exception {
        WorkflowRun b = run(
                "withSpell(credentialsId: '" + CREDENTIALS_ID + "') { error(\"boom ${env.SPELL_TOKEN}\") }",
                Result.FAILURE);
        r.assertLogContains("boom", b);
        assertNoTokenIn(r, b); // the error message is masked too
    }

    @Test
    void stringBindingOnASpellCredential() throws Exception {
        WorkflowRun b = run(
                "node {\n  withCredentials([string(credentialsId: '" + CREDENTIALS_ID + "', variable: 'T')]) {\n"
                        + "    if (isUnix()) { sh 'echo \"t=$T\"; printf %s \"$T\" > token.txt' }"
                        + " else { bat '@echo t=%T%\\r\\n@echo %T%> token.txt' }\n  }\n}",
                Result.SUCCESS);
        r.assertLogContains("t=****", b);
        r.assertLogNotContains(TOKEN, b);
        assertEquals(TOKEN, savedToken(b));
    }

    @Test
    void declarativeCredentialsHelperOnASpellCredential() throws Exception {
        WorkflowRun b = run(
                "pipeline {\n"
                        + "  agent any\n"
                        + "  environment { SPELL_TOKEN = credentials('" + CREDENTIALS_ID + "') }\n"
                        + "  stages { stage('train') { steps { script {\n"
                        + printAndSaveToken("SPELL_TOKEN", "SPELL_TOKEN")
                        + "  } } } }\n"
                        + "}",
                Result.SUCCESS);
        r.assertLogContains("token=****", b);
        r.assertLogNotContains(TOKEN, b);
        assertEquals(TOKEN, savedToken(b));
    }

    @Test
    void declarativeWithSpellStep() throws Exception {
        WorkflowRun b = run(
                "pipeline {\n"
                        + "  agent any\n"
                        + "  stages { stage('train') { steps {\n"
                        + "    withSpell(credentialsId: '" + CREDENTIALS_ID + "') { script {\n"
                        + printAndSaveToken("SPELL_TOKEN", "SPELL_OWNER")
                        + "    } }\n"
                        + "  } } }\n"
                        + "}",
                Result.SUCCESS);
        assertMaskedAndExported(b, "SPELL_TOKEN", "SPELL_OWNER");
    }

    @Test
    void freestyleBuildWrapper() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject("fs");
        p.getBuildWrappersList().add(new SecretBuildWrapper(List.of(new SpellTokenBinding(CREDENTIALS_ID))));
        p.getBuildersList().add(Functions.isWindows()
                ? new BatchFile("@echo token=%SPELL_TOKEN% owner=%SPELL_OWNER%")
                : new Shell("echo \"token=$SPELL_TOKEN owner=$SPELL_OWNER\""));
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        r.assertLogContains("token=****", b);
        r.assertLogContains("owner=" + OWNER, b);
        r.assertLogNotContains(TOKEN, b);

        // the Freestyle form keeps every setting
        SpellTokenBinding binding = new SpellTokenBinding(CREDENTIALS_ID);
        binding.setVariable("MY_TOKEN");
        binding.setOwnerVariable("MY_OWNER");
        binding.setOwner("research");
        binding.setValidate(true);
        binding.setEphemeral(true);
        p.getBuildWrappersList().clear();
        p.getBuildWrappersList().add(new SecretBuildWrapper(List.of(binding)));
        p = r.configRoundtrip(p);
        SecretBuildWrapper wrapper = p.getBuildWrappersList().get(SecretBuildWrapper.class);
        r.assertEqualDataBoundBeans(List.of(binding), wrapper.getBindings());
    }

    @Test
    void folderScopedCredential() throws Exception {
        Folder folder = r.jenkins.createProject(Folder.class, "team");
        addFolderCredential(folder, credential("team-spell", "research"));
        WorkflowJob p = folder.createProject(WorkflowJob.class, "train");
        p.setDefinition(new CpsFlowDefinition(
                "withSpell(credentialsId: 'team-spell') { echo \"owner=${env.SPELL_OWNER}\" }", true));
        WorkflowRun b = r.assertBuildStatusSuccess(p.scheduleBuild2(0));
        r.assertLogContains("owner=research", b);

        // a job outside the folder cannot use it
        WorkflowRun outside = run("withSpell(credentialsId: 'team-spell') { echo 'never here' }", Result.FAILURE);
        r.assertLogContains("Could not find credentials with ID 'team-spell'", outside);
        assertNoTokenIn(r, outside);
    }

    @Test
    void stepConfigRoundTrip() throws Exception {
        WithSpellStep step = new WithSpellStep(CREDENTIALS_ID);
        step.setVariable("MY_TOKEN");
        step.setOwnerVariable("MY_OWNER");
        step.setOwner("research");
        step.setValidate(true);
        step.setEphemeral(true);
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));

        WithSpellStep plain = new WithSpellStep(CREDENTIALS_ID);
        r.assertEqualDataBoundBeans(plain, new StepConfigTester(r).configRoundTrip(plain));
    }

    @Test
    void snippetGeneratorRoundTrip() throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        st.assertRoundTrip(new WithSpellStep(CREDENTIALS_ID), "withSpell('spell-ci') {\n    // some block\n}");

        WithSpellStep step = new WithSpellStep(CREDENTIALS_ID);
        step.setOwner("research");
        step.setEphemeral(true);
        st.assertRoundTrip(step, "withSpell(credentialsId: 'spell-ci', ephemeral: true, owner: 'research') {\n    // some block\n}");

        SpellTokenBinding binding = new SpellTokenBinding(CREDENTIALS_ID);
        binding.setVariable("MY_TOKEN");
        List<MultiBinding> bindings = List.of(binding);
        st.assertRoundTrip(
                new BindingStep(bindings),
                "withCredentials([spellToken(credentialsId: 'spell-ci', variable: 'MY_TOKEN')]) {\n    // some block\n}");
    }

    @Test
    void tokenStaysOutOfTheBuildDirectory() throws Exception {
        WorkflowRun b = run(
                "node {\n  withSpell(credentialsId: '" + CREDENTIALS_ID + "') {\n"
                        + printAndSaveToken("SPELL_TOKEN", "SPELL_OWNER") + "  }\n}",
                Result.SUCCESS);
        assertEquals(java.util.Set.of(), SpellTestSupport.grep(b.getRootDir(), TOKEN));
        assertFalse(b.getLog().contains(TOKEN));
    }
}

package io.jenkins.plugins.spell;

import static io.jenkins.plugins.spell.SpellTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.spell.SpellTestSupport.OWNER;
import static io.jenkins.plugins.spell.SpellTestSupport.TOKEN;
import static io.jenkins.plugins.spell.SpellTestSupport.addSystemCredential;
import static io.jenkins.plugins.spell.SpellTestSupport.credential;
import static io.jenkins.plugins.spell.SpellTestSupport.startFakeApi;
import static io.jenkins.plugins.spell.SpellTestSupport.useFakeApi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.spellci.fakeapi.FakeSpellApi;
import java.nio.file.Files;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code validate} left unset follows "validate by default" of Manage Jenkins » System » Spell at build time, also
 * after a trip through the step's form (Snippet Generator) or the Freestyle form, whichever way the global
 * setting stands when the form is saved.
 */
@WithJenkins
class ValidateOptionTest {

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
        if (fake != null) {
            fake.close();
        }
    }

    /** Token checks (GET users/me) the fake received. */
    private long checks() {
        return fake.requests().stream().filter(q -> q.method().equals("GET")).count();
    }

    private static String snippet(WithSpellStep step) {
        return Snippetizer.object2Groovy(step);
    }

    @Test
    void stepFormLeavesTheGlobalDefaultAlone() throws Exception {
        for (boolean globalDefault : new boolean[] {false, true}) {
            SpellConfiguration.get().setValidateByDefault(globalDefault);
            WithSpellStep back = new StepConfigTester(r).configRoundTrip(new WithSpellStep(CREDENTIALS_ID));
            String what = "validateByDefault=" + globalDefault;
            assertEquals("withSpell('spell-ci') {\n    // some block\n}", snippet(back), what);
            assertFalse(Jenkins.XSTREAM2.toXML(back).contains("<validate>"), what + ": " + Jenkins.XSTREAM2.toXML(back));

            // what the saved step does follows the global setting of the day it runs
            SpellConfiguration.get().setValidateByDefault(!globalDefault);
            WorkflowJob p = r.createProject(WorkflowJob.class);
            p.setDefinition(new CpsFlowDefinition(snippet(back).replace("// some block", "echo 'inside'"), true));
            fake.clearRequests();
            WorkflowRun b = r.assertBuildStatusSuccess(p.scheduleBuild2(0));
            assertEquals(globalDefault ? 0 : 1, checks(), what + " then " + !globalDefault);
            r.assertLogNotContains(TOKEN, b);
        }
    }

    @Test
    void stepFormKeepsAnExplicitChoiceAgainstTheGlobalDefault() throws Exception {
        SpellConfiguration.get().setValidateByDefault(true);
        WithSpellStep no = new WithSpellStep(CREDENTIALS_ID);
        no.setValidate(false);
        assertEquals("withSpell(credentialsId: 'spell-ci', validate: false) {\n    // some block\n}",
                snippet(new StepConfigTester(r).configRoundTrip(no)));

        SpellConfiguration.get().setValidateByDefault(false);
        WithSpellStep yes = new WithSpellStep(CREDENTIALS_ID);
        yes.setValidate(true);
        assertEquals("withSpell(credentialsId: 'spell-ci', validate: true) {\n    // some block\n}",
                snippet(new StepConfigTester(r).configRoundTrip(yes)));
    }

    @Test
    void freestyleFormLeavesTheGlobalDefaultAlone() throws Exception {
        for (boolean globalDefault : new boolean[] {false, true}) {
            SpellConfiguration.get().setValidateByDefault(globalDefault);
            FreeStyleProject p = r.createFreeStyleProject();
            p.getBuildWrappersList().add(new SecretBuildWrapper(List.of(new SpellTokenBinding(CREDENTIALS_ID))));
            p = r.configRoundtrip(p);
            String what = "validateByDefault=" + globalDefault;
            String xml = Files.readString(p.getConfigFile().getFile().toPath());
            assertFalse(xml.contains("<validate>"), what + ": " + xml);

            SpellConfiguration.get().setValidateByDefault(!globalDefault);
            fake.clearRequests();
            FreeStyleBuild b = r.buildAndAssertSuccess(p);
            assertEquals(globalDefault ? 0 : 1, checks(), what + " then " + !globalDefault);
            r.assertLogNotContains(TOKEN, b);
        }
    }

    @Test
    void freestyleFormKeepsAnExplicitChoice() throws Exception {
        for (boolean globalDefault : new boolean[] {false, true}) {
            SpellConfiguration.get().setValidateByDefault(globalDefault);
            SpellTokenBinding binding = new SpellTokenBinding(CREDENTIALS_ID);
            binding.setValidate(!globalDefault);
            FreeStyleProject p = r.createFreeStyleProject();
            p.getBuildWrappersList().add(new SecretBuildWrapper(List.of(binding)));
            p = r.configRoundtrip(p);
            fake.clearRequests();
            r.buildAndAssertSuccess(p);
            assertEquals(globalDefault ? 0 : 1, checks(), "validate=" + !globalDefault + " kept");
        }
    }
}

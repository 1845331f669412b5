package io.jenkins.plugins.spell;

import io.jenkins.plugins.spell.hygiene.SpellHygieneState;
import io.jenkins.plugins.spell.hygiene.SpellPerBuildToken;

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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.Functions;
import io.spellci.fakeapi.FakeSpellApi;
import java.io.File;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A controller restart inside the block: the token is in no file of the build, program.dat included. */
class RestartTest {

    @SuppressWarnings("unused")
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    /** Lives in the test JVM, so it survives the Jenkins restarts. */
    private FakeSpellApi fake;

    @BeforeEach
    void startFake() {
        fake = startFakeApi();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void restartInsideWithSpell() throws Throwable {
        sessions.then(r -> {
            addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition(
                    "node {\n  withSpell(credentialsId: '" + CREDENTIALS_ID + "') {\n"
                            + "    semaphore 'inside'\n"
                            + printAndSaveToken("SPELL_TOKEN", "SPELL_OWNER")
                            + "  }\n}",
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("inside/1", b);
            r.assertLogContains(
                    Functions.isWindows()
                            ? "Masking supported pattern matches of %SPELL_TOKEN%"
                            : "Masking supported pattern matches of $SPELL_TOKEN",
                    b);
            assertEquals(Set.of(), grep(b.getRootDir(), TOKEN), "before the restart");
        });
        sessions.then(r -> {
            WorkflowJob p = r.jenkins.getItemByFullName("p", WorkflowJob.class);
            assertNotNull(p);
            WorkflowRun b = p.getBuildByNumber(1);
            assertNotNull(b);
            assertTrue(new File(b.getRootDir(), "program.dat").isFile(), "the paused program was saved");
            assertEquals(Set.of(), grep(b.getRootDir(), TOKEN), "after the restart, program.dat included");
            SemaphoreStep.success("inside/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("token=****", b);
            r.assertLogContains("owner=" + OWNER, b);
            r.assertLogNotContains(TOKEN, b);
            assertEquals(TOKEN, r.jenkins.getWorkspaceFor(p).child("token.txt").readToString().trim(),
                    "the environment was restored after the restart");
            assertEquals(Set.of(), grep(b.getRootDir(), TOKEN), "after the build");
        });
    }

    @Test
    void ephemeralTokenIsDeletedAfterARestart() throws Throwable {
        sessions.then(r -> {
            useFakeApi(fake);
            addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition(
                    "withCredentials([spellToken(credentialsId: '" + CREDENTIALS_ID + "', ephemeral: true)]) {\n"
                            + "  semaphore 'inside'\n"
                            + "}",
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("inside/1", b);
            assertEquals(2, fake.tokenNames(USER).size());
        });
        sessions.then(r -> {
            WorkflowRun b = r.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            assertEquals(Set.of(), grep(b.getRootDir(), EPHEMERAL_VALUE_PREFIX), "only the name is kept");
            assertEquals(Set.of(), grep(b.getRootDir(), TOKEN));
            SemaphoreStep.success("inside/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("Deleted the per-build Spell access token 'ci-jenkins-" + SpellPerBuildToken.controllerId()
                    + "-p-1-tmp120h-", b);
            assertTrue(SpellHygieneState.get().getPerBuildTokens().isEmpty(), "its record is gone with it");
            assertEquals(List.of("ci"), fake.tokenNames(USER));
        });
    }
}

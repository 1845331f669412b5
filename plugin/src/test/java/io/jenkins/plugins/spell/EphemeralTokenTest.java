package io.jenkins.plugins.spell;

import io.jenkins.plugins.spell.hygiene.SpellHygieneState;
import io.jenkins.plugins.spell.hygiene.SpellPerBuildToken;

import static io.jenkins.plugins.spell.SpellTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.spell.SpellTestSupport.EPHEMERAL_VALUE_PREFIX;
import static io.jenkins.plugins.spell.SpellTestSupport.OWNER;
import static io.jenkins.plugins.spell.SpellTestSupport.TOKEN;
import static io.jenkins.plugins.spell.SpellTestSupport.USER;
import static io.jenkins.plugins.spell.SpellTestSupport.addSystemCredential;
import static io.jenkins.plugins.spell.SpellTestSupport.assertNoTokenIn;
import static io.jenkins.plugins.spell.SpellTestSupport.credential;
import static io.jenkins.plugins.spell.SpellTestSupport.grep;
import static io.jenkins.plugins.spell.SpellTestSupport.printAndSaveToken;
import static io.jenkins.plugins.spell.SpellTestSupport.startFakeApi;
import static io.jenkins.plugins.spell.SpellTestSupport.useFakeApi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.Functions;
import hudson.ProxyConfiguration;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.tasks.BatchFile;
import hudson.tasks.Shell;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.RecordedRequest;
import io.spellci.core.api.ApiUrl;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        String log = b.getLog();
        assertTrue(log.indexOf("Creating the per-build Spell access token 'ci-jenkins-")
                        < log.indexOf("Created the per-build Spell access token 'ci-jenkins-"),
                "the name is logged before the create is sent: " + log);
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

    /**
     * The build is aborted while the create is in flight: the bind thread is interrupted, the create's answer never
     * comes, and core's clean-up delete must still go out. The fake holds the create 4 s before it carries it out
     * and the delete 8 s, so the delete lands after the token exists, as a slow real API would have it.
     */
    @Test
    void abortDuringTheCreateStillDeletesTheToken() throws Exception {
        fake.delayNext(1, Duration.ZERO); // GET users/me (the token's check)
        fake.delayNext(1, Duration.ofSeconds(4)); // POST access_tokens
        fake.delayNext(1, Duration.ofSeconds(8)); // DELETE access_tokens/<name>
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', ephemeral: true) { echo 'never here' }");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count("POST") == 0) {
            assertTrue(System.nanoTime() < deadline, "the create was never sent: " + fake.requests());
            Thread.sleep(50);
        }
        b.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        r.assertLogNotContains("never here", b);

        // The delete goes out from the interrupted bind thread, which may outlive the build.
        while (!(count("DELETE") == 1 && fake.tokenNames(USER).equals(List.of("ci")))) {
            assertTrue(System.nanoTime() < deadline, "the per-build token was left alive: " + fake.tokenNames(USER)
                    + " " + fake.requests());
            Thread.sleep(100);
        }
        assertEquals(1, count("POST"), "no second token is made for a stopped build");
        Matcher logged = Pattern.compile("Creating the per-build Spell access token '(ci-jenkins-[^']+)'")
                .matcher(b.getLog());
        assertTrue(logged.find(), "the name is in the log: " + b.getLog());
        String name = logged.group(1);
        RecordedRequest delete = fake.requests().stream()
                .filter(q -> q.method().equals("DELETE"))
                .findFirst()
                .orElseThrow();
        assertTrue(delete.body().contains("\"" + name + "\""), "the logged name is the one deleted: " + delete.body());
        assertNoTokenIn(r, b);
    }

    /**
     * With the default URL, where Spell's hosted API no longer answers, a failed check or create says where to set
     * another URL. Hermetic: Jenkins' proxy (which the plugin must follow, not the environment's) is a local socket
     * that refuses every CONNECT, so nothing leaves this machine.
     */
    @Test
    void failureAtTheDefaultUrlSaysWhereToChangeIt() throws Exception {
        SpellConfiguration.get().setApiUrl("");
        List<String> connects = new CopyOnWriteArrayList<>();
        try (ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread refuser = new Thread(() -> {
                while (!proxy.isClosed()) {
                    try (Socket s = proxy.accept()) {
                        connects.add(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                                .readLine());
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (Exception e) {
                        // closed at the end of the test
                    }
                }
            }, "refusing-proxy");
            refuser.setDaemon(true);
            refuser.start();
            r.jenkins.setProxy(new ProxyConfiguration("127.0.0.1", proxy.getLocalPort()));

            for (String option : List.of("validate: true", "ephemeral: true")) {
                WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID + "', " + option
                        + ") { echo 'never here' }");
                WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
                r.assertLogContains(ApiUrl.DEFAULT_NO_LONGER_ANSWERS
                        + ": set the URL of your Spell API under Manage Jenkins \u00bb System \u00bb Spell.", b);
                r.assertLogNotContains("never here", b);
                assertNoTokenIn(r, b);
            }
        } finally {
            r.jenkins.setProxy(null);
        }
        assertTrue(!connects.isEmpty() && connects.stream().allMatch(l -> l.startsWith("CONNECT api.spell.run:443 ")),
                "the calls went through Jenkins' proxy: " + connects);
        assertEquals(List.of(), fake.requests(), "nothing reached the fake");
    }

    @Test
    void deletesTheTokenWhenTheBlockFails() throws Exception {
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', ephemeral: true) { error 'the training failed' }");
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("the training failed", b);
        r.assertLogContains("Deleted the per-build Spell access token", b);
        assertNoTokenIn(r, b);
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
        assertNoTokenIn(r, b);
        assertTrue(fake.tokenNames(USER).contains(ephemeralName), "the token really is still there");
    }

    @Test
    void malformedApiAnswerFailsTheBuildWithoutRunningTheBlock() throws Exception {
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', ephemeral: true) { echo 'never here' }");
        fake.failNext(1, 200, "not json at all"); // users/me answers something that is not Spell
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogNotContains("never here", b);
        assertNoTokenIn(r, b);
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
        // the name carries this controller's id and the longest build (default 120 hours)
        r.assertLogContains("Deleted the per-build Spell access token 'ci-jenkins-" + SpellPerBuildToken.controllerId()
                + "-fs-1-tmp120h-", b);
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
        assertNoTokenIn(r, b);
    }

    @Test
    void ownerNotAllowedFailsBeforeTheBlock() throws Exception {
        WorkflowJob p = job("withSpell(credentialsId: '" + CREDENTIALS_ID
                + "', owner: 'someone-else', validate: true) { echo 'never here' }");
        WorkflowRun b = r.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        r.assertLogContains("someone-else", b);
        r.assertLogNotContains("never here", b);
        assertNoTokenIn(r, b);
    }
}

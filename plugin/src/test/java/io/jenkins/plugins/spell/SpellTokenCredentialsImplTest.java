package io.jenkins.plugins.spell;

import static io.jenkins.plugins.spell.SpellTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.spell.SpellTestSupport.OWNER;
import static io.jenkins.plugins.spell.SpellTestSupport.TOKEN;
import static io.jenkins.plugins.spell.SpellTestSupport.addSystemCredential;
import static io.jenkins.plugins.spell.SpellTestSupport.assertNoTokenIn;
import static io.jenkins.plugins.spell.SpellTestSupport.credential;
import static io.jenkins.plugins.spell.SpellTestSupport.startFakeApi;
import static io.jenkins.plugins.spell.SpellTestSupport.useFakeApi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.spellci.fakeapi.FakeSpellApi;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlElementUtil;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The credential type: storage, form round trip, naming, and the Test token button against the fake API. */
@WithJenkins
class SpellTokenCredentialsImplTest {

    private JenkinsRule r;
    private FakeSpellApi fake;

    @BeforeEach
    void setUp(JenkinsRule rule) {
        r = rule;
        fake = startFakeApi();
        useFakeApi(fake);
    }

    @AfterEach
    void tearDown() {
        if (fake != null) { // null when setUp failed: its own failure is the one to see
            fake.close();
        }
    }

    private SpellTokenCredentialsImpl.DescriptorImpl descriptor() {
        return r.jenkins.getDescriptorByType(SpellTokenCredentialsImpl.DescriptorImpl.class);
    }

    private static SpellTokenCredentialsImpl stored(String id) {
        List<SpellTokenCredentials> all = CredentialsProvider.lookupCredentialsInItemGroup(
                SpellTokenCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of());
        return (SpellTokenCredentialsImpl)
                all.stream().filter(c -> c.getId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void formRoundTripKeepsEveryField() throws Exception {
        addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
        // The credentials plugin edits a credential in a dialog: its page loads "updateDialog" with JavaScript and
        // submits it with fetch (JSON form and crumb), as CredentialsSelectHelperTest and BaseStandardCredentialsTest
        // of the credentials plugin drive it. The bare updateDialog fragment has neither, so it cannot be posted.
        JenkinsRule.WebClient wc = r.createWebClient();
        HtmlPage page = wc.goTo("credentials/store/system/domain/_/credential/" + CREDENTIALS_ID);
        HtmlButton update = page.querySelector("button[data-type='credentials-update']");
        assertNotNull(update, "the credential page has an Update button");
        HtmlElementUtil.click(update);
        HtmlForm form = page.querySelector("#credentials-dialog-form");
        assertNotNull(form, "the update dialog was loaded");
        // the form carries the token encrypted, never in plain text
        assertFalse(page.asXml().contains(TOKEN));
        assertEquals(1, form.getInputsByName("_.token").size(), "the token field is in the form");
        assertEquals(OWNER, form.getInputByName("_.owner").getValue());
        form.getInputByName("_.description").setValue("Changed in the form");
        HtmlElementUtil.click(page.querySelector("#cr-dialog-submit"));

        SpellTokenCredentialsImpl after = stored(CREDENTIALS_ID);
        assertEquals("Changed in the form", after.getDescription(), "the form was submitted");
        assertEquals(TOKEN, after.getToken().getPlainText());
        assertEquals(OWNER, after.getOwner());
        assertEquals(CredentialsScope.GLOBAL, after.getScope());
        r.assertEqualDataBoundBeans(
                new SpellTokenCredentialsImpl(
                        CredentialsScope.GLOBAL, CREDENTIALS_ID, "Changed in the form", Secret.fromString(TOKEN), OWNER),
                after);
    }

    @Test
    void tokenIsStoredEncrypted() throws Exception {
        addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
        String xml = Files.readString(new File(r.jenkins.getRootDir(), "credentials.xml").toPath());
        assertTrue(xml.contains("<owner>acme</owner>"), xml);
        assertFalse(xml.contains(TOKEN), "the token is stored encrypted");
    }

    @Test
    void missingTokenIsAnEmptySecretNotNull() {
        SpellTokenCredentialsImpl c = new SpellTokenCredentialsImpl(CredentialsScope.GLOBAL, "x", null, null, OWNER);
        assertNotNull(c.getSecret());
        assertEquals("", c.getSecret().getPlainText());
    }

    @Test
    void ownerIsTrimmed() {
        assertEquals(OWNER, new SpellTokenCredentialsImpl(
                        CredentialsScope.GLOBAL, "x", null, Secret.fromString(TOKEN), "  acme  ")
                .getOwner());
    }

    @Test
    void namesOwnerAndTokenNameThenDescriptionOrId() {
        assertEquals("acme (Spell CI token)", CredentialsNameProvider.name(credential(CREDENTIALS_ID, OWNER)));
        SpellTokenCredentialsImpl named = credential(CREDENTIALS_ID, OWNER);
        named.setTokenName("ci-prod");
        assertEquals("acme/ci-prod (Spell CI token)", CredentialsNameProvider.name(named),
                "two credentials with one description differ by owner and token name");
        assertEquals("acme (spell-ci)", CredentialsNameProvider.name(new SpellTokenCredentialsImpl(
                CredentialsScope.GLOBAL, CREDENTIALS_ID, "", Secret.fromString(TOKEN), OWNER)));
        assertEquals("Spell token for acme", CredentialsNameProvider.name(new SpellTokenCredentialsImpl(
                CredentialsScope.GLOBAL, "0b6e1c6a-3a38-4bb4-9d36-2d2ba0c1c0aa", null, Secret.fromString(TOKEN), OWNER)));
    }

    @Test
    void aTokenPastedIntoOwnerOrTokenNameIsRefusedOnSaveInCoresWords() {
        Exception owner = org.junit.jupiter.api.Assertions.assertThrows(io.spellci.core.InvalidInputException.class,
                () -> new SpellTokenCredentialsImpl(CredentialsScope.GLOBAL, "x", null, Secret.fromString(TOKEN), TOKEN));
        assertTrue(owner.getMessage().startsWith("owner is the access token itself"), owner.getMessage());
        SpellTokenCredentialsImpl c = credential(CREDENTIALS_ID, OWNER);
        Exception name = org.junit.jupiter.api.Assertions.assertThrows(io.spellci.core.InvalidInputException.class,
                () -> c.setTokenName("my-" + TOKEN));
        assertTrue(name.getMessage().startsWith("tokenName contains the access token"), name.getMessage());
        assertEquals(null, c.getTokenName());
        assertNoTokenIn(owner.getMessage() + name.getMessage());
        FormValidation check = descriptor().doCheckTokenName(null, TOKEN, TOKEN);
        assertEquals(FormValidation.Kind.ERROR, check.kind, "the form says so while typing");
        assertNoTokenIn(check.renderHtml());
        assertEquals(FormValidation.Kind.ERROR, descriptor().doCheckOwner(null, TOKEN, TOKEN).kind);
    }

    @Test
    void aTokenPastedIntoTokenNameInTheFormIsNotSaved() throws Exception {
        addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
        JenkinsRule.WebClient wc = r.createWebClient();
        wc.setThrowExceptionOnFailingStatusCode(false);
        HtmlPage page = wc.goTo("credentials/store/system/domain/_/credential/" + CREDENTIALS_ID);
        HtmlElementUtil.click((HtmlButton) page.querySelector("button[data-type='credentials-update']"));
        HtmlForm form = page.querySelector("#credentials-dialog-form");
        form.getInputByName("_.tokenName").setValue(TOKEN);
        HtmlElementUtil.click(page.querySelector("#cr-dialog-submit"));
        assertEquals(null, stored(CREDENTIALS_ID).getTokenName(), "refused, nothing half-written");
        String xml = Files.readString(new File(r.jenkins.getRootDir(), "credentials.xml").toPath());
        assertFalse(xml.contains(TOKEN), "never in clear: " + xml);
    }

    @Test
    void aFreshFormShowsNoErrorAndTheCascWarningIsOnlyForYamlCredentials() throws Exception {
        assertEquals(FormValidation.Kind.OK, descriptor().doCheckOwner(null, "", "").kind);
        assertEquals(FormValidation.Kind.OK, descriptor().doCheckTokenName(null, "", "").kind);
        assertEquals(FormValidation.Kind.OK, descriptor().doCheckRotateEveryDays(null, "30", CREDENTIALS_ID).kind,
                "not in YAML: no warning");
        Files.writeString(new File(r.jenkins.getRootDir(), "jenkins.yaml").toPath(), "credentials:\n  system:\n"
                + "    domainCredentials:\n      - credentials:\n          - spellToken:\n              id: \"" + CREDENTIALS_ID + "\"\n");
        assertEquals(FormValidation.Kind.WARNING, descriptor().doCheckRotateEveryDays(null, "30", CREDENTIALS_ID).kind);
        assertEquals(FormValidation.Kind.OK, descriptor().doCheckRotateEveryDays(null, "0", CREDENTIALS_ID).kind);
        assertEquals(FormValidation.Kind.OK, descriptor().doCheckRotateEveryDays(null, "30", "other").kind);
    }

    @Test
    void testTokenUsesStoredCiphertextOnlyForTheEditedCredentialsOwnValue() throws Exception {
        addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
        String ciphertext = stored(CREDENTIALS_ID).getToken().getEncryptedValue();
        FormValidation own = descriptor().doTestToken(null, OWNER, ciphertext, CREDENTIALS_ID);
        assertEquals(FormValidation.Kind.OK, own.kind, "the form of this very credential sends its ciphertext back: " + own.renderHtml());
        fake.clearRequests();
        FormValidation elsewhere = descriptor().doTestToken(null, OWNER, ciphertext, "another-id");
        assertEquals(FormValidation.Kind.ERROR, elsewhere.kind, "someone else's ciphertext is only text");
        FormValidation noId = descriptor().doTestToken(null, OWNER, ciphertext, null);
        assertEquals(FormValidation.Kind.ERROR, noId.kind);
        assertFalse(fake.requests().stream().anyMatch(q -> ("Bearer " + TOKEN).equals(q.header("Authorization"))),
                "the stored token was never used for them");
        assertNoTokenIn(own.renderHtml() + elsewhere.renderHtml() + noId.renderHtml());
    }

    @Test
    void aCredentialSavedWithoutTokenLoadsWithAnEmptyOne() {
        Object loaded = Jenkins.XSTREAM2.fromXML("<io.jenkins.plugins.spell.SpellTokenCredentialsImpl>"
                + "<scope>GLOBAL</scope><id>old</id><owner>acme</owner><tokenName>ci</tokenName>"
                + "</io.jenkins.plugins.spell.SpellTokenCredentialsImpl>");
        SpellTokenCredentialsImpl c = (SpellTokenCredentialsImpl) loaded;
        assertNotNull(c.getToken());
        assertEquals("", c.getSecret().getPlainText());
        assertEquals("ci", c.getTokenName());
        assertEquals("acme", c.getOwner());
    }

    @Test
    void blankIdBecomesAUuid() {
        SpellTokenCredentialsImpl c =
                new SpellTokenCredentialsImpl(CredentialsScope.GLOBAL, "", null, Secret.fromString(TOKEN), OWNER);
        assertNotNull(c.getId());
        assertEquals(36, c.getId().length());
    }

    @Test
    void testTokenOk() {
        FormValidation v = descriptor().doTestToken(null, OWNER, TOKEN, null);
        assertEquals(FormValidation.Kind.OK, v.kind, v.renderHtml());
        assertTrue(v.renderHtml().contains("alice"), v.renderHtml());
        assertTrue(v.renderHtml().contains(OWNER), v.renderHtml());
        assertFalse(v.renderHtml().contains(TOKEN));
        assertEquals(1, fake.requests().size());
        assertEquals("Bearer " + TOKEN, fake.lastRequest().header("Authorization"));
    }

    @Test
    void testTokenRejected() {
        String wrong = "sp3ll-wr0ng-t0ken-000000000000";
        FormValidation v = descriptor().doTestToken(null, OWNER, wrong, null);
        assertEquals(FormValidation.Kind.ERROR, v.kind);
        assertTrue(v.renderHtml().contains("HTTP 401"), v.renderHtml());
        assertFalse(v.renderHtml().contains(wrong));
        assertNoTokenIn(v.renderHtml());
    }

    @Test
    void testTokenOwnerNotAllowed() {
        FormValidation v = descriptor().doTestToken(null, "other-org", TOKEN, null);
        assertEquals(FormValidation.Kind.ERROR, v.kind);
        assertTrue(v.renderHtml().contains("other-org"), v.renderHtml());
        assertTrue(v.renderHtml().contains(OWNER), "lists the owners the token may use: " + v.renderHtml());
        assertNoTokenIn(v.renderHtml());
    }

    @Test
    void testTokenChecksInputsBeforeCallingSpell() {
        FormValidation noToken = descriptor().doTestToken(null, OWNER, "", null);
        assertEquals(FormValidation.Kind.ERROR, noToken.kind);
        FormValidation badOwner = descriptor().doTestToken(null, "acme/ml", TOKEN, null);
        assertEquals(FormValidation.Kind.ERROR, badOwner.kind);
        assertTrue(badOwner.renderHtml().contains("owner"), badOwner.renderHtml());
        assertNoTokenIn(badOwner.renderHtml());
        assertEquals(0, fake.requests().size(), "nothing was sent");
    }

    @Test
    void testTokenRefusesTheTokenPastedAsOwnerAsAFormError() {
        // core's verify throws an unchecked InvalidInputException for this; it must not become an error page
        FormValidation v = descriptor().doTestToken(null, TOKEN, TOKEN, null);
        assertEquals(FormValidation.Kind.ERROR, v.kind);
        assertTrue(v.renderHtml().contains("is the access token itself"), v.renderHtml());
        assertNoTokenIn(v.renderHtml());
        assertEquals(0, fake.requests().size(), "nothing was sent");
    }

    @Test
    void testTokenMessagesArePlainTextNotMarkup() {
        FormValidation v = descriptor().doTestToken(null, "<img-src=x>", TOKEN, null);
        assertEquals(FormValidation.Kind.ERROR, v.kind);
        assertFalse(v.renderHtml().contains("<img-src=x>"), v.renderHtml());
        assertTrue(v.renderHtml().contains("&lt;img-src=x&gt;"), v.renderHtml());
        assertNoTokenIn(v.renderHtml());
    }

    @Test
    void checkOwnerUsesCoreRules() {
        assertEquals(FormValidation.Kind.OK, descriptor().doCheckOwner(null, OWNER, null).kind);
        assertEquals(FormValidation.Kind.OK, descriptor().doCheckOwner(null, "", null).kind, "a fresh form shows no error");
        assertEquals(FormValidation.Kind.ERROR, descriptor().doCheckOwner(null, "acme ml", null).kind);
        assertEquals(FormValidation.Kind.ERROR, descriptor().doCheckOwner(null, "acme\\ml", null).kind);
    }

    @Test
    void systemScopedCredentialIsNotOfferedToJobs() throws Exception {
        addSystemCredential(r, new SpellTokenCredentialsImpl(
                CredentialsScope.SYSTEM, "spell-system", null, Secret.fromString(TOKEN), OWNER));
        addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
        var p = r.createFreeStyleProject();
        var model = r.jenkins.getDescriptorByType(SpellTokenBinding.DescriptorImpl.class).doFillCredentialsIdItems(p);
        assertTrue(model.stream().anyMatch(o -> o.value.equals(CREDENTIALS_ID)));
        assertFalse(model.stream().anyMatch(o -> o.value.equals("spell-system")));
        var root = r.jenkins.getDescriptorByType(WithSpellStep.DescriptorImpl.class).doFillCredentialsIdItems(null, "");
        assertFalse(root.stream().anyMatch(o -> o.value.equals("spell-system")));
    }
}

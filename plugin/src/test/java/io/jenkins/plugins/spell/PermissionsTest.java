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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.spellci.fakeapi.FakeSpellApi;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.springframework.security.access.AccessDeniedException;

/**
 * Every doFill, doCheck and doTest method, as users with different permissions
 * (MockAuthorizationStrategy), called directly and over HTTP (POST only, with a crumb).
 */
@WithJenkins
class PermissionsTest {

    private static final String ADMIN = "admin";
    private static final String READER = "reader"; // Overall/Read and Job/Read only
    private static final String CONFIGURER = "configurer"; // Job/Configure on p
    private static final String FOLDER_MANAGER = "folder-manager"; // Credentials/Create and Update on folder team
    private static final String EXTENDED_READER = "extended-reader"; // Job/ExtendedRead on p
    private static final String CREDENTIALS_USER = "credentials-user"; // Credentials/UseItem on p

    private JenkinsRule r;
    private FakeSpellApi fake;
    private FreeStyleProject p;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        fake = startFakeApi();
        useFakeApi(fake);
        addSystemCredential(r, credential(CREDENTIALS_ID, OWNER));
        p = r.createFreeStyleProject("p");
        Folder team = r.jenkins.createProject(Folder.class, "team");
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to(ADMIN)
                .grant(Jenkins.READ, Item.READ).everywhere()
                        .to(READER, CONFIGURER, EXTENDED_READER, CREDENTIALS_USER, FOLDER_MANAGER)
                .grant(CredentialsProvider.CREATE, CredentialsProvider.UPDATE, CredentialsProvider.VIEW)
                        .onFolders(team).to(FOLDER_MANAGER)
                .grant(Item.CONFIGURE).onItems(p).to(CONFIGURER)
                .grant(Item.EXTENDED_READ).onItems(p).to(EXTENDED_READER)
                .grant(CredentialsProvider.USE_ITEM).onItems(p).to(CREDENTIALS_USER));
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @SuppressWarnings("try") // the context only needs to be open while the call runs
    private static <T> T as(String user, Callable<T> call) throws Exception {
        try (ACLContext ignored = ACL.as(User.getById(user, true))) {
            return call.call();
        }
    }

    private static boolean lists(ListBoxModel model, String id) {
        return model.stream().anyMatch(o -> o.value.equals(id));
    }

    private SpellTokenBinding.DescriptorImpl binding() {
        return r.jenkins.getDescriptorByType(SpellTokenBinding.DescriptorImpl.class);
    }

    private WithSpellStep.DescriptorImpl step() {
        return r.jenkins.getDescriptorByType(WithSpellStep.DescriptorImpl.class);
    }

    private SpellTokenCredentialsImpl.DescriptorImpl credentials() {
        return r.jenkins.getDescriptorByType(SpellTokenCredentialsImpl.DescriptorImpl.class);
    }

    @Test
    void fillCredentialsIdItemsOfTheBinding() throws Exception {
        assertTrue(as(ADMIN, () -> lists(binding().doFillCredentialsIdItems(null), CREDENTIALS_ID)));
        assertTrue(as(ADMIN, () -> lists(binding().doFillCredentialsIdItems(p), CREDENTIALS_ID)));
        assertTrue(as(CONFIGURER, () -> lists(binding().doFillCredentialsIdItems(p), CREDENTIALS_ID)));
        assertTrue(as(EXTENDED_READER, () -> lists(binding().doFillCredentialsIdItems(p), CREDENTIALS_ID)));
        assertTrue(as(CREDENTIALS_USER, () -> lists(binding().doFillCredentialsIdItems(p), CREDENTIALS_ID)));
        assertEquals(0, as(READER, () -> binding().doFillCredentialsIdItems(p).size()));
        assertEquals(0, as(CONFIGURER, () -> binding().doFillCredentialsIdItems(null).size()));
    }

    @Test
    void fillCredentialsIdItemsOfTheStepKeepsTheCurrentValue() throws Exception {
        assertTrue(as(ADMIN, () -> lists(step().doFillCredentialsIdItems(null, ""), CREDENTIALS_ID)));
        assertTrue(as(EXTENDED_READER, () -> lists(step().doFillCredentialsIdItems(p, ""), CREDENTIALS_ID)));
        ListBoxModel reader = as(READER, () -> step().doFillCredentialsIdItems(p, "some-id"));
        assertEquals(1, reader.size(), "only the current value, no enumeration");
        assertEquals("some-id", reader.get(0).value);
        ListBoxModel rootReader = as(READER, () -> step().doFillCredentialsIdItems(null, CREDENTIALS_ID));
        assertEquals(1, rootReader.size());
        ListBoxModel admin = as(ADMIN, () -> step().doFillCredentialsIdItems(p, "gone"));
        assertTrue(lists(admin, "gone"), "a saved id that no longer exists stays selectable");
    }

    @Test
    void checkCredentialsIdTellsNothingWithoutPermission() throws Exception {
        for (var check : List.<CheckCall>of(
                (i, v) -> binding().doCheckCredentialsId(i, v), (i, v) -> step().doCheckCredentialsId(i, v))) {
            assertEquals(FormValidation.Kind.OK, as(ADMIN, () -> check.call(p, CREDENTIALS_ID)).kind);
            assertEquals(FormValidation.Kind.ERROR, as(ADMIN, () -> check.call(p, "missing")).kind);
            assertEquals(FormValidation.Kind.ERROR, as(EXTENDED_READER, () -> check.call(p, "missing")).kind);
            assertEquals(FormValidation.Kind.OK, as(READER, () -> check.call(p, "missing")).kind);
            assertEquals(FormValidation.Kind.OK, as(READER, () -> check.call(null, "missing")).kind);
            assertEquals(FormValidation.Kind.WARNING, as(ADMIN, () -> check.call(p, "${SPELL_CREDS}")).kind);
        }
    }

    @FunctionalInterface
    private interface CheckCall {
        FormValidation call(Item item, String value);
    }

    @Test
    void checkVariablesAndOwnerOverrideOfTheBinding() throws Exception {
        assertVariableAndOwnerChecks(
                (i, v) -> binding().doCheckVariable(i, v, "SPELL_OWNER"),
                (i, v) -> binding().doCheckOwnerVariable(i, "SPELL_TOKEN", v),
                (i, v) -> binding().doCheckOwner(i, v));
    }

    @Test
    void checkVariablesAndOwnerOverrideOfTheStep() throws Exception {
        assertVariableAndOwnerChecks(
                (i, v) -> step().doCheckVariable(i, v, "SPELL_OWNER"),
                (i, v) -> step().doCheckOwnerVariable(i, "SPELL_TOKEN", v),
                (i, v) -> step().doCheckOwner(i, v));
    }

    private void assertVariableAndOwnerChecks(CheckCall variable, CheckCall ownerVariable, CheckCall owner)
            throws Exception {
        assertEquals(FormValidation.Kind.OK, as(CONFIGURER, () -> variable.call(p, "MY_TOKEN")).kind);
        assertEquals(FormValidation.Kind.OK, as(CONFIGURER, () -> variable.call(p, "")).kind, "blank: the default");
        assertEquals(FormValidation.Kind.ERROR, as(CONFIGURER, () -> variable.call(p, "NODE_OPTIONS")).kind);
        assertEquals(FormValidation.Kind.ERROR, as(CONFIGURER, () -> variable.call(p, "SPELL_OWNER")).kind);
        assertEquals(FormValidation.Kind.ERROR, as(CONFIGURER, () -> ownerVariable.call(p, "1BAD")).kind);
        assertEquals(FormValidation.Kind.OK, as(CONFIGURER, () -> owner.call(p, "")).kind);
        assertEquals(FormValidation.Kind.ERROR, as(CONFIGURER, () -> owner.call(p, "a/b")).kind);
        // users who may not see the job's configuration learn nothing
        assertEquals(FormValidation.Kind.OK, as(READER, () -> variable.call(p, "NODE_OPTIONS")).kind);
        assertEquals(FormValidation.Kind.OK, as(READER, () -> owner.call(p, "a/b")).kind);
    }

    @Test
    void checkOwnerOfTheCredentialForm() throws Exception {
        assertEquals(FormValidation.Kind.ERROR, as(ADMIN, () -> credentials().doCheckOwner(null, "a b", null)).kind);
        // Job/Configure is no permission on credentials: a job has no credentials store
        assertEquals(FormValidation.Kind.OK, as(CONFIGURER, () -> credentials().doCheckOwner(p, "a b", null)).kind);
        assertEquals(FormValidation.Kind.OK, as(READER, () -> credentials().doCheckOwner(null, "a b", null)).kind);
        assertEquals(FormValidation.Kind.OK, as(EXTENDED_READER, () -> credentials().doCheckOwner(p, "a b", null)).kind);
    }

    @Test
    void testTokenNeedsCredentialsCreateOrUpdateOnTheStore() throws Exception {
        String token = TOKEN;
        assertEquals(FormValidation.Kind.OK, as(ADMIN, () -> credentials().doTestToken(null, OWNER, token, null)).kind);
        assertEquals(FormValidation.Kind.OK, as(ADMIN, () -> credentials().doTestToken(r.jenkins, OWNER, token, null)).kind);
        int before = fake.requests().size();
        assertThrows(AccessDeniedException.class, () -> as(CONFIGURER, () -> credentials().doTestToken(p, OWNER, token, null)));
        assertThrows(AccessDeniedException.class, () -> as(READER, () -> credentials().doTestToken(null, OWNER, token, null)));
        assertThrows(AccessDeniedException.class, () -> as(CONFIGURER, () -> credentials().doTestToken(null, OWNER, token, null)));
        assertThrows(AccessDeniedException.class, () -> as(EXTENDED_READER, () -> credentials().doTestToken(p, OWNER, token, null)));
        assertThrows(AccessDeniedException.class, () -> as(CREDENTIALS_USER, () -> credentials().doTestToken(p, OWNER, token, null)));
        assertEquals(before, fake.requests().size(), "refused calls sent nothing to Spell");
    }

    @Test
    void checkApiUrlNeedsAdminister() throws Exception {
        SpellConfiguration config = SpellConfiguration.get();
        assertEquals(FormValidation.Kind.OK, as(ADMIN, () -> config.doCheckApiUrl("https://spell.example.com")).kind);
        assertEquals(FormValidation.Kind.ERROR, as(ADMIN, () -> config.doCheckApiUrl("http://spell.example.com")).kind);
        assertThrows(AccessDeniedException.class, () -> as(READER, () -> config.doCheckApiUrl("https://x.example")));
        assertThrows(AccessDeniedException.class, () -> as(CONFIGURER, () -> config.doCheckApiUrl("https://x.example")));
    }

    // ---------------------------------------------------------------- over HTTP

    private WebResponse request(String user, HttpMethod method, String path, Map<String, String> params)
            throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        if (user != null) {
            wc.login(user);
        }
        if (method == HttpMethod.POST) {
            WebRequest req = new WebRequest(new URL(r.getURL(), path), method);
            List<NameValuePair> pairs = new ArrayList<>();
            params.forEach((k, v) -> pairs.add(new NameValuePair(k, v)));
            req.setRequestParameters(pairs);
            wc.addCrumb(req);
            return wc.getPage(req).getWebResponse();
        }
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.length() == 0 ? '?' : '&')
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        WebRequest req = new WebRequest(new URL(r.getURL(), path + query), method);
        return wc.getPage(req).getWebResponse();
    }

    /** The answer's status; the token sent with the request is in no answer, refused or not. */
    private static int status(WebResponse response) {
        assertNoTokenIn(response.getContentAsString());
        return response.getStatusCode();
    }

    @Test
    void testTokenOverHttp() throws Exception {
        String path = "descriptorByName/" + SpellTokenCredentialsImpl.class.getName() + "/testToken";
        Map<String, String> params = Map.of("owner", OWNER, "token", TOKEN);

        WebResponse ok = request(ADMIN, HttpMethod.POST, path, params);
        assertEquals(200, ok.getStatusCode());
        assertTrue(ok.getContentAsString().contains("alice"), ok.getContentAsString());

        int before = fake.requests().size();
        assertEquals(403, status(request(READER, HttpMethod.POST, path, params)));
        assertNotEquals(200, request(ADMIN, HttpMethod.GET, path, params).getStatusCode(), "GET is not routed");
        assertEquals(403, status(request(CONFIGURER, HttpMethod.POST, path, params)), "the system store");
        assertEquals(403, status(request(CONFIGURER, HttpMethod.POST, "job/p/" + path, params)),
                "Job/Configure is no credentials permission");
        assertEquals(200, status(request(ADMIN, HttpMethod.POST, "job/p/" + path, params)));
        assertEquals(403, status(request(EXTENDED_READER, HttpMethod.POST, "job/p/" + path, params)));
        assertEquals(before + 1, fake.requests().size(), "only the allowed POSTs reached Spell");
    }

    /**
     * The credential form is opened from a credentials store (Jenkins, a folder, a user's own): Test token and the
     * owner check answer whoever may create or update credentials in that store, as the Credentials plugin does.
     */
    @Test
    void testTokenAndCheckOwnerFollowTheStoreTheFormIsOpenedFrom() throws Exception {
        String test = "descriptorByName/" + SpellTokenCredentialsImpl.class.getName() + "/testToken";
        String check = "descriptorByName/" + SpellTokenCredentialsImpl.class.getName() + "/checkOwner";
        Map<String, String> params = Map.of("owner", OWNER, "token", TOKEN);

        WebResponse folder = request(FOLDER_MANAGER, HttpMethod.POST, "job/team/" + test, params);
        assertEquals(200, folder.getStatusCode(), "a folder's credential manager: " + folder.getContentAsString());
        assertTrue(folder.getContentAsString().contains("alice"), folder.getContentAsString());
        assertFalse(folder.getContentAsString().contains(TOKEN));
        assertTrue(request(FOLDER_MANAGER, HttpMethod.POST, "job/team/" + check, Map.of("value", "a b"))
                .getContentAsString().contains("error"), "the owner check answers the folder's manager");

        WebResponse own = request(READER, HttpMethod.POST, "user/" + READER + "/" + test, params);
        assertEquals(200, own.getStatusCode(), "a user's own store: " + own.getContentAsString());
        assertTrue(own.getContentAsString().contains("alice"), own.getContentAsString());

        User.getById(ADMIN, true).save();
        int before = fake.requests().size();
        assertEquals(403, status(request(FOLDER_MANAGER, HttpMethod.POST, test, params)), "not the system store");
        assertEquals(403, status(request(READER, HttpMethod.POST, "job/team/" + test, params)));
        assertEquals(403, status(request(READER, HttpMethod.POST, "user/" + ADMIN + "/" + test, params)),
                "another user's store");
        assertFalse(request(READER, HttpMethod.POST, "job/team/" + check, Map.of("value", "a b"))
                .getContentAsString().contains("error"), "the owner check tells others nothing");
        assertEquals(before, fake.requests().size(), "refused calls sent nothing to Spell");
    }

    @Test
    void checkMethodsAreNotRoutedForGet() throws Exception {
        for (String path : List.of(
                "descriptorByName/" + SpellTokenBinding.class.getName() + "/checkCredentialsId",
                "descriptorByName/" + WithSpellStep.class.getName() + "/checkCredentialsId",
                "descriptorByName/" + SpellTokenCredentialsImpl.class.getName() + "/checkOwner",
                "descriptorByName/" + SpellConfiguration.class.getName() + "/checkApiUrl")) {
            assertNotEquals(200, request(ADMIN, HttpMethod.GET, "job/p/" + path, Map.of("value", "x")).getStatusCode(), path);
            assertEquals(200, request(ADMIN, HttpMethod.POST, "job/p/" + path, Map.of("value", "x")).getStatusCode(), path);
        }
    }

    @Test
    void fillOverHttpDoesNotEnumerateForReaders() throws Exception {
        String path = "job/p/descriptorByName/" + WithSpellStep.class.getName() + "/fillCredentialsIdItems";
        WebResponse admin = request(ADMIN, HttpMethod.GET, path, Map.of("credentialsId", ""));
        assertTrue(admin.getContentAsString().contains(CREDENTIALS_ID), admin.getContentAsString());
        WebResponse reader = request(READER, HttpMethod.GET, path, Map.of("credentialsId", ""));
        assertEquals(200, reader.getStatusCode());
        assertTrue(!reader.getContentAsString().contains(CREDENTIALS_ID), reader.getContentAsString());
    }
}

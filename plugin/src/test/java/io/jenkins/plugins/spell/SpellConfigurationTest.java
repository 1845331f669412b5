package io.jenkins.plugins.spell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.BulkChange;
import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Manage Jenkins » System » Spell. */
@WithJenkins
class SpellConfigurationTest {

    @Test
    void defaults(JenkinsRule r) {
        SpellConfiguration config = SpellConfiguration.get();
        assertEquals(ApiUrl.DEFAULT, config.getApiUrl());
        assertTrue(config.apiUrl().isDefault());
        assertFalse(config.isValidateByDefault());
    }

    @Test
    void formRoundTripAndPersistence(JenkinsRule r) throws Exception {
        SpellConfiguration config = SpellConfiguration.get();
        config.setApiUrl("https://spell.example.com/");
        config.setValidateByDefault(true);
        r.configRoundtrip();
        assertEquals("https://spell.example.com", config.getApiUrl(), "normalized by core");
        assertTrue(config.isValidateByDefault());

        SpellConfiguration reloaded = new SpellConfiguration(); // load() reads what save() wrote
        assertEquals("https://spell.example.com", reloaded.getApiUrl());
        assertTrue(reloaded.isValidateByDefault());
    }

    @Test
    void blankMeansTheDefault(JenkinsRule r) {
        SpellConfiguration config = SpellConfiguration.get();
        config.setApiUrl("https://spell.example.com");
        config.setApiUrl("  ");
        assertEquals(ApiUrl.DEFAULT, config.getApiUrl());
    }

    @Test
    void refusesPlainHttpToARemoteHost(JenkinsRule r) {
        SpellConfiguration config = SpellConfiguration.get();
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> config.setApiUrl("http://spell.example.com"));
        assertEquals("apiUrl", e.field());
        assertEquals(ApiUrl.DEFAULT, config.getApiUrl(), "unchanged");
        config.setApiUrl("http://127.0.0.1:5000"); // loopback is fine: tests and local fakes
        assertEquals("http://127.0.0.1:5000", config.getApiUrl());
    }

    @Test
    void formRefusesAnInsecureUrlWithAMessage(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        HtmlForm form = wc.goTo("configure").getFormByName("config");
        form.getInputByName("_.apiUrl").setValue("http://spell.example.com");
        HtmlPage result = r.submit(form);
        assertNotEquals(200, result.getWebResponse().getStatusCode());
        assertTrue(result.getWebResponse().getContentAsString().contains("plain http://"),
                result.getWebResponse().getContentAsString());
        assertEquals(ApiUrl.DEFAULT, SpellConfiguration.get().getApiUrl(), "unchanged");
    }

    /** A refused save changes nothing, on disk or in memory: the URL is checked before any field is bound. */
    @Test
    void refusedFormSaveAppliesNothing(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        HtmlForm form = wc.goTo("configure").getFormByName("config");
        form.getInputByName("_.apiUrl").setValue("http://spell.example.com");
        form.getInputByName("_.validateByDefault").setChecked(true);
        HtmlPage result = r.submit(form);
        assertNotEquals(200, result.getWebResponse().getStatusCode());
        assertFalse(SpellConfiguration.get().isValidateByDefault(), "not applied");
        assertFalse(new SpellConfiguration().isValidateByDefault(), "not saved");
        assertEquals(ApiUrl.DEFAULT, new SpellConfiguration().getApiUrl());
    }

    /** A valid save writes the file once, with both fields. */
    @Test
    void formSaveWritesOnce(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        HtmlForm form = wc.goTo("configure").getFormByName("config");
        form.getInputByName("_.apiUrl").setValue("https://spell.example.com");
        form.getInputByName("_.validateByDefault").setChecked(true);
        int[] saves = {0};
        hudson.model.listeners.SaveableListener counter = new hudson.model.listeners.SaveableListener() {
            @Override
            public void onChange(hudson.model.Saveable o, hudson.XmlFile file) {
                if (o instanceof SpellConfiguration) {
                    saves[0]++;
                }
            }
        };
        hudson.ExtensionList.lookup(hudson.model.listeners.SaveableListener.class).add(counter);
        try {
            r.submit(form);
        } finally {
            hudson.ExtensionList.lookup(hudson.model.listeners.SaveableListener.class).remove(counter);
        }
        assertEquals(1, saves[0], "one save for the whole form");
        SpellConfiguration reloaded = new SpellConfiguration();
        assertEquals("https://spell.example.com", reloaded.getApiUrl());
        assertTrue(reloaded.isValidateByDefault());
    }

    /**
     * Configuration as Code applies a file inside one BulkChange, setting the fields in no fixed order: when
     * validateByDefault comes first and the URL is refused, what the file set is dropped, not just left unsaved.
     */
    @Test
    void refusedUrlInABulkChangeDropsWhatItSetBefore(JenkinsRule r) throws Exception {
        SpellConfiguration config = SpellConfiguration.get();
        config.setApiUrl("https://spell.example.com");
        try (BulkChange bc = new BulkChange(config)) {
            config.setValidateByDefault(true);
            assertThrows(InvalidInputException.class, () -> config.setApiUrl("http://spell.example.com"));
        }
        assertFalse(config.isValidateByDefault(), "not applied");
        assertEquals("https://spell.example.com", config.getApiUrl());
        assertFalse(new SpellConfiguration().isValidateByDefault(), "not saved");
    }
}

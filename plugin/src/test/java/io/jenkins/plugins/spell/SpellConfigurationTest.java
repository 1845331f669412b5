package io.jenkins.plugins.spell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}

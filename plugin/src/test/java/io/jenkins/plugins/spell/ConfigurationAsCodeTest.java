package io.jenkins.plugins.spell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.security.ACL;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration as Code: {@code credentials: ... spellToken:} and {@code unclassified: spell:}. */
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

    private static final String CASC_TOKEN = "sp3ll-casc-t0ken-1a2b3c4d5e6f";

    @Test
    @ConfiguredWithCode("configuration-as-code.yaml")
    void importsCredentialAndGlobalConfiguration(JenkinsConfiguredWithCodeRule r) {
        List<SpellTokenCredentials> found = CredentialsProvider.lookupCredentialsInItemGroup(
                SpellTokenCredentials.class, r.jenkins, ACL.SYSTEM2, List.of());
        assertEquals(1, found.size());
        SpellTokenCredentials c = found.get(0);
        assertEquals("spell-ci", c.getId());
        assertEquals("Spell CI token", c.getDescription());
        assertEquals("acme", c.getOwner());
        assertEquals(CASC_TOKEN, c.getToken().getPlainText());
        assertEquals(CredentialsScope.GLOBAL, c.getScope());

        SpellConfiguration config = SpellConfiguration.get();
        assertEquals("https://spell.example.com", config.getApiUrl());
        assertTrue(config.isValidateByDefault());
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yaml")
    void exportsSymbolsAndNeverThePlainToken(JenkinsConfiguredWithCodeRule r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfigurationAsCode.get().export(out);
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertTrue(yaml.contains("spellToken:"), yaml);
        assertTrue(yaml.matches("(?s).*owner: \"?acme\"?\n.*"), yaml);
        assertTrue(yaml.contains("spell:"), yaml);
        assertTrue(yaml.matches("(?s).*apiUrl: \"?https://spell\\.example\\.com\"?\n.*"), yaml);
        assertFalse(yaml.contains(CASC_TOKEN), "the token is exported encrypted, never in plain text");
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yaml")
    void refusesAnApiUrlThatWouldSendTheTokenInClear(JenkinsConfiguredWithCodeRule r) throws Exception {
        String yaml = Paths.get(getClass().getResource("bad-api-url.yaml").toURI()).toString();
        Exception e = assertThrows(Exception.class, () -> ConfigurationAsCode.get().configure(yaml));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        // core's message names the field and says why: plain http would send the token in clear
        assertTrue(messages.toString().contains(
                        "apiUrl uses plain http:// for a host that is not loopback (spell.example.com)"),
                messages.toString());
        // nothing of the refused file applies, in memory or on disk, whatever order JCasC sets the fields in
        assertEquals("https://spell.example.com", SpellConfiguration.get().getApiUrl(), "unchanged");
        assertTrue(SpellConfiguration.get().isValidateByDefault(), "validateByDefault: false was not applied");
        SpellConfiguration saved = new SpellConfiguration();
        assertEquals("https://spell.example.com", saved.getApiUrl());
        assertTrue(saved.isValidateByDefault(), "nor saved");
    }
}

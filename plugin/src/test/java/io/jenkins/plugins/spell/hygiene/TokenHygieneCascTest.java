package io.jenkins.plugins.spell.hygiene;

import io.jenkins.plugins.spell.SpellConfiguration;
import io.jenkins.plugins.spell.SpellTestSupport;
import io.jenkins.plugins.spell.SpellTokenCredentialsImpl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Configuration as Code for the hygiene fields: {@code tokenName}, {@code rotateEveryDays}, {@code spellHygiene:}. */
@WithJenkinsConfiguredWithCode
class TokenHygieneCascTest {

    @Test
    @ConfiguredWithCode("token-hygiene.yaml")
    void importsAndExportsTheHygieneFields(JenkinsConfiguredWithCodeRule r) throws Exception {
        SpellTokenCredentialsImpl c = SpellStoredCredential.find(r.jenkins, "spell-ci").credential();
        assertEquals("jenkins-prod", c.getTokenName());
        assertEquals(30, c.getRotateEveryDays());
        SpellHygieneConfiguration config = SpellHygieneConfiguration.get();
        assertTrue(config.isCheckEnabled());
        assertEquals(12, config.getCheckIntervalHours());
        assertEquals(60, config.getMaxTokenAgeDays());
        assertEquals(0, config.getUnusedDays());
        assertTrue(config.isSweepEnabled());
        assertEquals(48, config.getLongestBuildHours());
        assertEquals(12, config.getGraceHours());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfigurationAsCode.get().export(out);
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertTrue(yaml.matches("(?s).*tokenName: \"?jenkins-prod\"?\n.*"), yaml);
        assertTrue(yaml.contains("spellHygiene:"), yaml);
        assertTrue(yaml.contains("longestBuildHours: 48"), yaml);
        assertFalse(yaml.contains("sp3ll-casc-t0ken-1a2b3c4d5e6f"), "the token is exported encrypted only");
    }

    @Test
    @ConfiguredWithCode("token-hygiene.yaml")
    void aTokenPastedIntoTokenNameIsRefusedInCoresWords(JenkinsConfiguredWithCodeRule r) throws Exception {
        String yaml = java.nio.file.Paths.get(getClass().getResource("token-in-name.yaml").toURI()).toString();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> ConfigurationAsCode.get().configure(yaml));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        assertTrue(messages.toString().contains("tokenName is the access token itself"), messages.toString());
        assertFalse(messages.toString().contains("sp3ll-casc-t0ken-1a2b3c4d5e6f"), "the message never repeats it");
        assertEquals(null, SpellStoredCredential.find(r.jenkins, "pasted"), "nothing half-written");
    }
}

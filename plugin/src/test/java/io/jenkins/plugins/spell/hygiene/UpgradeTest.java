package io.jenkins.plugins.spell.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** What earlier versions saved (classes of the old package, the old fields) loads into this one. */
@WithJenkins
class UpgradeTest {

    @Test
    void theStateAndTheSettingsOfAnEarlierVersionLoad(JenkinsRule r) throws Exception {
        File home = r.jenkins.getRootDir();
        Files.writeString(new File(home, "io.jenkins.plugins.spell.SpellHygieneState.xml").toPath(), """
                <?xml version='1.1' encoding='UTF-8'?>
                <io.jenkins.plugins.spell.SpellHygieneState>
                  <perBuildCredentialIds>
                    <no-comparator/>
                    <string>spell-ci</string>
                  </perBuildCredentialIds>
                  <lastBuildUse>
                    <entry>
                      <string>spell-ci</string>
                      <long>1764583200000</long>
                    </entry>
                  </lastBuildUse>
                  <firstSeen/>
                  <lastCheck>1764583200000</lastCheck>
                  <entries>
                    <io.jenkins.plugins.spell.SpellHygieneEntry>
                      <key>|null|spell-ci</key>
                      <credentialId>spell-ci</credentialId>
                      <store>Jenkins (system)</store>
                      <link>manage/credentials/store/system/domain/_/credential/spell-ci/</link>
                      <owner>acme</owner>
                      <tokenName>ci</tokenName>
                      <age>95 days</age>
                      <lastUse>?</lastUse>
                      <problems>
                        <string>older than the maximum age of 90 days</string>
                      </problems>
                      <todo>Press Rotate token on the credential.</todo>
                    </io.jenkins.plugins.spell.SpellHygieneEntry>
                  </entries>
                  <lastSwept>0</lastSwept>
                  <sweepFailures/>
                  <rotationWarnings/>
                </io.jenkins.plugins.spell.SpellHygieneState>
                """);
        Files.writeString(new File(home, "io.jenkins.plugins.spell.SpellHygieneConfiguration.xml").toPath(), """
                <?xml version='1.1' encoding='UTF-8'?>
                <io.jenkins.plugins.spell.SpellHygieneConfiguration>
                  <checkEnabled>true</checkEnabled>
                  <checkIntervalHours>12</checkIntervalHours>
                  <maxTokenAgeDays>60</maxTokenAgeDays>
                  <unusedDays>0</unusedDays>
                </io.jenkins.plugins.spell.SpellHygieneConfiguration>
                """);

        SpellHygieneState state = SpellHygieneState.get();
        assertEquals(1764583200000L, state.getLastCheck());
        assertEquals(1, state.getEntries().size(), "the findings of the last check are still shown");
        assertEquals("spell-ci", state.getEntries().get(0).getCredentialId());

        SpellHygieneConfiguration config = new SpellHygieneConfiguration();
        assertEquals(12, config.getCheckIntervalHours());
        assertEquals(60, config.getMaxTokenAgeDays());
        assertEquals(0, config.getUnusedDays());
        assertFalse(config.isCheckEnabled(), "the old default-on switch is dropped: the check waits to be turned on");

        config.setGraceHours(12); // saves, in the file of earlier versions
        state.save();
        String saved = Files.readString(new File(home, "io.jenkins.plugins.spell.SpellHygieneConfiguration.xml").toPath());
        assertTrue(saved.contains("<graceHours>12</graceHours>"), saved);
        assertFalse(saved.contains("checkEnabled"), saved);
        String savedState = Files.readString(new File(home, "io.jenkins.plugins.spell.SpellHygieneState.xml").toPath());
        assertFalse(savedState.contains("perBuildCredentialIds"), "the old sweep key is gone: " + savedState);
        assertFalse(savedState.contains("lastBuildUse"), savedState);
        assertEquals(60, new SpellHygieneConfiguration().getMaxTokenAgeDays(), "and reads back");
    }
}

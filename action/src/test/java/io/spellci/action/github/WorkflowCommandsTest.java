package io.spellci.action.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.testing.RunnerLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkflowCommandsTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final WorkflowCommands cmd = new WorkflowCommands(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void escapesPercentFirstThenCarriageReturnAndLineFeed() {
        assertThat(WorkflowCommands.escapeData("100%\r\nnext")).isEqualTo("100%25%0D%0Anext");
        // A literal "%0A" in the value must not come back as a line break.
        assertThat(WorkflowCommands.escapeData("a%0Ab")).isEqualTo("a%250Ab");
        assertThat(WorkflowCommands.escapeData(null)).isEmpty();
    }

    @Test
    void escapesPropertiesAlsoColonAndComma() {
        assertThat(WorkflowCommands.escapeProperty("a:b,c%\n")).isEqualTo("a%3Ab%2Cc%25%0A");
    }

    @Test
    void dataKeepsColonsAndCommas() {
        assertThat(WorkflowCommands.escapeData("::a,b::")).isEqualTo("::a,b::");
    }

    @Test
    void formatsCommandsWithAndWithoutProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("title", "Bad: input, really");
        props.put("file", "");
        assertThat(WorkflowCommands.format("error", props, "line1\nline2"))
                .isEqualTo("::error title=Bad%3A input%2C really::line1%0Aline2");
        assertThat(WorkflowCommands.format("warning", null, "x")).isEqualTo("::warning::x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple-token", "with%percent", "multi\nline\nsecret", "cr\rlf\r\nmix", "%0A-literal",
        "ünïcødé-tøken", "::looks-like-a-command::"})
    void maskRoundTripsThroughTheRunnersUnescaping(String secret) {
        cmd.addMask(secret);
        RunnerLog log = RunnerLog.of(out());
        assertThat(log.masks()).containsExactly(secret);
        assertThat(out().split("\n")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankMasksAreSkipped(String blank) {
        cmd.addMask(blank);
        cmd.addMask(null);
        assertThat(out()).isEmpty();
    }

    @Test
    void annotationsCarryTitleAndEscapedMessage() {
        cmd.error("Spell token rejected", "first\nsecond 50%");
        cmd.warning("Heads up", "careful");
        cmd.notice(null, "fyi");
        RunnerLog log = RunnerLog.of(out());
        assertThat(log.errors()).containsExactly(new RunnerLog.Annotation("error", "Spell token rejected",
                "first\nsecond 50%"));
        assertThat(log.warnings()).extracting(RunnerLog.Annotation::message).containsExactly("careful");
        assertThat(out()).contains("::notice::fyi");
    }

    @Test
    void untrustedTextCannotIssueCommands() {
        cmd.untrusted("::add-mask::nope\n::error::injected");
        RunnerLog log = RunnerLog.of(out());
        assertThat(log.masks()).isEmpty();
        assertThat(log.errors()).isEmpty();
        assertThat(log.visibleText()).contains("::add-mask::nope").contains("::error::injected");
    }

    @Test
    void infoLinesThatLookLikeCommandsAreNeutralised() {
        cmd.info("  ::warning::from elsewhere");
        cmd.info("plain");
        cmd.info(null);
        RunnerLog log = RunnerLog.of(out());
        assertThat(log.warnings()).isEmpty();
        assertThat(log.visibleText()).contains("plain").contains("::warning::from elsewhere");
    }

    @Test
    void infoWithLineBreaksCannotSmuggleACommand() {
        cmd.info("Validated: the token belongs to eve\n::add-mask::x\n::error::fake");
        RunnerLog log = RunnerLog.of(out());
        assertThat(log.masks()).isEmpty();
        assertThat(log.errors()).isEmpty();
    }

    @Test
    void infoWithTheRunnersOldSyntaxAnywhereCannotStopCommandProcessing() {
        cmd.info("Validated: the token belongs to ci##[stop-commands]x, who may act for acme.");
        cmd.addMask("later-secret-0123456789");
        RunnerLog log = RunnerLog.of(out());
        assertThat(log.masks()).containsExactly("later-secret-0123456789");
        assertThat(log.visibleText()).contains("ci##[stop-commands]x");
    }

    @Test
    void groupsAndDebug() {
        cmd.group("Details");
        cmd.debug("dbg 100%");
        cmd.endGroup();
        assertThat(out()).isEqualTo("::group::Details\n::debug::dbg 100%25\n::endgroup::\n");
    }

    @Test
    void everyCommandIsOneLfTerminatedLine() {
        cmd.error("t", "a\r\nb");
        assertThat(out()).endsWith("\n").doesNotContain("\r");
        assertThat(out().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }
}

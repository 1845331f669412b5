package io.spellci.action.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.action.testing.RunnerFiles;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test-side parser itself follows the runner's rules (so the other tests can trust it). */
class RunnerFilesTest {
    @Test
    void bothForms() {
        assertThat(RunnerFiles.parse("A=1\n\nB<<EOF\nx\ny\nEOF\nC= spaced \n"))
                .containsExactly(Map.entry("A", "1"), Map.entry("B", "x\ny"), Map.entry("C", " spaced "));
    }

    @Test
    void firstOfEqualsOrHeredocDecides() {
        assertThat(RunnerFiles.parse("A=b<<c\n")).containsEntry("A", "b<<c");
        assertThat(RunnerFiles.parse("A<<E=F\nv\nE=F\n")).containsEntry("A", "v");
    }

    @Test
    void delimiterMustMatchExactly() {
        assertThatThrownBy(() -> RunnerFiles.parse("A<<EOF\nv\nEOF \n")).hasMessageContaining("Matching delimiter");
        assertThatThrownBy(() -> RunnerFiles.parse("A<<EOF\nv\nEOF\r\n")).hasMessageContaining("Matching delimiter");
    }

    @Test
    void delimiterLineMayEndTheFileWithoutNewline() {
        assertThat(RunnerFiles.parse("A<<EOF\nv\nEOF")).containsEntry("A", "v");
    }

    @Test
    void valueLineAtEndOfFileWithoutNewlineFails() {
        assertThatThrownBy(() -> RunnerFiles.parse("A<<EOF\nv")).hasMessageContaining("EOF marker missing new line");
    }

    @Test
    void emptyNameOrDelimiterFails() {
        assertThatThrownBy(() -> RunnerFiles.parse("<<EOF\nv\nEOF\n")).hasMessageContaining("Name must not be empty");
        assertThatThrownBy(() -> RunnerFiles.parse("A<<\nv\n\n")).hasMessageContaining("delimiter must not be empty");
        assertThatThrownBy(() -> RunnerFiles.parse("just text\n")).hasMessageContaining("Invalid format");
    }

    @Test
    void crStaysInValuesOnLinux() {
        assertThat(RunnerFiles.parse("A=1\r\n")).containsEntry("A", "1\r");
    }

    @Test
    void emptyHeredocValue() {
        assertThat(RunnerFiles.parse("A<<EOF\nEOF\n")).containsEntry("A", "");
    }
}

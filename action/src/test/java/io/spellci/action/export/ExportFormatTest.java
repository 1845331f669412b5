package io.spellci.action.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.action.testing.RunnerFiles;
import io.spellci.core.env.Variable;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportFormatTest {
    static final String[] TRICKY = {"plain", "", "it's", "a\"b", "$HOME", "`id`", "back\\slash", "semi;colon",
        "#hash", "sp ace", "tab\tx", "100%", "ünï", "'", "''", "a'b'c", "=eq=", "!bang"};

    @Test
    void parsesFormatNames() {
        assertThat(ExportFormat.parse("SH")).isEqualTo(ExportFormat.SH);
        assertThat(ExportFormat.parse(" dotenv ")).isEqualTo(ExportFormat.DOTENV);
        assertThat(ExportFormat.parse("github")).isEqualTo(ExportFormat.GITHUB);
        assertThatThrownBy(() -> ExportFormat.parse("json")).hasMessageContaining("sh, dotenv or github");
    }

    @Test
    void shQuotesWithSingleQuotes() {
        assertThat(ExportFormat.sh("A", "it's")).isEqualTo("export A='it'\\''s'");
        assertThat(ExportFormat.sh("A", "")).isEqualTo("export A=''");
        assertThatThrownBy(() -> ExportFormat.sh("1A", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shRoundTripsThroughARealShell() throws Exception {
        File sh = new File("/bin/sh");
        if (!sh.canExecute()) {
            return;
        }
        for (String value : TRICKY) {
            String script = ExportFormat.SH.render(List.of(new Variable("SPELL_X", value, false)))
                    + "printf '%s' \"$SPELL_X\"\n";
            Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            assertThat(out).as("value %s", value).isEqualTo(value);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "acme", "https://api.example.com:8443/x", "a-b_c.d@e%f+g,h=i"})
    void dotenvLeavesSafeValuesBare(String value) {
        assertThat(ExportFormat.dotenv("A", value)).isEqualTo("A=" + value);
    }

    @Test
    void dotenvQuotesTheRest() {
        assertThat(ExportFormat.dotenv("A", "sp ace")).isEqualTo("A='sp ace'");
        assertThat(ExportFormat.dotenv("A", "$HOME")).isEqualTo("A='$HOME'");
        assertThat(ExportFormat.dotenv("A", "#x")).isEqualTo("A='#x'");
        assertThat(ExportFormat.dotenv("A", "it's $x \"q\" `c` \\")).isEqualTo("A=\"it's \\$x \\\"q\\\" \\`c\\` \\\\\"");
        assertThat(ExportFormat.dotenv("A", "")).isEqualTo("A=");
    }

    @Test
    void dotenvRefusesLineBreaks() {
        assertThatThrownBy(() -> ExportFormat.dotenv("A", "a\nb")).hasMessageContaining("line break");
        assertThatThrownBy(() -> ExportFormat.dotenv("A", "a\rb")).hasMessageContaining("line break");
    }

    @Test
    void githubFormatIsWhatTheRunnerParses() {
        List<Variable> variables = List.of(new Variable("SPELL_TOKEN", "t%k", true),
                new Variable("SPELL_OWNER", "acme", false));
        String text = ExportFormat.GITHUB.render(variables);
        assertThat(RunnerFiles.parse(text)).containsExactly(Map.entry("SPELL_TOKEN", "t%k"),
                Map.entry("SPELL_OWNER", "acme"));
        assertThat(text).contains("<<ghadelimiter_");
    }

    @Test
    void rendersOneLinePerVariable() {
        List<Variable> variables = List.of(new Variable("SPELL_TOKEN", "tok", true),
                new Variable("SPELL_OWNER", "acme", false));
        assertThat(ExportFormat.SH.render(variables)).isEqualTo("export SPELL_TOKEN='tok'\nexport SPELL_OWNER='acme'\n");
        assertThat(ExportFormat.DOTENV.render(variables)).isEqualTo("SPELL_TOKEN=tok\nSPELL_OWNER=acme\n");
    }
}

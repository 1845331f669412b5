package io.spellci.core.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VariableNamesTest {

    @Test
    void blankNamesKeepTheirDefaults() {
        assertThat(VariableNames.of(null, " ")).isEqualTo(VariableNames.defaults())
                .isEqualTo(new VariableNames("SPELL_TOKEN", "SPELL_OWNER"));
        assertThat(VariableNames.of(" MY_TOKEN ", null)).isEqualTo(new VariableNames("MY_TOKEN", "SPELL_OWNER"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1TOKEN", "MY-TOKEN", "MY TOKEN", "TOKEN=x", "TÖKEN"})
    void invalidNamesAreRefused(String name) {
        assertThatThrownBy(() -> VariableNames.of(name, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("token variable is not a valid environment variable name")
                .hasMessageContaining("letters, digits and _");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NODE_OPTIONS", "node_options", "LD_PRELOAD", "JAVA_TOOL_OPTIONS", "PATH", "BASH_ENV",
            "COMSPEC", "PATHEXT", "SystemRoot", "windir", "PSModulePath", "TEMP"})
    void loaderAndShellHijackNamesAreRefused(String name) {
        assertThatThrownBy(() -> VariableNames.of(null, name))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("owner variable is " + name + ", which programs read as code");
    }

    @Test
    void theTwoNamesMustDifferEvenInCase() {
        assertThatThrownBy(() -> VariableNames.of("X_TOKEN", "x_token"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("same name as the token variable");
    }

    @Test
    void theUrlVariablesAreReserved() {
        assertThatThrownBy(() -> VariableNames.of("SPELL_API_URL", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("token variable is SPELL_API_URL");
    }
}

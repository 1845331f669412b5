package io.spellci.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class OwnerTest {

    @Test
    void trimsAndKeepsTheName() {
        Owner owner = Owner.of("  acme-ml \n");
        assertThat(owner.name()).isEqualTo("acme-ml");
        assertThat(owner).hasToString("acme-ml").isEqualTo(Owner.of("acme-ml"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void emptyOwnerNamesTheFieldAndTheFix(String raw) {
        assertThatThrownBy(() -> Owner.of(raw, "owner input"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("owner input is empty: set it to the Spell organization (or your user name) the token"
                        + " should act for");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "acme ml|contains a space or control character at position 5",
        "acme\tml|contains a space or control character at position 5",
        "acme/ml|contains '/' at position 5",
        "acme\\ml|contains '\\' at position 5",
    })
    void refusesCharactersThatDoNotBelongInAName(String raw, String problem) {
        assertThatThrownBy(() -> Owner.of(raw))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("owner " + problem + ": ");
    }

    @Test
    void tooLongIsRefused() {
        assertThat(Owner.of("o".repeat(255)).name()).hasSize(255);
        assertThatThrownBy(() -> Owner.of("o".repeat(256)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("256 characters long, more than 255");
    }

    @Test
    void anOwnerThatIsTheTokenIsRefusedWithoutEchoingIt() {
        String secret = "tok-1234567890abcdef";
        assertThatThrownBy(() -> Owner.of(secret).requireDistinctFrom(AccessToken.of(secret)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("owner is the access token itself")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
        assertThat(Owner.of("acme").requireDistinctFrom(AccessToken.of(secret))).isEqualTo(Owner.of("acme"));
    }

    @Test
    void anOwnerHoldingTheTokenIsRefusedWithoutEchoingIt() {
        String secret = "tok-1234567890abcdef";
        assertThatThrownBy(() -> Owner.of("acme-" + secret.toUpperCase()).requireDistinctFrom(AccessToken.of(secret)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("owner contains the access token: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(secret));
        assertThat(Owner.of("abcd").requireDistinctFrom(AccessToken.of("abc"))).as("short tokens match whole only")
                .isEqualTo(Owner.of("abcd"));
    }

    @Test
    void anOwnerJavaCouldNotDecodeIsRefusedWithTheLocaleFix() {
        assertThatThrownBy(() -> Owner.of("acm\uFFFD"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("could not decode")
                .hasMessageContaining("LANG=C.UTF-8");
    }
}

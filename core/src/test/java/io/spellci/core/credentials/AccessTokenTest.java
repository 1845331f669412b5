package io.spellci.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokenTest {
    private static final String SECRET = "sp3ll-S3cret-T0ken-value-0123456789abcdef";

    @Test
    void trimsSurroundingWhitespaceAndKeepsTheValue() {
        AccessToken token = AccessToken.of("  " + SECRET + "\n");
        assertThat(token.reveal()).isEqualTo(SECRET);
        assertThat(token.length()).isEqualTo(SECRET.length());
    }

    @Test
    void toStringNeverShowsTheValue() {
        AccessToken token = AccessToken.of(SECRET);
        assertThat(token.toString()).isEqualTo("AccessToken[redacted, " + SECRET.length() + " chars]")
                .doesNotContain(SECRET);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t\n"})
    void emptyTokenIsRefusedNamingTheField(String raw) {
        assertThatThrownBy(() -> AccessToken.of(raw, "INPUT_TOKEN"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("INPUT_TOKEN is empty: ")
                .hasMessageContaining("spell access-tokens create")
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("INPUT_TOKEN"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc def", "abc\ndef", "abc\u0000def", "abc\u00a0def", "abc\u2028def"})
    void whitespaceOrControlInsideIsRefusedWithoutShowingTheValue(String raw) {
        assertThatThrownBy(() -> AccessToken.of(raw))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("position 4 of 7")
                .hasMessageContaining("copy the access token again")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("abc").doesNotContain("def"));
    }

    @Test
    void nonAsciiIsRefusedBecauseHeadersCarryAsciiOnly() {
        assertThatThrownBy(() -> AccessToken.of("secret\u201cquote"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not printable ASCII at position 7")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void tooLongIsRefused() {
        String longToken = "a".repeat(AccessToken.MAX_LENGTH + 1);
        assertThatThrownBy(() -> AccessToken.of(longToken))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("4097 characters long, more than 4096")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(longToken));
        assertThat(AccessToken.of("a".repeat(AccessToken.MAX_LENGTH)).length()).isEqualTo(4096);
    }

    @Test
    void equalityIsByValue() {
        assertThat(AccessToken.of(SECRET)).isEqualTo(AccessToken.of(" " + SECRET))
                .hasSameHashCodeAs(AccessToken.of(SECRET))
                .isNotEqualTo(AccessToken.of(SECRET + "x"));
    }

    @Test
    void redactReplacesEveryOccurrence() {
        AccessToken token = AccessToken.of(SECRET);
        assertThat(token.redact("a " + SECRET + " b " + SECRET)).isEqualTo("a *** b ***");
        assertThat(token.redact("host " + SECRET.toLowerCase() + ".example.com")).as("any case, as hosts are")
                .isEqualTo("host ***.example.com");
        assertThat(AccessToken.redact("abc ABC", "abc")).as("short secrets: exact only").isEqualTo("*** ABC");
        assertThat(token.appearsIn("x" + SECRET + "y")).isTrue();
        assertThat(token.appearsIn("nothing here")).isFalse();
    }

    @Test
    void isFoundInMatchesWholeOrInsideInAnyCaseForLongTokens() {
        AccessToken token = AccessToken.of("Tok-ABCdef-123");
        assertThat(token.isFoundIn("Tok-ABCdef-123")).isTrue();
        assertThat(token.isFoundIn("https://tok-abcdef-123.example.com")).as("hosts are lower-cased").isTrue();
        assertThat(token.isFoundIn("acme")).isFalse();
        assertThat(token.isFoundIn(null)).isFalse();
        AccessToken shortToken = AccessToken.of("abc");
        assertThat(shortToken.isFoundIn("abc")).isTrue();
        assertThat(shortToken.isFoundIn("abcd")).as("too short to search inside values").isFalse();
    }
}

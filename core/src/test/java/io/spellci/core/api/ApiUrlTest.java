package io.spellci.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiUrlTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  ", "https://api.spell.run", "https://api.spell.run/", "HTTPS://API.SPELL.RUN//"})
    void blankOrSpellsOwnAddressIsTheDefault(String raw) {
        ApiUrl url = ApiUrl.of(raw);
        assertThat(url.isDefault()).isTrue();
        assertThat(url).hasToString(ApiUrl.DEFAULT);
    }

    @Test
    void theDefaultIsTheLastSpellClientsDefaultAndTheHintNamesIt() {
        // spell 0.48.9's deployment_constants.api_url; a job validated one host and its `spell` commands called another.
        assertThat(ApiUrl.DEFAULT).isEqualTo("https://api.spell.run");
        assertThat(ApiUrl.DEFAULT_NO_LONGER_ANSWERS).isEqualTo("Spell's hosted API at https://api.spell.run no longer answers");
        // 0.41.x's default is an ordinary URL now.
        assertThat(ApiUrl.of("https://api.spell.ml").isDefault()).isFalse();
    }

    @Test
    void aSettingThatIsNotSetIsTheDefault() {
        assertThat(ApiUrl.ofSetting(null, "SPELL_API_URL").isDefault()).isTrue();
        assertThat(ApiUrl.ofSetting(" https://spell.example.com/ ", "SPELL_API_URL"))
                .hasToString("https://spell.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\n"})
    void aSettingThatIsSetButEmptyIsRefusedNamingItsSource(String raw) {
        // An unset CI variable expands to '' here; the default would send the token to an API nobody chose.
        for (String source : new String[] {"--api-url", "SPELL_API_URL", "SPELL_BASE_URL", "api-url"}) {
            assertThatThrownBy(() -> ApiUrl.ofSetting(raw, source))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith(source + " is empty: ")
                    .hasMessageContaining("give the Spell API's base URL (e.g. " + ApiUrl.DEFAULT + ") or leave "
                            + source + " out")
                    .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(source));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "https://spell.example.com/,https://spell.example.com",
        "https://spell.example.com:8443/api/,https://spell.example.com:8443/api",
        "http://localhost:5000,http://localhost:5000",
        "http://127.0.0.1:8080/,http://127.0.0.1:8080",
        "http://[::1]:9000,http://[::1]:9000",
    })
    void normalizesAndAcceptsHttpsAndLoopbackHttp(String raw, String expected) {
        ApiUrl url = ApiUrl.of(raw);
        assertThat(url).hasToString(expected);
        assertThat(url.isDefault()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://spell.example.com:99999", "https://spell.example.com:0", "http://127.0.0.1:65536"})
    void aPortOutsideOneTo65535IsRefusedHereNotByOkHttpLater(String raw) {
        // Accepted here, it reached SpellApi.build() as OkHttp's bare "Invalid URL port", naming no input and no fix.
        assertThatThrownBy(() -> ApiUrl.of(raw, "api-url"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("api-url has a port outside 1 to 65535")
                .hasMessageContaining("e.g. https://");
    }

    @Test
    void plainHttpToAnotherHostIsRefusedBecauseTheTokenWouldTravelInClear() {
        assertThatThrownBy(() -> ApiUrl.of("http://spell.example.com", "api-url"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("api-url uses plain http:// for a host that is not loopback (spell.example.com)")
                .hasMessageContaining("use https://");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://spell.example.com|must start with https://",
        "spell.example.com|must start with https://",
        "https://|is not a URL",
        "https:///spell|has no host",
        "https://spell.example.com/?x=1|has a query (?...) or fragment (#...)",
        "https://spell.example.com/#top|has a query (?...) or fragment (#...)",
        "https://spell.example.com/v1|ends in /v1",
        "https://spell example.com|is not a URL",
    })
    void refusesWhatIsNotABaseUrl(String raw, String problem) {
        assertThatThrownBy(() -> ApiUrl.of(raw, "apiUrl"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("apiUrl " + problem)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("apiUrl"));
    }

    @Test
    void aQueryIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> ApiUrl.of("https://spell.example.com/?key=hunter2"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void userInfoIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> ApiUrl.of("https://bob:hunter2@spell.example.com"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("contains a user name or password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost.:5000", "http://[0::1]:9000", "http://[::ffff:127.0.0.1]:9000",
        "http://127.8.9.10", "http://spell.localhost:5000"})
    void plainHttpIsAcceptedForLoopbackInTheSpellingsTheProxyRuleSendsDirect(String raw) {
        // One rule with NO_PROXY's: [0::1] used to be refused as "not loopback" while the proxy rule sent it direct.
        assertThat(ApiUrl.of(raw).uri().getScheme()).isEqualTo("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1.evil.com", "http://localhost.evil.com", "http://10.0.0.1",
        "http://[::ffff:10.0.0.1]", "http://[fe80::1]"})
    void plainHttpToWhatOnlyLooksLikeLoopbackIsRefused(String raw) {
        assertThatThrownBy(() -> ApiUrl.of(raw, "api-url"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("api-url uses plain http:// for a host that is not loopback (")
                .hasMessageContaining("loopback hosts: localhost, 127.0.0.0/8 and ::1");
    }
}

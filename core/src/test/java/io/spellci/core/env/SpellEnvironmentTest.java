package io.spellci.core.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import org.junit.jupiter.api.Test;

class SpellEnvironmentTest {
    private static final AccessToken TOKEN = AccessToken.of("tok-abcdef0123456789");

    @Test
    void theDefaultApiUrlIsExportedTooSoThatTheClientCallsTheHostThatWasChecked() {
        // A Spell client built with another default (0.41.x: api.spell.ml, on-prem builds: their own) would call
        // another host than the one spell-ci validated.
        SpellEnvironment env = SpellEnvironment.of(TOKEN, Owner.of("acme"), ApiUrl.defaultUrl());
        assertThat(env.variables()).extracting(Variable::name)
                .containsExactly("SPELL_TOKEN", "SPELL_OWNER", "SPELL_BASE_URL", "SPELL_API_URL");
        assertThat(env.secretVariables()).containsExactly(entry("SPELL_TOKEN", TOKEN.reveal()));
        assertThat(env.publicVariables()).containsExactly(entry("SPELL_OWNER", "acme"),
                entry("SPELL_BASE_URL", "https://api.spell.run"), entry("SPELL_API_URL", "https://api.spell.run"));
    }

    @Test
    void customApiUrlAlsoExportsTheUrlForThePythonClientAndTheCli() {
        SpellEnvironment env = SpellEnvironment.of(TOKEN, Owner.of("acme"), ApiUrl.of("http://127.0.0.1:5000/"),
                VariableNames.of("TOK", "WHO"));
        assertThat(env.variables()).extracting(Variable::name)
                .containsExactly("TOK", "WHO", "SPELL_BASE_URL", "SPELL_API_URL");
        assertThat(env.publicVariables()).containsExactly(entry("WHO", "acme"),
                entry("SPELL_BASE_URL", "http://127.0.0.1:5000"), entry("SPELL_API_URL", "http://127.0.0.1:5000"));
        assertThat(env.secretVariables()).containsOnlyKeys("TOK");
    }

    @Test
    void toStringMasksTheToken() {
        SpellEnvironment env = SpellEnvironment.of(TOKEN, Owner.of("acme"), ApiUrl.defaultUrl());
        assertThat(env.toString()).contains("SPELL_TOKEN=***", "SPELL_OWNER=acme").doesNotContain(TOKEN.reveal());
        assertThat(new Variable("X", "v", true)).hasToString("X=***");
    }

    @Test
    void swappedInputsAreRefusedSoTheTokenIsNeverExportedInClear() {
        assertThatThrownBy(() -> SpellEnvironment.of(TOKEN, Owner.of(TOKEN.reveal()), ApiUrl.defaultUrl()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("owner is the access token itself")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN.reveal()));
    }

    @Test
    void anApiUrlHoldingTheTokenIsRefusedSinceItIsExportedInClear() {
        // SPELL_BASE_URL and SPELL_API_URL are public variables: a token pasted into the URL would be shown.
        assertThatThrownBy(() -> SpellEnvironment.of(TOKEN, Owner.of("acme"),
                ApiUrl.of("https://" + TOKEN.reveal() + ".spell.example.com")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("api-url contains the access token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(TOKEN.reveal()));
    }
}

package io.spellci.action.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputsTest {
    private final Map<String, String> env = new HashMap<>();
    private final Inputs inputs = new Inputs(env);

    @ParameterizedTest
    @CsvSource({"token,INPUT_TOKEN", "api-url,INPUT_API-URL", "export-env,INPUT_EXPORT-ENV",
        "'my input',INPUT_MY_INPUT", "Mixed.Case,INPUT_MIXED.CASE"})
    void variableNamesFollowTheRunner(String name, String variable) {
        assertThat(Inputs.variable(name)).isEqualTo(variable);
    }

    @Test
    void valuesAreTrimmedAndAbsentIsEmpty() {
        env.put("INPUT_OWNER", "  acme \n");
        assertThat(inputs.get("owner")).isEqualTo("acme");
        assertThat(inputs.raw("owner")).isEqualTo("  acme \n");
        assertThat(inputs.get("missing")).isEmpty();
        assertThat(inputs.raw("missing")).isEmpty();
        assertThat(inputs.get("missing", "dflt")).isEqualTo("dflt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "True", "TRUE", " true "})
    void trueForms(String value) {
        env.put("INPUT_VALIDATE", value);
        assertThat(inputs.getBoolean("validate", false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "FALSE"})
    void falseForms(String value) {
        env.put("INPUT_VALIDATE", value);
        assertThat(inputs.getBoolean("validate", true)).isFalse();
    }

    @Test
    void blankBooleanGivesTheDefault() {
        env.put("INPUT_VALIDATE", "  ");
        assertThat(inputs.getBoolean("validate", true)).isTrue();
        assertThat(inputs.getBoolean("ephemeral", false)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "tRUE", "on", "falsy"})
    void otherBooleansAreErrorsNamingTheInput(String value) {
        env.put("INPUT_EPHEMERAL", value);
        assertThatThrownBy(() -> inputs.getBoolean("ephemeral", false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("ephemeral ")
                .hasMessageContaining("true or false");
    }

    @Test
    void errorsQuoteShortValuesWholeAndLongOnesNotAtAll() {
        env.put("INPUT_VALIDATE", "x".repeat(Inputs.MAX_QUOTED));
        assertThatThrownBy(() -> inputs.getBoolean("validate", true))
                .hasMessageContaining("is '" + "x".repeat(Inputs.MAX_QUOTED) + "', which is not a boolean");
        env.put("INPUT_VALIDATE", "y".repeat(Inputs.MAX_QUOTED + 1));
        assertThatThrownBy(() -> inputs.getBoolean("validate", true))
                .hasMessageContaining("is a text of " + (Inputs.MAX_QUOTED + 1) + " characters")
                .hasMessageNotContaining("yyy");
        env.put("INPUT_TIMEOUT-SECONDS", "1\n2");
        assertThatThrownBy(() -> inputs.getSeconds("timeout-seconds", 60, 1, 3600)).hasMessageContaining("'1?2'");
    }

    @Test
    void theTokenInAnotherInputIsRefusedWithoutParsingIt() {
        env.put("INPUT_TOKEN", "tok-12345678");
        env.put("INPUT_OWNER", "acme");
        env.put("INPUT_EXPORT-ENV", "tok-12345678");
        // Upper-cased: the host name is lower-cased on its way out, past any exact-match mask.
        env.put("INPUT_API-URL", "https://TOK-12345678.example.com");
        ActionInputs.Result result = ActionInputs.parse(inputs);
        assertThat(result.problems()).extracting(InvalidInputException::field).containsExactly("api-url", "export-env");
        assertThat(result.problems()).extracting(InvalidInputException::problem)
                .containsExactly("contains the access token", "is the access token itself");
        // A token too short to search for is only compared whole.
        env.put("INPUT_TOKEN", "tok");
        assertThat(ActionInputs.parse(inputs).problems()).extracting(InvalidInputException::field)
                .containsExactly("export-env");
    }

    @Test
    void anOwnerJavaCouldNotDecodeIsRefusedWithTheFix() {
        // What Java 17 reads from INPUT_OWNER=acmé when the locale is LANG=C.
        env.put("INPUT_TOKEN", "tok-12345678");
        env.put("INPUT_OWNER", "acm\uFFFD\uFFFD");
        ActionInputs.Result result = ActionInputs.parse(inputs);
        assertThat(result.problems()).extracting(InvalidInputException::field).containsExactly("owner");
        assertThat(result.problems().get(0).getMessage()).contains("not UTF-8").contains("LANG=C.UTF-8");
    }

    @Test
    void seconds() {
        env.put("INPUT_TIMEOUT-SECONDS", "15");
        assertThat(inputs.getSeconds("timeout-seconds", 60, 1, 3600)).isEqualTo(15);
        env.put("INPUT_TIMEOUT-SECONDS", "0");
        assertThatThrownBy(() -> inputs.getSeconds("timeout-seconds", 60, 1, 3600)).hasMessageContaining("out of range");
        env.put("INPUT_TIMEOUT-SECONDS", "ten");
        assertThatThrownBy(() -> inputs.getSeconds("timeout-seconds", 60, 1, 3600))
                .hasMessageContaining("not a whole number");
        env.remove("INPUT_TIMEOUT-SECONDS");
        assertThat(inputs.getSeconds("timeout-seconds", 60, 1, 3600)).isEqualTo(60);
    }

    @Test
    void actionInputsDefaults() {
        env.put("INPUT_TOKEN", " tok-123 ");
        env.put("INPUT_OWNER", "acme");
        ActionInputs.Result result = ActionInputs.parse(inputs);
        assertThat(result.ok()).isTrue();
        ActionInputs in = result.inputs();
        assertThat(in.token().reveal()).isEqualTo("tok-123");
        assertThat(in.owner().name()).isEqualTo("acme");
        assertThat(in.apiUrl().isDefault()).isTrue();
        assertThat(in.validate()).isTrue();
        assertThat(in.ephemeral()).isFalse();
        assertThat(in.exportEnv()).isTrue();
        assertThat(in.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(in.toString()).doesNotContain("tok-123");
    }

    @Test
    void actionInputsCollectsEveryProblemWithoutTheToken() {
        env.put("INPUT_TOKEN", "has space-secretpart");
        env.put("INPUT_OWNER", "a/b");
        env.put("INPUT_API-URL", "http://example.com");
        env.put("INPUT_VALIDATE", "maybe");
        env.put("INPUT_EPHEMERAL", "nope");
        env.put("INPUT_EXPORT-ENV", "2");
        env.put("INPUT_TIMEOUT-SECONDS", "-1");
        ActionInputs.Result result = ActionInputs.parse(inputs);
        assertThat(result.ok()).isFalse();
        assertThat(result.problems()).extracting(InvalidInputException::field)
                .containsExactly("token", "owner", "api-url", "validate", "ephemeral", "export-env", "timeout-seconds");
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.getMessage()).doesNotContain("secretpart"));
    }

    @Test
    void missingRequiredInputs() {
        ActionInputs.Result result = ActionInputs.parse(inputs);
        assertThat(result.problems()).extracting(InvalidInputException::field).containsExactly("token", "owner");
    }

    @Test
    void postNeedsOnlyTokenAndUrl() {
        env.put("INPUT_TOKEN", "tok");
        env.put("INPUT_API-URL", "http://127.0.0.1:9/");
        env.put("INPUT_VALIDATE", "garbage, not checked in post");
        ActionInputs.Result result = ActionInputs.parseForPost(inputs);
        assertThat(result.ok()).isTrue();
        assertThat(result.inputs().apiUrl()).isEqualTo(ApiUrl.of("http://127.0.0.1:9"));
    }
}

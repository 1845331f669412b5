package io.spellci.core.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.core.InvalidInputException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EphemeralTokenNameTest {

    @Test
    void namesCarryPrefixContextAndARandomSuffix() {
        String name = EphemeralTokenName.of("ci-gha", List.of("Acme/ML_repo", "1234", "1"));
        assertThat(name).matches("ci-gha-acme-ml-repo-1234-1-tmp-[a-z0-9]{8}");
        assertThat(EphemeralTokenName.isOurs(name, "ci-gha")).isTrue();
        assertThat(EphemeralTokenName.isOurs(name, "ci-jenkins")).isFalse();
    }

    @Test
    void namesAreUnique() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(EphemeralTokenName.of("ci-cli", List.of("job")));
        }
        assertThat(names).hasSize(1000);
    }

    @Test
    void longOrOddContextStaysWithinTheLimitAndTheAlphabet() {
        String name = EphemeralTokenName.of("ci-jenkins", List.of("folder/" + "x".repeat(300), "Ünïcode job #7", ""));
        assertThat(name).hasSizeLessThanOrEqualTo(EphemeralTokenName.MAX_LENGTH).matches("[a-z0-9-]+")
                .doesNotContain("--");
        assertThat(EphemeralTokenName.isOurs(name, "ci-jenkins")).isTrue();
        assertThat(EphemeralTokenName.of("ci-cli", List.of("!!!"))).matches("ci-cli-tmp-[a-z0-9]{8}");
    }

    @Test
    void otherTokensAreNotOurs() {
        assertThat(EphemeralTokenName.isOurs("ci-token", "ci-gha")).isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha", "ci-gha")).isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-my-laptop", "ci-gha")).as("a person's name").isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-My Laptop-tmp-abcdefgh", "ci-gha")).as("not a name of ours").isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-tmp-abc", "ci-gha")).isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-tmp-abcd1234", "ci-gha")).isTrue();
        assertThat(EphemeralTokenName.isOurs(null, "ci-gha")).isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-acme-tmp-abcd1234", "ci")).as("another front end's").isFalse();
        assertThat(EphemeralTokenName.isOurs("foo-old-tmp-eeeeeeee", "foo")).as("nobody's").isFalse();
    }

    @Test
    void aBadPrefixIsRefused() {
        assertThatThrownBy(() -> EphemeralTokenName.of("CI GHA", List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("token name prefix");
    }

    @Test
    void perJobNamesOfAnyPrefixAreRecognised() {
        assertThat(EphemeralTokenName.isEphemeral(EphemeralTokenName.of("ci-jenkins", List.of("job", "7")))).isTrue();
        assertThat(EphemeralTokenName.isEphemeral("ci-cli-tmp-abcd1234")).isTrue();
        assertThat(EphemeralTokenName.isEphemeral("ci-token")).isFalse();
        assertThat(EphemeralTokenName.isEphemeral("laptop-tmp-abcd123")).isFalse();
        assertThat(EphemeralTokenName.isEphemeral("-tmp-abcd1234")).isFalse();
        assertThat(EphemeralTokenName.isEphemeral(null)).isFalse();
    }
}

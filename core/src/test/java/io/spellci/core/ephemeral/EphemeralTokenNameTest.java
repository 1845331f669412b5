package io.spellci.core.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.core.InvalidInputException;
import io.spellci.core.ephemeral.EphemeralTokenName.Parsed;
import io.spellci.core.ephemeral.EphemeralTokenName.Template;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EphemeralTokenNameTest {
    /** What releases before the life went into the name recognised: they must never match a name made today. */
    static final Pattern OLD_RELEASES = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*-tmp-[a-z0-9]{8}");

    @Test
    void namesCarryPrefixContextLifeAndARandomSuffix() {
        String name = Template.of("ci-gha", 6).newName(List.of("Acme/ML_repo", "1234", "1"));
        assertThat(name).matches("ci-gha-acme-ml-repo-1234-1-tmp6h-[a-z0-9]{8}");
        assertThat(EphemeralTokenName.isOurs(name, "ci-gha")).isTrue();
        assertThat(EphemeralTokenName.isOurs(name, "ci-jenkins")).isFalse();
        assertThat(EphemeralTokenName.parse(name)).get().extracting(Parsed::prefix, Parsed::controller, Parsed::lifeHours)
                .containsExactly("ci-gha", null, 6);
        assertThat(OLD_RELEASES.matcher(name).matches()).as("old releases' sweeps leave it alone").isFalse();
    }

    @Test
    void jenkinsNamesCarryTheControllerFirst() {
        String name = Template.jenkins("k7q2m9ab", 48).newName(List.of("folder/job", "42"));
        assertThat(name).matches("ci-jenkins-k7q2m9ab-folder-job-42-tmp48h-[a-z0-9]{8}");
        Parsed parsed = EphemeralTokenName.parse(name).orElseThrow();
        assertThat(parsed.controller()).isEqualTo("k7q2m9ab");
        assertThat(parsed.life()).contains(Duration.ofHours(48));
        assertThat(parsed.legacy()).isFalse();
        assertThat(EphemeralTokenName.parse("ci-jenkins-k7q2m9ab-tmp48h-abcd1234").orElseThrow().controller())
                .isEqualTo("k7q2m9ab");
        assertThat(EphemeralTokenName.parse("ci-jenkins-tmp48h-abcd1234")).as("no controller").isEmpty();
        assertThat(EphemeralTokenName.parse("ci-jenkins-abc-tmp48h-abcd1234")).as("controller too short").isEmpty();
        assertThatThrownBy(() -> Template.jenkins("K7-Q", 48)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("controller id");
        assertThatThrownBy(() -> Template.of("ci-jenkins", 48)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesOfTheEarlierFormatAreLegacyWithoutALife() {
        Parsed gha = EphemeralTokenName.parse("ci-gha-acme-ml-1-1-tmp-abcd1234").orElseThrow();
        assertThat(gha.legacy()).isTrue();
        assertThat(gha.life()).isEmpty();
        assertThat(gha.prefix()).isEqualTo("ci-gha");
        Parsed jenkins = EphemeralTokenName.parse("ci-jenkins-folder-job-42-tmp-abcd1234").orElseThrow();
        assertThat(jenkins.legacy()).isTrue();
        assertThat(jenkins.controller()).as("legacy names carry no controller").isNull();
        assertThat(EphemeralTokenName.isOurs("ci-cli-tmp-abcd1234", "ci-cli")).isTrue();
    }

    @Test
    void theLifeIsBounded() {
        assertThat(Template.of("ci-cli", EphemeralTokenName.MAX_LIFE_HOURS).newName(List.of("x")))
                .matches("ci-cli-x-tmp9999h-[a-z0-9]{8}");
        assertThatThrownBy(() -> Template.of("ci-cli", 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("per-job token life is 0 hours, not from 1 to 9999");
        assertThatThrownBy(() -> EphemeralTokenName.requireLifeHours(10000, "--life"))
                .hasMessageStartingWith("--life is 10000 hours");
        assertThat(EphemeralTokenName.parse("ci-cli-x-tmp10000h-abcd1234")).isEmpty();
        assertThat(EphemeralTokenName.parse("ci-cli-x-tmp0h-abcd1234")).isEmpty();
        assertThat(EphemeralTokenName.parse("ci-cli-x-tmp06h-abcd1234")).isEmpty();
    }

    @Test
    void namesAreUnique() {
        Set<String> names = new HashSet<>();
        Template cli = Template.of("ci-cli", 120);
        for (int i = 0; i < 1000; i++) {
            names.add(cli.newName(List.of("job")));
        }
        assertThat(names).hasSize(1000);
    }

    @Test
    void longOrOddContextStaysWithinTheLimitAndTheAlphabet() {
        String name = Template.jenkins("abcdefghijkl", 9999)
                .newName(List.of("folder/" + "x".repeat(300), "Ünïcode job #7", ""));
        assertThat(name).hasSizeLessThanOrEqualTo(EphemeralTokenName.MAX_LENGTH).matches("[a-z0-9-]+")
                .doesNotContain("--");
        assertThat(EphemeralTokenName.isOurs(name, "ci-jenkins")).isTrue();
        assertThat(EphemeralTokenName.parse(name).orElseThrow().controller()).isEqualTo("abcdefghijkl");
        assertThat(Template.of("ci-cli", 5).newName(List.of("!!!"))).matches("ci-cli-tmp5h-[a-z0-9]{8}");
    }

    @Test
    void theControllerIdIsShortStableAndValid() {
        String id = EphemeralTokenName.controllerIdOf("c0ffee-instance-identity");
        assertThat(id).hasSize(8).matches(EphemeralTokenName.CONTROLLER_ID);
        assertThat(EphemeralTokenName.controllerIdOf("c0ffee-instance-identity")).isEqualTo(id);
        assertThat(EphemeralTokenName.controllerIdOf("another-controller")).isNotEqualTo(id);
        assertThat(EphemeralTokenName.requireControllerId(id)).isEqualTo(id);
    }

    @Test
    void otherTokensAreNotOurs() {
        assertThat(EphemeralTokenName.isOurs("ci-token", "ci-gha")).isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha", "ci-gha")).isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-my-laptop", "ci-gha")).as("a person's name").isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-My Laptop-tmp-abcdefgh", "ci-gha")).as("not a name of ours").isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-My Laptop-tmp6h-abcdefgh", "ci-gha")).isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-tmp-abc", "ci-gha")).isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-tmp-abcd1234", "ci-gha")).isTrue();
        assertThat(EphemeralTokenName.isOurs(null, "ci-gha")).isFalse();
        assertThat(EphemeralTokenName.isOurs("ci-gha-acme-tmp-abcd1234", "ci")).as("another front end's").isFalse();
        assertThat(EphemeralTokenName.isOurs("foo-old-tmp-eeeeeeee", "foo")).as("nobody's").isFalse();
        assertThat(EphemeralTokenName.parse("foo-old-tmp6h-eeeeeeee")).as("nobody's").isEmpty();
    }

    @Test
    void aBadPrefixIsRefused() {
        assertThatThrownBy(() -> Template.of("CI GHA", 6))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("token name prefix");
    }

    @Test
    void perJobNamesOfAnyPrefixAreRecognised() {
        assertThat(EphemeralTokenName.isEphemeral(Template.jenkins("k7q2m9ab", 4).newName(List.of("job", "7")))).isTrue();
        assertThat(EphemeralTokenName.isEphemeral("ci-cli-tmp-abcd1234")).isTrue();
        assertThat(EphemeralTokenName.isEphemeral("ci-cli-tmp6h-abcd1234")).isTrue();
        assertThat(EphemeralTokenName.isEphemeral("ci-token")).isFalse();
        assertThat(EphemeralTokenName.isEphemeral("laptop-tmp-abcd123")).isFalse();
        assertThat(EphemeralTokenName.isEphemeral("-tmp-abcd1234")).isFalse();
        assertThat(EphemeralTokenName.isEphemeral(null)).isFalse();
    }
}

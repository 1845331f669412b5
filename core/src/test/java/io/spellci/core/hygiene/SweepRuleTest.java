package io.spellci.core.hygiene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.hygiene.SweepRule.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepRuleTest {
    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = START;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    final MovingClock clock = new MovingClock();

    static TokenInfo made(String name) {
        return new TokenInfo(name, START, null);
    }

    @Test
    void aSelfHostedJobsTokenSurvives30HoursAndAHostedOneGoesAfter6() {
        SweepRule rule = SweepRule.of("ci-gha", PerJobLife.DEFAULT, clock);
        TokenInfo selfHosted = made("ci-gha-acme-train-1-1-tmp120h-abcd1234");
        TokenInfo hosted = made("ci-gha-other-ci-7-1-tmp6h-abcd1234");
        clock.advance(Duration.ofHours(6));
        assertThat(rule.judge(hosted).kind()).as("exactly 6 hours: still within").isEqualTo(Kind.WITHIN_LIFE);
        clock.advance(Duration.ofHours(6));
        assertThat(rule.judge(hosted).kind()).isEqualTo(Kind.DELETE);
        clock.advance(Duration.ofHours(18));
        SweepRule.Verdict v = rule.judge(selfHosted);
        assertThat(v.kind()).isEqualTo(Kind.WITHIN_LIFE);
        assertThat(v.lifeEnds()).isEqualTo(START.plus(Duration.ofHours(120)));
        clock.advance(Duration.ofHours(91));
        assertThat(rule.judge(selfHosted).delete()).isTrue();
    }

    @Test
    void legacyNamesGetTheLongestLifeOfTheirKind() {
        SweepRule gha = SweepRule.of("ci-gha", PerJobLife.DEFAULT.withCliLegacy(Duration.ofHours(1)), clock);
        TokenInfo legacy = made("ci-gha-acme-ml-1-1-tmp-abcd1234");
        clock.advance(Duration.ofHours(30));
        assertThat(gha.judge(legacy).kind()).as("the old 24-hour rule deleted this").isEqualTo(Kind.WITHIN_LIFE);
        clock.advance(Duration.ofHours(91));
        assertThat(gha.judge(legacy).delete()).isTrue();
        SweepRule cli = SweepRule.of("ci-cli", PerJobLife.DEFAULT.withCliLegacy(Duration.ofHours(200)), clock);
        assertThat(cli.judge(made("ci-cli-x-tmp-abcd1234")).kind()).isEqualTo(Kind.WITHIN_LIFE);
    }

    @Test
    void otherNamesAndPrefixesAreNeverOurs() {
        SweepRule rule = SweepRule.of("ci-gha", PerJobLife.DEFAULT, clock);
        clock.advance(Duration.ofDays(400));
        for (String name : new String[] {"ci-gha-my-laptop", "ci-cli-x-tmp6h-abcd1234", "ci", "ci-gha-X-tmp6h-abcd1234"}) {
            assertThat(rule.judge(made(name)).kind()).as(name).isEqualTo(Kind.NOT_OURS);
        }
        assertThatThrownBy(() -> SweepRule.of("ci", PerJobLife.DEFAULT, clock))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aMinimumAgeKeepsYoungerTokens() {
        SweepRule rule = SweepRule.of("ci-cli", PerJobLife.DEFAULT, clock).withMinimumAge(Duration.ofHours(48));
        TokenInfo token = made("ci-cli-x-tmp6h-abcd1234");
        clock.advance(Duration.ofHours(24));
        assertThat(rule.judge(token).kind()).isEqualTo(Kind.WITHIN_LIFE);
        clock.advance(Duration.ofHours(25));
        assertThat(rule.judge(token).delete()).isTrue();
    }

    @Test
    void jenkinsDeletesOnlyItsOwnRecordedEndedBuildsAfterTheirLife() {
        Set<String> ended = new HashSet<>();
        SweepRule rule = SweepRule.jenkins("k7q2m9ab", PerJobLife.DEFAULT.withJenkinsLegacy(Duration.ofHours(72)),
                name -> ended.contains(name.name()), clock);
        TokenInfo mine = made("ci-jenkins-k7q2m9ab-train-42-tmp48h-abcd1234");
        TokenInfo other = made("ci-jenkins-zzzz9999-train-42-tmp48h-abcd1234");
        TokenInfo legacy = made("ci-jenkins-train-41-tmp-abcd1234");
        clock.advance(Duration.ofHours(30));
        assertThat(rule.judge(mine).kind()).as("a 30-hour build").isEqualTo(Kind.WITHIN_LIFE);
        clock.advance(Duration.ofHours(20));
        assertThat(rule.judge(mine).kind()).as("life passed, build still running").isEqualTo(Kind.BUILD_NOT_ENDED);
        ended.add(mine.name());
        assertThat(rule.judge(mine).delete()).isTrue();
        assertThat(rule.judge(other).kind()).as("another controller's").isEqualTo(Kind.OTHER_CONTROLLER);
        ended.add(other.name());
        clock.advance(Duration.ofDays(300));
        assertThat(rule.judge(other).kind()).as("never, whatever the records say").isEqualTo(Kind.OTHER_CONTROLLER);
        assertThat(rule.judge(legacy).kind()).isEqualTo(Kind.BUILD_NOT_ENDED);
        ended.add(legacy.name());
        assertThat(rule.judge(legacy).delete()).isTrue();
    }

    @Test
    void aJenkinsLegacyNameWaitsForTheLongestBuild() {
        SweepRule rule = SweepRule.jenkins("k7q2m9ab", PerJobLife.DEFAULT.withJenkinsLegacy(Duration.ofHours(72)),
                name -> true, clock);
        TokenInfo legacy = made("ci-jenkins-train-41-tmp-abcd1234");
        clock.advance(Duration.ofHours(25));
        assertThat(rule.judge(legacy).kind()).as("the old LEFTOVER_AFTER of one day deleted this").isEqualTo(Kind.WITHIN_LIFE);
        clock.advance(Duration.ofHours(48));
        assertThat(rule.judge(legacy).delete()).isTrue();
    }

    @Test
    void theRunnerEnvironmentGivesTheActionsLife() {
        assertThat(PerJobLife.githubHours("github-hosted")).isEqualTo(6);
        assertThat(PerJobLife.githubHours("self-hosted")).isEqualTo(120);
        assertThat(PerJobLife.githubHours("")).as("unknown: the safe, longer one").isEqualTo(120);
        assertThat(PerJobLife.githubHours(null)).isEqualTo(120);
    }
}

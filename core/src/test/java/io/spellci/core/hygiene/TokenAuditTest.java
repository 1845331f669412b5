package io.spellci.core.hygiene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.hygiene.TokenAudit.Finding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenAuditTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final TokenAudit AUDIT = new TokenAudit(Duration.ofDays(90), Duration.ofDays(30), PerJobLife.DEFAULT);

    static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    @Test
    void aFreshUsedTokenNeedsNothing() {
        TokenAudit.Result r = AUDIT.audit(new TokenInfo("ci", daysAgo(10), daysAgo(1)), NOW);
        assertThat(r.findings()).isEmpty();
        assertThat(r.age()).isEqualTo(Duration.ofDays(10));
        assertThat(r.idle()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void oldAndIdleTokensAreFlaggedOnlyPastTheirLimits() {
        assertThat(AUDIT.audit(new TokenInfo("ci", daysAgo(90), daysAgo(30)), NOW).findings()).isEmpty();
        assertThat(AUDIT.audit(new TokenInfo("ci", daysAgo(91), daysAgo(31)), NOW).findings())
                .containsExactly(Finding.TOO_OLD, Finding.UNUSED); // in enum order, whatever the JVM
    }

    @Test
    void neverUsedCountsFromCreation() {
        assertThat(AUDIT.audit(new TokenInfo("ci", daysAgo(29), null), NOW).findings()).isEmpty();
        assertThat(AUDIT.audit(new TokenInfo("ci", daysAgo(31), null), NOW).findings())
                .containsExactly(Finding.NEVER_USED);
    }

    @Test
    void zeroTurnsARuleOff() {
        TokenAudit off = new TokenAudit(Duration.ZERO, Duration.ZERO, PerJobLife.DEFAULT);
        assertThat(off.audit(new TokenInfo("ci", daysAgo(900), null), NOW).findings()).isEmpty();
    }

    @Test
    void perJobTokensOfEveryFrontEndAreLeftoversOnlyOnceTheirLifeHasPassed() {
        List<TokenInfo> tokens = List.of(
                new TokenInfo("ci-jenkins-job-1-tmp-abcd1234", NOW.minus(Duration.ofHours(121)), null),
                new TokenInfo("ci-gha-acme-ml-1-tmp-abcd1234", NOW.minus(Duration.ofHours(30)), null),
                new TokenInfo("ci-cli-tmp-zzzz9999", daysAgo(200), null),
                new TokenInfo("ci-gha-my-laptop", daysAgo(2), daysAgo(1)),
                new TokenInfo("ci-gha-acme-ml-2-tmp6h-abcd1234", NOW.minus(Duration.ofHours(7)), null),
                new TokenInfo("ci-gha-acme-ml-3-tmp120h-abcd1234", NOW.minus(Duration.ofHours(30)), null));
        List<TokenAudit.Result> results = AUDIT.audit(tokens, NOW);
        assertThat(results.get(0).findings()).containsExactly(Finding.LEFTOVER);
        assertThat(results.get(1).findings()).as("a legacy ci-gha name: 120 hours").isEmpty();
        assertThat(results.get(2).findings()).containsExactly(Finding.LEFTOVER); // not also TOO_OLD
        assertThat(results.get(3).findings()).isEmpty(); // a person's name that only looks like ours
        assertThat(results.get(4).findings()).containsExactly(Finding.LEFTOVER);
        assertThat(results.get(5).findings()).as("a self-hosted job's, 30 hours into 120").isEmpty();
    }

    @Test
    void negativeDaysNameTheField() {
        assertThatThrownBy(() -> TokenAudit.days(-1, "--max-age"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("--max-age is -1");
    }

    @Test
    void describesDurationsForPeople() {
        assertThat(TokenAudit.describe(Duration.ofDays(1))).isEqualTo("1 day");
        assertThat(TokenAudit.describe(Duration.ofHours(5))).isEqualTo("5 hours");
        assertThat(TokenAudit.describe(Duration.ofSeconds(30))).isEqualTo("0 minutes");
    }
}

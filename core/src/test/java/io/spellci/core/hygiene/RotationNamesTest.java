package io.spellci.core.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.core.api.TokenInfo;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RotationNamesTest {
    static final Instant NOW = Instant.parse("2026-12-01T23:59:59Z");

    @Test
    void successorIsTheBasePlusTheDateAndUnique() {
        assertThat(Rotation.successorName("ci", NOW, Set.of("ci"))).isEqualTo("ci-r20261201");
        assertThat(Rotation.successorName("ci", NOW, Set.of("ci", "ci-r20261201"))).isEqualTo("ci-r20261201-2");
        // a successor rotated again keeps one suffix, not a growing chain
        assertThat(Rotation.successorName("ci-r20260901", NOW, Set.of())).isEqualTo("ci-r20261201");
        assertThat(Rotation.successorName("ci-r20261201", NOW, Set.of("ci-r20261201"))).isEqualTo("ci-r20261201-2");
    }

    @Test
    void aLongNameStaysWithinSpellsLimit() {
        assertThat(Rotation.successorName("x".repeat(300), NOW, Set.of())).hasSizeLessThanOrEqualTo(255);
    }

    @Test
    void aSuccessorIsANewerTokenOfTheSameBase() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Instant t1 = Instant.parse("2026-06-01T00:00:00Z");
        List<TokenInfo> tokens = List.of(
                new TokenInfo("ci-r20251201", t0.minusSeconds(99), null), // older: a predecessor, not a successor
                new TokenInfo("ci", t0, null),
                new TokenInfo("ci-laptop", t1, null),
                new TokenInfo("ci-r20260601", t1, null));
        assertThat(Rotation.successorOf(tokens, "ci")).map(TokenInfo::name).contains("ci-r20260601");
        assertThat(Rotation.successorOf(tokens, "ci-r20260601")).isEmpty();
        assertThat(Rotation.successorOf(tokens, "ci-laptop")).isEmpty();
    }
}

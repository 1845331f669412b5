package io.spellci.core.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.core.api.TokenInfo;
import io.spellci.core.hygiene.PendingDelete.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingDeleteTest {
    static final Instant CREATED = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant ROTATED = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration GRACE = PendingDelete.DEFAULT_GRACE;
    final PendingDelete pending = PendingDelete.of(new TokenInfo("ci", CREATED, ROTATED.minusSeconds(3600)),
            "ci-r20261201", ROTATED);

    static List<TokenInfo> listed(Instant lastUsed) {
        return List.of(new TokenInfo("ci", CREATED, lastUsed), new TokenInfo("ci-r20261201", ROTATED, ROTATED));
    }

    static Instant at(long hours) {
        return ROTATED.plus(Duration.ofHours(hours));
    }

    @Test
    void unusedSinceTheRotationItGoesOnlyAfterTheGrace() {
        assertThat(pending.decide(listed(ROTATED.plusSeconds(2)), false, GRACE, at(23)).action())
                .as("the rotation's own call is no outside use").isEqualTo(Action.WAIT_FOR_GRACE);
        PendingDelete.Decision d = pending.decide(listed(ROTATED.plusSeconds(2)), false, GRACE, at(24).plusSeconds(2));
        assertThat(d.delete()).isTrue();
    }

    @Test
    void aRunningHolderKeepsItWhateverTheTime() {
        assertThat(pending.decide(listed(at(100)), true, GRACE, at(200)).action()).isEqualTo(Action.WAIT_FOR_HOLDERS);
        assertThat(pending.decide(listed(null), true, GRACE, at(2000)).action()).isEqualTo(Action.WAIT_FOR_HOLDERS);
    }

    @Test
    void aUseAfterTheRotationRestartsTheGraceAndIsReported() {
        PendingDelete.Decision d = pending.decide(listed(at(30)), false, GRACE, at(40));
        assertThat(d.action()).isEqualTo(Action.STILL_USED);
        assertThat(d.lastUsedAt()).isEqualTo(at(30));
        assertThat(d.deleteFrom()).isEqualTo(at(54));
        assertThat(d.describe("ci")).isEqualTo("'ci' is still used by something outside, last used " + at(30)
                + "; delete it by hand when you have replaced it there");
        assertThat(pending.decide(listed(at(30)), false, GRACE, at(54)).delete()).isTrue();
    }

    @Test
    void usesByHoldersThatEndedAreNotOutsideUses() {
        PendingDelete.Decision d = pending.decide(listed(at(30)), false, at(30), GRACE, at(40));
        assertThat(d.action()).isEqualTo(Action.WAIT_FOR_GRACE);
        assertThat(d.deleteFrom()).isEqualTo(at(54));
    }

    @Test
    void aGoneOrRecreatedNameIsForgottenNeverDeleted() {
        assertThat(pending.decide(List.of(), false, GRACE, at(100)).action()).isEqualTo(Action.FORGET);
        List<TokenInfo> recreated = List.of(new TokenInfo("ci", at(50), null));
        assertThat(pending.decide(recreated, false, GRACE, at(100)).action()).isEqualTo(Action.FORGET);
    }

    @Test
    void itIsAValueWithoutSecrets() {
        PendingDelete same = new PendingDelete("ci", CREATED, "ci-r20261201", ROTATED, ROTATED.minusSeconds(3600));
        assertThat(same).isEqualTo(pending).hasSameHashCodeAs(pending);
        assertThat(pending.toString()).isEqualTo("PendingDelete[ci -> ci-r20261201, rotated " + ROTATED + "]");
    }
}

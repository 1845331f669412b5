package io.jenkins.plugins.spell;

import io.spellci.core.api.TokenInfo;
import java.time.Duration;
import java.time.Instant;

/** Whether a rotated-out token may be deleted now; the rule is core's (pending delete with a grace period). */
final class SpellPendingLife {
    private SpellPendingLife() {}

    static boolean mayDelete(SpellPendingDelete p, TokenInfo info, Instant now, Duration grace) {
        // PLACEHOLDER until core's pending-delete rule lands (hyg-core)
        if (!p.getBuilds().isEmpty()) {
            return false;
        }
        Instant last = info.lastUsedAt() == null ? Instant.ofEpochMilli(p.getRotatedAt()) : info.lastUsedAt();
        return !last.plus(grace).isAfter(now);
    }
}

package io.jenkins.plugins.spell;

import io.spellci.core.api.TokenInfo;
import java.time.Instant;

/** Whether a per-build token's life has passed; the rule is core's (the life written in its name). */
final class SpellPerBuildLife {
    private SpellPerBuildLife() {}

    static boolean over(TokenInfo info, Instant now, SpellHygieneConfiguration config) {
        // PLACEHOLDER until core's life-in-name rule lands (hyg-core): the configured longest build
        return info.createdAt().plus(config.longestBuild()).isBefore(now);
    }
}

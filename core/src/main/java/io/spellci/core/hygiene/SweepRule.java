package io.spellci.core.hygiene;

import io.spellci.core.api.TokenInfo;
import io.spellci.core.ephemeral.EphemeralTokenName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which per-job tokens a sweep may delete, the same in every front end: only names of its own prefix, and only once
 * the API's {@code created_at} plus the token's life ({@link PerJobLife}) has passed, by the {@link Clock} given. A
 * Jenkins sweep ({@link #jenkins}) also needs this controller's word that it recorded the token and that its build
 * has ended; {@code ci-jenkins} tokens of other controllers are only reported, never deleted.
 */
public final class SweepRule {
    private final String prefix;
    private final PerJobLife life;
    private final Clock clock;
    private final String controller;
    private final BuildRecords records;
    private final Duration minimumAge;

    /**
     * What the Jenkins plugin knows about its own per-build tokens; core cannot see builds.
     */
    @FunctionalInterface
    public interface BuildRecords {
        /**
         * True only when this controller recorded that one of its builds made {@code name}, and that build is no
         * longer running. Unknown names must answer false: they are then kept.
         */
        boolean recordedAndEnded(EphemeralTokenName.Parsed name);
    }

    /** The verdict on one listed token. */
    public enum Kind {
        /** Its life has passed (and, in Jenkins, its build has ended): delete it. */
        DELETE,
        /** Not a per-job name of this sweep's prefix: never touched, not reported. */
        NOT_OURS,
        /** Its life has not passed yet: its job may still be running. */
        WITHIN_LIFE,
        /** A {@code ci-jenkins} token of another controller (or of none this sweep can tell): reported, never deleted. */
        OTHER_CONTROLLER,
        /** This controller did not record it, or its build is still running: kept. */
        BUILD_NOT_ENDED
    }

    /**
     * @param lifeEnds when its life ends ({@code created_at} plus life); null for {@link Kind#NOT_OURS}
     */
    public record Verdict(TokenInfo token, Kind kind, Instant lifeEnds) {
        public boolean delete() {
            return kind == Kind.DELETE;
        }

        public String name() {
            return token.name();
        }
    }

    private SweepRule(String prefix, PerJobLife life, Clock clock, String controller, BuildRecords records,
            Duration minimumAge) {
        EphemeralTokenName.requirePrefix(prefix, "token name prefix");
        this.prefix = prefix;
        this.life = Objects.requireNonNull(life, "life");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.controller = controller;
        this.records = records;
        this.minimumAge = Objects.requireNonNull(minimumAge, "minimumAge");
    }

    /**
     * A sweep of {@code prefix}'s tokens by their life alone: the action's post step ({@code ci-gha}) and the CLI's
     * {@code tokens sweep} (any prefix; for {@code ci-jenkins} the life in the name is the plugin's longest build).
     */
    public static SweepRule of(String prefix, PerJobLife life, Clock clock) {
        return new SweepRule(prefix, life, clock, null, null, Duration.ZERO);
    }

    /**
     * The Jenkins check's sweep: {@code ci-jenkins} tokens whose life passed, that carry {@code controllerId} (or a
     * legacy name without any) and that {@code records} says this controller made in a build that has ended.
     */
    public static SweepRule jenkins(String controllerId, PerJobLife life, BuildRecords records, Clock clock) {
        EphemeralTokenName.requireControllerId(controllerId);
        return new SweepRule(EphemeralTokenName.JENKINS_PREFIX, life, clock, controllerId,
                Objects.requireNonNull(records, "records"), Duration.ZERO);
    }

    /** This rule, also keeping every token younger than {@code age} (the CLI's {@code --older-than}). */
    public SweepRule withMinimumAge(Duration age) {
        if (age.isNegative()) {
            throw new IllegalArgumentException("minimum age is negative");
        }
        return new SweepRule(prefix, life, clock, controller, records, age);
    }

    public String prefix() {
        return prefix;
    }

    public Clock clock() {
        return clock;
    }

    /** The verdict on one token of a listing, at the clock's current time. */
    public Verdict judge(TokenInfo token) {
        Optional<EphemeralTokenName.Parsed> parsed = EphemeralTokenName.parse(token.name());
        if (parsed.isEmpty() || !parsed.get().prefix().equals(prefix)) {
            return new Verdict(token, Kind.NOT_OURS, null);
        }
        EphemeralTokenName.Parsed name = parsed.get();
        Duration lifeOfToken = life.of(name);
        if (lifeOfToken.compareTo(minimumAge) < 0) {
            lifeOfToken = minimumAge;
        }
        Instant ends = token.createdAt().plus(lifeOfToken);
        if (records != null && name.controller() != null && !name.controller().equals(controller)) {
            return new Verdict(token, Kind.OTHER_CONTROLLER, ends);
        }
        if (!clock.instant().isAfter(ends)) {
            return new Verdict(token, Kind.WITHIN_LIFE, ends);
        }
        if (records != null && !records.recordedAndEnded(name)) {
            return new Verdict(token, Kind.BUILD_NOT_ENDED, ends);
        }
        return new Verdict(token, Kind.DELETE, ends);
    }
}

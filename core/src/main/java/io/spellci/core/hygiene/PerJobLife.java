package io.spellci.core.hygiene;

import io.spellci.core.api.TokenInfo;
import io.spellci.core.ephemeral.EphemeralTokenName;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a per-job token may be needed: the life written in its name, or, for a legacy name (no life in it), the
 * longest life of its kind. A sweep deletes a per-job token only once {@code created_at} plus this life has passed.
 *
 * @param cliLegacy the life of a legacy {@code ci-cli} name
 * @param jenkinsLegacy the life of a legacy {@code ci-jenkins} name (the plugin's "longest build" setting)
 */
public record PerJobLife(Duration cliLegacy, Duration jenkinsLegacy) {
    /** GitHub cancels a job on a GitHub-hosted runner after 6 hours. */
    public static final int GITHUB_HOSTED_HOURS = 6;
    /** GitHub lets a job on a self-hosted runner run for up to 5 days. */
    public static final int SELF_HOSTED_HOURS = 120;
    /** The life of the CLI's per-job tokens unless told otherwise: a CI we do not know may run a job for days. */
    public static final int CLI_DEFAULT_HOURS = 120;
    /** A legacy {@code ci-gha} name may come from a self-hosted job: the longest GitHub allows. */
    public static final Duration GITHUB_LEGACY = Duration.ofHours(SELF_HOSTED_HOURS);
    /** Legacy lives when nobody says otherwise: 120 hours for every kind. */
    public static final PerJobLife DEFAULT = new PerJobLife(Duration.ofHours(CLI_DEFAULT_HOURS),
            Duration.ofHours(SELF_HOSTED_HOURS));

    public PerJobLife {
        Objects.requireNonNull(cliLegacy, "cliLegacy");
        Objects.requireNonNull(jenkinsLegacy, "jenkinsLegacy");
        if (cliLegacy.isNegative() || cliLegacy.isZero() || jenkinsLegacy.isNegative() || jenkinsLegacy.isZero()) {
            throw new IllegalArgumentException("a legacy life must be positive");
        }
    }

    /** These lives, with {@code jenkinsLegacy} replaced (the plugin's longest-build setting). */
    public PerJobLife withJenkinsLegacy(Duration life) {
        return new PerJobLife(cliLegacy, life);
    }

    /** These lives, with {@code cliLegacy} replaced. */
    public PerJobLife withCliLegacy(Duration life) {
        return new PerJobLife(life, jenkinsLegacy);
    }

    /**
     * The life a token made by the action gets: 6 hours on a GitHub-hosted runner, 120 on a self-hosted one. The
     * runner sets {@code RUNNER_ENVIRONMENT} to {@code github-hosted} or {@code self-hosted}; anything else (an old
     * runner, unset) counts as self-hosted, the longer and so the safe choice.
     */
    public static int githubHours(String runnerEnvironment) {
        String value = runnerEnvironment == null ? "" : runnerEnvironment.strip().toLowerCase(Locale.ROOT);
        return value.equals("github-hosted") ? GITHUB_HOSTED_HOURS : SELF_HOSTED_HOURS;
    }

    /** The life of a parsed per-job name: its own, or its kind's legacy life. */
    public Duration of(EphemeralTokenName.Parsed name) {
        if (!name.legacy()) {
            return Duration.ofHours(name.lifeHours());
        }
        return switch (name.prefix()) {
            case EphemeralTokenName.GITHUB_PREFIX -> GITHUB_LEGACY;
            case EphemeralTokenName.JENKINS_PREFIX -> jenkinsLegacy;
            default -> cliLegacy;
        };
    }

    /** When the per-job token's life ends ({@code created_at} plus its life); empty for a name that is not per-job. */
    public Optional<Instant> end(TokenInfo token) {
        return EphemeralTokenName.parse(token.name()).map(p -> token.createdAt().plus(of(p)));
    }
}

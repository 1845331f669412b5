package io.spellci.core.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard to try: calls until {@code deadline} from the first one (and at most {@code maxAttempts}), with
 * exponential backoff and full jitter between {@code initialBackoff} and {@code maxBackoff}; a {@code Retry-After}
 * the API sends replaces the backoff when it fits before the deadline.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration deadline) {
    /** No limit but the deadline. */
    public static final int UNTIL_DEADLINE = Integer.MAX_VALUE;

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(deadline, "deadline");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("backoffs must not be negative and the deadline must be positive");
        }
    }

    /**
     * Tries until a minute has passed, pausing 0.25 s doubling up to 5 s (jittered): an API restart of a few
     * seconds costs a job some seconds, not the job. {@link #withDeadline} is what timeout-seconds and --timeout set.
     */
    public static RetryPolicy defaults() {
        return untilDeadline(Duration.ofSeconds(60));
    }

    /** {@link #defaults()} with another deadline. */
    public static RetryPolicy untilDeadline(Duration deadline) {
        return new RetryPolicy(UNTIL_DEADLINE, Duration.ofMillis(250), Duration.ofSeconds(5), deadline);
    }

    /**
     * For a check nobody waits on (Jenkins' background checks): three attempts within 10 s, pausing up to 0.25 s
     * then up to 0.5 s (jittered), so a failing API costs a thread seconds, never a minute; the next scheduled check tries again.
     */
    public static RetryPolicy backgroundCheck() {
        return new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(60));
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, deadline);
    }

    public RetryPolicy withDeadline(Duration newDeadline) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, newDeadline);
    }

    /** The longest pause before attempt {@code attempt + 1} (attempt counts from 1); jitter picks below it. */
    Duration backoffCeiling(int attempt) {
        long initial = initialBackoff.toMillis();
        long ceiling = initial << Math.min(attempt - 1, 30);
        if (ceiling < 0 || ceiling > maxBackoff.toMillis()) {
            ceiling = maxBackoff.toMillis();
        }
        return Duration.ofMillis(ceiling);
    }
}

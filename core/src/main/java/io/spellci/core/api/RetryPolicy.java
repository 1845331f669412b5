package io.spellci.core.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard to try: at most {@code maxAttempts} calls, exponential backoff with full jitter between
 * {@code initialBackoff} and {@code maxBackoff}, and never past {@code deadline} from the first call.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration deadline) {

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

    /** Four attempts within a minute: enough for a blip, short enough for a CI step. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60));
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

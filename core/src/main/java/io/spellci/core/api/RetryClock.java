package io.spellci.core.api;

import java.util.concurrent.TimeUnit;

/**
 * The time a {@link SpellApi} measures its deadline with and waits between attempts on; tests pass one they move,
 * so a ten-minute deadline is a test, not a wait.
 */
public interface RetryClock {
    /** The JVM's monotonic clock and {@link TimeUnit#sleep}. */
    RetryClock SYSTEM = new RetryClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    /** A monotonic reading in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code nanos}; an interrupt ends the wait (a stopped job). */
    void sleep(long nanos) throws InterruptedException;
}

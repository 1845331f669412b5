package io.spellci.fakeapi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The faults a fake is asked to inject: failures, drops and truncations in one queue served in order, delays in
 * another, and random faults; {@link #next} decides what happens to one request. Thread-safe.
 */
final class FaultQueue {

    /** What is done to a request instead of (or around) its normal answer. */
    enum Kind { FAIL, DROP, DROP_AFTER, TRUNCATE }

    /**
     * One queued fault for {@code remaining} more requests of {@code method} (null: any); a null {@code kind}
     * means "answered as HTTP/1.0 and closed" (random faults only).
     */
    static final class Fault {
        int remaining;
        final Kind kind;
        final int status;
        final String body;
        final String retryAfter;
        final String method;

        Fault(int remaining, Kind kind, int status, String body, String retryAfter, String method) {
            this.remaining = remaining;
            this.kind = kind;
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
            this.method = method;
        }

        /** The injected answer of a {@link Kind#FAIL}. */
        FakeResponse response() {
            Map<String, String> headers = retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter);
            if (body == null) {
                return FakeResponse.error(status, "injected failure (HTTP " + status + ")").withHeaders(headers);
            }
            if (body.isEmpty()) {
                return new FakeResponse(status, null, null, headers);
            }
            String trimmed = body.stripLeading();
            String type = trimmed.startsWith("{") || trimmed.startsWith("[")
                    ? "application/json" : "text/plain; charset=utf-8";
            return new FakeResponse(status, body.getBytes(StandardCharsets.UTF_8), type, headers);
        }
    }

    private static final class Delay {
        int remaining;
        final Duration delay;

        Delay(int remaining, Duration delay) {
            this.remaining = remaining;
            this.delay = delay;
        }
    }

    /** What happens to one request: a wait first (or null), then a fault (or null for the normal answer). */
    record Plan(Duration delay, Fault fault) {
    }

    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Delay> delays = new ArrayDeque<>();
    private Random random;
    private double randomRate;

    synchronized void enqueue(Kind kind, int calls, int status, String body, String retryAfter, String method) {
        requirePositive(calls);
        if (kind == Kind.FAIL && (status < 200 || status > 599)) {
            throw new IllegalArgumentException("status " + status + " is not between 200 and 599: use an HTTP status");
        }
        faults.addLast(new Fault(calls, kind, status, body, retryAfter,
                method == null ? null : method.toUpperCase(Locale.ROOT)));
    }

    synchronized void delay(int calls, Duration delay) {
        requirePositive(calls);
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive");
        }
        delays.addLast(new Delay(calls, delay));
    }

    synchronized void random(long seed, double rate) {
        requireRate(rate);
        random = new Random(seed);
        randomRate = rate;
    }

    synchronized void reset() {
        faults.clear();
        delays.clear();
        random = null;
    }

    static void requireRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate " + rate + " is not between 0 and 1");
        }
    }

    private static void requirePositive(int calls) {
        if (calls < 1) {
            throw new IllegalArgumentException("calls is " + calls + ": give 1 or more");
        }
    }

    /** Takes what applies to the next request with {@code method}. */
    synchronized Plan next(String method) {
        Fault fault = faults.peekFirst();
        if (fault != null && fault.method != null && !fault.method.equals(method)) {
            fault = null; // waits for a request of its method
        } else if (fault != null && --fault.remaining == 0) {
            faults.removeFirst();
        }
        Delay delay = delays.peekFirst();
        if (delay != null && --delay.remaining == 0) {
            delays.removeFirst();
        }
        Duration wait = delay == null ? null : delay.delay;
        if (fault == null && random != null && random.nextDouble() < randomRate) {
            int pick = random.nextInt(11);
            switch (pick) {
                case 0, 1, 2, 3, 4 -> fault = new Fault(1, Kind.FAIL,
                        new int[] {429, 500, 502, 503, 504}[pick], null, null, null);
                case 5 -> fault = new Fault(1, Kind.DROP, 0, null, null, null);
                case 6 -> fault = new Fault(1, Kind.DROP_AFTER, 0, null, null, null);
                case 7 -> fault = new Fault(1, Kind.TRUNCATE, 0, null, null, null);
                case 8 -> wait = Duration.ofMillis(50 + random.nextInt(450));
                case 9 -> fault = new Fault(1, Kind.FAIL, 200, "<html><body>OK</body></html>", null, null);
                default -> fault = new Fault(1, null, 0, null, null, null); // answered as HTTP/1.0, closed
            }
        }
        return new Plan(wait, fault);
    }
}

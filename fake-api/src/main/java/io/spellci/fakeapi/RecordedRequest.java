package io.spellci.fakeapi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request as the {@link FakeSpellApi} received it, for assertions in tests (see
 * {@link FakeSpellApi#requests()}).
 *
 * <p>Header names are kept in lower case. The {@code Authorization} header is recorded as sent,
 * so a test can check it, but {@link #toString()} never shows it.
 */
public final class RecordedRequest {

    /** {@link #status()} of a request whose connection was dropped on purpose. */
    public static final int DROPPED = -1;
    /** {@link #status()} of a request that has not been answered yet. */
    public static final int PENDING = 0;

    private final long sequence;
    private final Instant receivedAt;
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private volatile int status = PENDING;

    RecordedRequest(long sequence, Instant receivedAt, String method, String path, String query,
                    Map<String, List<String>> headers, byte[] body) {
        this.sequence = sequence;
        this.receivedAt = receivedAt;
        this.method = method;
        this.path = path;
        this.query = query;
        TreeMap<String, List<String>> copy = new TreeMap<>();
        headers.forEach((name, values) -> copy.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values),
                (a, b) -> {
                    List<String> both = new java.util.ArrayList<>(a);
                    both.addAll(b);
                    return List.copyOf(both);
                }));
        this.headers = java.util.Collections.unmodifiableMap(copy);
        this.body = body.clone();
    }

    /** 1 for the first request the server received, then 2, 3, ... */
    public long sequence() {
        return sequence;
    }

    /** When the request arrived, by the fake's clock. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** The HTTP method, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The path exactly as sent, still percent-encoded, e.g. {@code /v1/users/me/access_tokens}. */
    public String path() {
        return path;
    }

    /** The raw query string, or {@code null} when there was none. */
    public String query() {
        return query;
    }

    /** All headers, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (name case-insensitive), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The request body as UTF-8 text ({@code ""} when there was none). */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The status the fake answered with, {@link #PENDING} while the request is still being
     * handled, or {@link #DROPPED} when the connection was closed on purpose.
     */
    public int status() {
        return status;
    }

    void status(int value) {
        this.status = value;
    }

    /** Method, path and status; never a header value, so never a token. */
    @Override
    public String toString() {
        return "RecordedRequest[#" + sequence + " " + method + " " + path + " -> "
                + (status == DROPPED ? "dropped" : status == PENDING ? "pending" : String.valueOf(status)) + "]";
    }
}

package io.spellci.core.api;

import java.time.Instant;
import java.util.Objects;

/** One row of {@code GET v1/users/me/access_tokens}; the value itself is never listed. */
public record TokenInfo(String name, Instant createdAt, Instant lastUsedAt) {
    public TokenInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean neverUsed() {
        return lastUsedAt == null;
    }
}

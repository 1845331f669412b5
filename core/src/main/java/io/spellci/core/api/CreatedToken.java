package io.spellci.core.api;

import io.spellci.core.credentials.AccessToken;
import java.time.Instant;
import java.util.Objects;

/** A token just created: the only moment Spell shows its value. */
public final class CreatedToken {
    private final String name;
    private final AccessToken token;
    private final Instant createdAt;

    public CreatedToken(String name, AccessToken token, Instant createdAt) {
        this.name = Objects.requireNonNull(name, "name");
        this.token = Objects.requireNonNull(token, "token");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    public String name() {
        return name;
    }

    public AccessToken token() {
        return token;
    }

    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        return "CreatedToken[name=" + name + ", token=" + token + ", createdAt=" + createdAt + "]";
    }
}

package io.spellci.core.api;

import io.spellci.core.credentials.Owner;
import java.util.Objects;

/** A verified pair: the token's user, and the owner it was checked to act for. */
public record Identity(SpellUser user, Owner owner) {
    public Identity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(owner, "owner");
    }
}

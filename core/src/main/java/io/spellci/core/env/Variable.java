package io.spellci.core.env;

import java.util.Objects;

/** One variable to export. {@link #toString()} never shows a secret value. */
public record Variable(String name, String value, boolean secret) {
    public Variable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return name + "=" + (secret ? "***" : value);
    }
}

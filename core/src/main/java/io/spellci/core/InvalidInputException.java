package io.spellci.core;

import java.util.Objects;

/**
 * Bad input from a user: names the field, says what is wrong and how to fix it.
 * The message never contains a secret value; callers pass field names and positions, not tokens.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;
    private final String fix;

    public InvalidInputException(String field, String problem, String fix) {
        super(field + " " + problem + ": " + fix);
        this.field = Objects.requireNonNull(field, "field");
        this.problem = Objects.requireNonNull(problem, "problem");
        this.fix = Objects.requireNonNull(fix, "fix");
    }

    /** The name of the input as the user knows it, e.g. {@code owner} or {@code INPUT_TOKEN}. */
    public String field() {
        return field;
    }

    /** What is wrong, e.g. {@code is empty}. */
    public String problem() {
        return problem;
    }

    /** What to do about it. */
    public String fix() {
        return fix;
    }
}

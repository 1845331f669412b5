package io.spellci.core.hygiene;

/**
 * A rotation that did not happen, or did not finish; the message says which token works now and what to do.
 * It names tokens, never shows a value.
 */
public final class RotationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Where it stopped, so front ends can branch without parsing the message. */
    public enum Stage {
        /** Before anything was created: nothing changed. */
        CHECK,
        /** The old token already has a successor; nothing new was made. */
        SUCCESSOR_EXISTS,
        /** Creating or checking the successor failed; the old token still works and is still stored. */
        CREATE,
        /** Storing the successor failed; it was deleted (or its name is given to delete), the old one still works. */
        STORE,
        /** Deleting the old token (the second step of a two-step rotation) failed or was refused. */
        DELETE_OLD,
        /** The old token was used after its successor was made: not deleted, something still holds it. */
        STILL_USED
    }

    private final Stage stage;

    public RotationException(Stage stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }
}

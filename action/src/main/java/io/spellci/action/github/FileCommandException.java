package io.spellci.action.github;

/**
 * A file command (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY) could not be written as asked.
 * The message names the variable, never its value.
 */
public final class FileCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FileCommandException(String message) {
        super(message);
    }

    public FileCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}

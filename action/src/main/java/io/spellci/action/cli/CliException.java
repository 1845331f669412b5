package io.spellci.action.cli;

/** A failure a command reports as one message and an exit code. The message never contains a token. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final boolean usage;

    CliException(int exitCode, String message) {
        this(exitCode, message, false);
    }

    private CliException(int exitCode, String message, boolean usage) {
        super(message);
        this.exitCode = exitCode;
        this.usage = usage;
    }

    /** A misuse of the options (exit code 2): the report adds the line naming the command's --help. */
    static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message, true);
    }

    int exitCode() {
        return exitCode;
    }

    boolean isUsage() {
        return usage;
    }
}

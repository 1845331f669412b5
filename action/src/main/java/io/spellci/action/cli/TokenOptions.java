package io.spellci.action.cli;

import io.spellci.core.credentials.AccessToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the token comes from: a file, stdin or SPELL_TOKEN; never a command-line argument. */
final class TokenOptions {
    static final int MAX_BYTES = 64 * 1024;
    /** Where the token goes on the command line, for messages about a token found where it does not belong. */
    static final String TOKEN_PLACES = "SPELL_TOKEN, --token-file or --token-stdin";
    private static final String GIVE_FILE = "give the path of the file that holds the token, or use --token-stdin or"
            + " SPELL_TOKEN";

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the token from FILE (surrounding whitespace and the final line break are ignored).")
    Path file;

    @Option(names = "--token-stdin", description = "Read the token from standard input.")
    boolean stdin;

    /** Accepted only to refuse it without echoing the value. */
    @Option(names = "--token", hidden = true, paramLabel = "NEVER")
    String argv;

    /**
     * Reads the token and registers it at once: with the context's redactor (which scrubs every error message) and,
     * inside GitHub Actions, with the runner's log masker.
     */
    AccessToken read(CliContext ctx) {
        AccessToken token = readUnmasked(ctx);
        secret(ctx, token);
        return token;
    }

    /**
     * Registers a token the moment it exists: with {@link CliContext#redactor()}, and inside GitHub Actions with the
     * runner's log masker, on stderr (the runner reads stderr too; stdout is often captured by {@code $(...)}, where
     * a mask would never reach the runner and would break {@code eval}).
     */
    static void secret(CliContext ctx, AccessToken token) {
        ctx.redactor().add(token.reveal());
        if ("true".equals(ctx.env("GITHUB_ACTIONS"))) {
            if (ctx.err() instanceof ProcessStderr stderr && stderr.isRegularFile()) {
                // The mask command carries the value: in a file it is the token in clear, and the runner never masks it.
                throw new CliException(ExitCodes.USAGE, "standard error is redirected to a file, but inside GitHub"
                        + " Actions spell-ci prints the runner's ::add-mask:: commands there, which hold the token:"
                        + " the file would hold it in clear and the job's log would not mask it. Leave standard error"
                        + " to the runner (drop the 2> redirect); docs/cli.md shows how to keep the per-job token's name");
            }
            ctx.err().print(io.spellci.action.github.WorkflowCommands.format("add-mask", null, token.reveal()) + "\n");
            ctx.err().flush();
        }
    }

    private AccessToken readUnmasked(CliContext ctx) {
        if (argv != null) {
            throw CliException.usage("--token is not supported: a token on the command line is visible"
                    + " in the process list and the shell history. Use --token-file FILE, --token-stdin or the"
                    + " SPELL_TOKEN environment variable, and consider revoking the token you just typed.");
        }
        if (file != null && stdin) {
            throw CliException.usage("use either --token-file or --token-stdin, not both");
        }
        if (file != null) {
            String text;
            try {
                if (Files.isDirectory(file)) {
                    throw new CliException(ExitCodes.ERROR, "--token-file " + file + " is a directory: " + GIVE_FILE);
                }
                if (Files.size(file) > MAX_BYTES) {
                    throw new CliException(ExitCodes.USAGE, "--token-file " + file + " is larger than " + MAX_BYTES
                            + " bytes; it should hold only the token");
                }
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCodes.USAGE, "--token-file " + file + " does not exist: " + GIVE_FILE);
            } catch (AccessDeniedException e) {
                throw new CliException(ExitCodes.ERROR, "--token-file " + file + " cannot be read (permission denied):"
                        + " make it readable by the user running spell-ci, or use --token-stdin or SPELL_TOKEN");
            } catch (IOException e) {
                // The exception's message is not shown: it may quote file content.
                throw new CliException(ExitCodes.ERROR, "could not read --token-file " + file + " ("
                        + e.getClass().getSimpleName() + "): " + GIVE_FILE);
            }
            return AccessToken.of(text, "--token-file");
        }
        if (stdin) {
            return AccessToken.of(readStdin(ctx.in()), "--token-stdin");
        }
        String env = ctx.env().get("SPELL_TOKEN");
        if (env == null || env.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "no token: pass --token-file FILE or --token-stdin, or set the"
                    + " SPELL_TOKEN environment variable (never put the token on the command line)");
        }
        return AccessToken.of(env, "SPELL_TOKEN");
    }

    private static String readStdin(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new CliException(ExitCodes.USAGE, "--token-stdin: more than " + MAX_BYTES
                        + " bytes on standard input; send only the token");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "could not read the token from standard input: "
                    + e.getClass().getSimpleName());
        }
    }
}

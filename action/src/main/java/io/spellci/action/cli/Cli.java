package io.spellci.action.cli;

import io.spellci.core.InvalidInputException;
import io.spellci.core.SpellCi;
import io.spellci.core.api.SpellApiException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Builds the picocli command tree with one {@link CliContext} and maps failures to {@link ExitCodes}. */
public final class Cli {
    private Cli() {
    }

    public static int execute(CliContext ctx, String... args) {
        return commandLine(ctx).execute(args);
    }

    static CommandLine commandLine(CliContext ctx) {
        // Known before any option is parsed, so that even a parameter error quoting it is scrubbed.
        ctx.redactor().add(ctx.env("SPELL_TOKEN"));
        CommandLine cl = new CommandLine(new SpellCiCommand(), new ContextFactory(ctx));
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(ctx.err(), StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("spell-ci: " + ctx.redactor().redact(messageOf(e)));
            if (e instanceof CliException cli && cli.isUsage()) {
                commandLine.getErr().println(helpLine(commandLine));
            }
            commandLine.getErr().flush();
            return exitCodeOf(e);
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            PrintWriter err = failed.getErr();
            if (e instanceof CommandLine.UnmatchedArgumentException) {
                // Not echoed: the unmatched text may be a token someone pasted onto the command line.
                err.println("spell-ci: unknown option or extra argument (not shown, in case it is a secret).");
            } else {
                err.println("spell-ci: " + ctx.redactor().redact(e.getMessage()));
            }
            err.println(helpLine(failed));
            err.flush();
            return ExitCodes.USAGE;
        });
        return cl;
    }

    /** The line a usage error ends with, as docs/cli.md promises. */
    static String helpLine(CommandLine command) {
        return "Run '" + command.getCommandSpec().qualifiedName() + " --help' for the usage.";
    }

    static String messageOf(Exception e) {
        if (e instanceof CliException || e instanceof InvalidInputException || e instanceof SpellApiException) {
            return e.getMessage();
        }
        return "internal error: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    static int exitCodeOf(Exception e) {
        if (e instanceof CliException cli) {
            return cli.exitCode();
        }
        if (e instanceof InvalidInputException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof SpellApiException api) {
            return ExitCodes.of(api);
        }
        return ExitCodes.ERROR;
    }

    /** The version line of {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"spell-ci " + SpellCi.version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }

    /** Gives every command that wants one the shared {@link CliContext}. */
    private static final class ContextFactory implements CommandLine.IFactory {
        private final CliContext ctx;

        ContextFactory(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> constructor = cls.getDeclaredConstructor(CliContext.class);
                constructor.setAccessible(true);
                return constructor.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}

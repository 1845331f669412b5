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
        CommandLine cl = commandLine(ctx);
        if (args.length > 0 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
            // Checked before picocli, which lets a later --help win over an unknown command and exits 0.
            PrintWriter err = cl.getErr();
            err.println("spell-ci: unknown command (not shown, in case it is a secret); did you mean '"
                    + nearest(args[0], cl.getSubcommands().keySet()) + "'?");
            err.println(helpLine(cl));
            err.flush();
            return ExitCodes.USAGE;
        }
        return cl.execute(args);
    }

    /** The candidate fewest edits away; ties go to the longest common subsequence, then to the first listed. */
    static String nearest(String typed, java.util.Collection<String> candidates) {
        String best = null;
        int bestEdits = Integer.MAX_VALUE;
        int bestCommon = -1;
        for (String candidate : candidates) {
            int edits = distance(typed, candidate, true);
            int common = distance(typed, candidate, false);
            if (edits < bestEdits || (edits == bestEdits && common > bestCommon)) {
                best = candidate;
                bestEdits = edits;
                bestCommon = common;
            }
        }
        return best;
    }

    /** Levenshtein distance ({@code edits}), or else the length of the longest common subsequence. */
    private static int distance(String a, String b, boolean edits) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = edits ? i + j : 0;
                } else if (a.charAt(i - 1) == b.charAt(j - 1)) {
                    d[i][j] = d[i - 1][j - 1] + (edits ? 0 : 1);
                } else {
                    d[i][j] = edits ? 1 + Math.min(d[i - 1][j - 1], Math.min(d[i - 1][j], d[i][j - 1]))
                            : Math.max(d[i - 1][j], d[i][j - 1]);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    static CommandLine commandLine(CliContext ctx) {
        // Known before any option is parsed, so that even a parameter error quoting it is scrubbed.
        ctx.redactor().add(ctx.env("SPELL_TOKEN"));
        CommandLine cl = new CommandLine(new SpellCiCommand(), new ContextFactory(ctx));
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(ctx.err(), StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String hint = e instanceof SpellApiException ? ApiOptions.defaultUrlHint(commandLine) : "";
            commandLine.getErr().println("spell-ci: " + ctx.redactor().redact(messageOf(e)) + hint);
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

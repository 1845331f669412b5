package io.spellci.action.cli;

import io.spellci.action.github.GithubStep;

/**
 * {@code java -jar spell-ci.jar ...}. The GitHub runner's two calls ({@code github main} and {@code github post},
 * exactly these arguments) go straight to the steps without picocli, the rest through the picocli commands.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = -1;
        if (args.length == 2 && "github".equals(args[0])) {
            code = GithubStep.run(args[1]);
        }
        if (code < 0) {
            code = Cli.execute(CliContext.fromSystem(), args);
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}

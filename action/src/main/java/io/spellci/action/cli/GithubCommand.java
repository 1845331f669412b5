package io.spellci.action.cli;

import io.spellci.action.github.MainStep;
import io.spellci.action.github.PostStep;
import io.spellci.action.github.StepContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "github", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"The GitHub Action's steps, as the runner starts them through action/launcher/*.js.",
            "Inputs come from INPUT_* variables; results go to GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE and"
                    + " GITHUB_STEP_SUMMARY. See docs/github-action.md."},
        subcommands = {GithubCommand.MainCommand.class, GithubCommand.PostCommand.class})
final class GithubCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Cli.missingSubcommand(spec);
    }

    @Command(name = "main", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Mask the token, check inputs, validate, create the per-job token, export to GITHUB_ENV.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:exported", "1:failed (see the ::error:: annotation)"})
    static final class MainCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            return MainStep.run(StepContext.fromSystem());
        }
    }

    @Command(name = "post", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = "Delete the per-job token and sweep old ones; problems are warnings only.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:always"})
    static final class PostCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            return PostStep.run(StepContext.fromSystem());
        }
    }
}

package io.spellci.action.cli;

import picocli.CommandLine.Command;

@Command(name = "spell-ci", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Put a Spell access token into CI: export SPELL_TOKEN and SPELL_OWNER safely, check tokens,"
                + " make per-job tokens, and run a local Spell-compatible API."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:done",
            "1:the Spell API refused (token rejected, owner not allowed); for `github main`: the step failed",
            "2:bad usage or invalid input (option, token, owner, URL, format)",
            "3:the Spell API was unreachable or failed (network, timeout, 429, 5xx); retry later",
            "4:other errors (files, internal)",
            "5:`rotate --finish` refused: the old token is still in use"},
        footer = {"%nThe token is read from --token-file FILE, --token-stdin or the SPELL_TOKEN environment variable,"
                + " never from a command-line argument.", "Documentation: docs/cli.md"},
        subcommands = {EnvCommand.class, CheckCommand.class, RevokeCommand.class, TokensCommand.class, RotateCommand.class,
            GithubCommand.class,
            FakeApiCommand.class, DemoCommand.class, picocli.CommandLine.HelpCommand.class})
final class SpellCiCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

package io.spellci.action.cli;

import io.spellci.action.github.SpellService;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Delete a per-job token made by `spell-ci env --ephemeral` (a token may delete itself), and/or"
                + " sweep per-job tokens older than --older-than hours."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:deleted (or not there)", "1:the Spell API refused (a sweep: every failed delete)", "2:bad usage or invalid input",
            "3:the Spell API was unreachable or failed; retry later", "4:other errors"})
final class RevokeCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    TokenOptions token = new TokenOptions();

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--name", paramLabel = "NAME", description = "The per-job token to delete.")
    String name;

    @Option(names = "--sweep", description = "Also delete per-job tokens (prefix --prefix) older than --older-than.")
    boolean sweep;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = EphemeralTokenName.CLI_PREFIX,
            description = "Whose per-job tokens to sweep: ci-cli (this CLI), ci-gha (the GitHub Action) or ci-jenkins"
                    + " (the Jenkins plugin); default: ${DEFAULT-VALUE}.")
    String prefix;

    @Option(names = "--older-than", paramLabel = "HOURS", defaultValue = "24",
            description = "Age in hours beyond which --sweep deletes (default: ${DEFAULT-VALUE}).")
    int olderThanHours;

    RevokeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws SpellApiException {
        if ((name == null || name.isBlank()) && !sweep) {
            throw CliException.usage("nothing to do: pass --name NAME and/or --sweep");
        }
        if (olderThanHours < 1) {
            throw CliException.usage("--older-than must be at least 1 hour");
        }
        if (sweep) {
            EphemeralTokenName.requirePrefix(prefix, "--prefix");
        }
        AccessToken parent = token.read(ctx);
        int code = ExitCodes.OK;
        ApiUrl url = api.url(ctx, parent);
        try (SpellService spell = ctx.spell().open(url, api.timeout(), "cli", api.network(ctx, url))) {
            if (name != null && !name.isBlank()) {
                ctx.out().println(spell.deleteEphemeralIfPresent(parent, name.strip()) ? "Deleted " + name.strip()
                        : "No token named " + name.strip() + " (deleted already, or never made): nothing to delete");
            }
            if (sweep) {
                code = sweepAndReport(ctx, spell, parent, prefix, olderThanHours);
            }
        }
        return code;
    }

    /** Sweeps {@code prefix}'s per-job tokens older than {@code hours} and says what it did; the exit code. */
    static int sweepAndReport(CliContext ctx, SpellService spell, AccessToken parent, String prefix, int hours)
            throws SpellApiException {
        EphemeralTokens.SweepResult result = spell.sweep(parent, prefix, Duration.ofHours(hours), ctx.clock().instant());
        ctx.out().println("Swept " + result.deleted().size() + " token(s)"
                + (result.deleted().isEmpty() ? "" : ": " + String.join(", ", result.deleted())));
        if (result.failed().isEmpty()) {
            return ExitCodes.OK;
        }
        // As for revoke --name: the reason in the message, 1 when the API refused for good, 3 when it may work later.
        int code = ExitCodes.REFUSED;
        for (String failed : result.failed()) {
            SpellApiException why = result.reasons().get(failed);
            ctx.err().println("spell-ci: could not delete " + failed
                    + (why == null ? "" : ": " + ctx.redactor().redact(why.getMessage())));
            if (why == null || ExitCodes.of(why) != ExitCodes.REFUSED) {
                code = ExitCodes.UNAVAILABLE;
            }
        }
        ctx.err().println("spell-ci: " + (code == ExitCodes.UNAVAILABLE ? "run the sweep again later, or delete"
                : "the API refused, so running it again will not help; fix what the message says, or delete") + " "
                + (result.failed().size() == 1 ? "it" : "them") + " with `spell access-tokens delete <name>`");
        return code;
    }
}

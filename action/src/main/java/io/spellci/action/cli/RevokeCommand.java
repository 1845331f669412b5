package io.spellci.action.cli;

import io.spellci.action.github.SpellService;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import io.spellci.core.hygiene.PerJobLife;
import io.spellci.core.hygiene.SweepRule;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Delete a per-job token made by `spell-ci env --ephemeral` (a token may delete itself), and/or"
                + " sweep per-job tokens whose life (in their name) has passed."},
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

    @Option(names = "--sweep", description = "Also delete per-job tokens (prefix --prefix) whose life has passed.")
    boolean sweep;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = EphemeralTokenName.CLI_PREFIX,
            description = "Whose per-job tokens to sweep: ci-cli (this CLI), ci-gha (the GitHub Action) or ci-jenkins"
                    + " (the Jenkins plugin); default: ${DEFAULT-VALUE}.")
    String prefix;

    @picocli.CommandLine.Mixin
    SweepOptions sweepOptions = new SweepOptions();

    RevokeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws SpellApiException {
        if ((name == null || name.isBlank()) && !sweep) {
            throw CliException.usage("nothing to do: pass --name NAME and/or --sweep");
        }
        SweepRule rule = null;
        if (sweep) {
            EphemeralTokenName.requirePrefix(prefix, "--prefix");
            rule = sweepOptions.rule(ctx, prefix);
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
                code = sweepAndReport(ctx, spell, parent, rule);
            }
        }
        return code;
    }

    /** Sweeps by {@code rule} and says what it did and what it kept; the exit code. */
    static int sweepAndReport(CliContext ctx, SpellService spell, AccessToken parent, SweepRule rule)
            throws SpellApiException {
        EphemeralTokens.SweepResult result = spell.sweep(parent, rule);
        ctx.out().println("Swept " + result.deleted().size() + " token(s)"
                + (result.deleted().isEmpty() ? "" : ": " + String.join(", ", result.deleted())));
        if (!result.kept().isEmpty()) {
            Instant next = null;
            for (SweepRule.Verdict v : result.kept()) {
                next = next == null || v.lifeEnds().isBefore(next) ? v.lifeEnds() : next;
            }
            ctx.out().println("Kept " + result.kept().size() + " per-job token(s) whose life has not passed (their"
                    + " jobs may still run); the first one's ends " + next);
        }
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

    /** The options of a sweep, shared by {@code revoke --sweep} and {@code tokens sweep}. */
    static final class SweepOptions {
        @Option(names = "--legacy-life", paramLabel = "HOURS", defaultValue = "" + PerJobLife.CLI_DEFAULT_HOURS,
                description = "The life of ci-cli and ci-jenkins per-job tokens named without one (made by releases"
                        + " before the life went into the name), in hours (default: ${DEFAULT-VALUE}); ci-gha ones"
                        + " always get 120, GitHub's limit for a self-hosted job.")
        int legacyLifeHours;

        @Option(names = "--older-than", paramLabel = "HOURS",
                description = "Also keep every token younger than this many hours (the life in a token's name decides"
                        + " in any case).")
        Integer olderThanHours;

        SweepRule rule(CliContext ctx, String prefix) {
            EphemeralTokenName.requireLifeHours(legacyLifeHours, "--legacy-life");
            if (olderThanHours != null && olderThanHours < 1) {
                throw CliException.usage("--older-than must be at least 1 hour");
            }
            Duration legacy = Duration.ofHours(legacyLifeHours);
            SweepRule rule = SweepRule.of(prefix, PerJobLife.DEFAULT.withCliLegacy(legacy).withJenkinsLegacy(legacy),
                    ctx.clock());
            return olderThanHours == null ? rule : rule.withMinimumAge(Duration.ofHours(olderThanHours));
        }
    }
}

package io.spellci.action.cli;

import io.spellci.action.github.SpellService;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.SpellUser;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Check a token against the Spell API and print its user and the owners it may act for.",
            "With --owner (or SPELL_OWNER), also check that owner."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:the token works (and may act for the owner)", "1:the Spell API refused the token or the owner",
            "2:bad usage or invalid input", "3:the Spell API was unreachable or failed; retry later",
            "4:other errors"})
final class CheckCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    TokenOptions token = new TokenOptions();

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--owner", paramLabel = "OWNER", description = "Also check this owner (default: $SPELL_OWNER if set).")
    String owner;

    CheckCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws SpellApiException {
        AccessToken value = token.read(ctx);
        Owner who = null;
        if (owner != null) {
            who = Owner.of(owner, "--owner").requireDistinctFrom(value, "--owner", TokenOptions.TOKEN_PLACES);
        } else if (!ctx.env("SPELL_OWNER").isBlank()) {
            who = Owner.of(ctx.env("SPELL_OWNER"), "SPELL_OWNER")
                    .requireDistinctFrom(value, "SPELL_OWNER", TokenOptions.TOKEN_PLACES);
        }
        ApiUrl url = api.url(ctx, value);
        try (SpellService spell = ctx.spell().open(url, api.timeout(), "cli", api.network(ctx, url))) {
            SpellUser user = who != null ? spell.verify(value, who).user() : spell.whoami(value);
            ctx.out().println("Token OK at " + url + ": user " + user.userName()
                    + (user.email() == null || user.email().isBlank() ? "" : " <" + user.email() + ">"));
            ctx.out().println("May act for: " + (user.admin() ? "any owner (Spell admin); own and organizations: " : "")
                    + String.join(", ", user.allowedOwners()));
            if (who != null) {
                ctx.out().println("Owner " + who.name() + ": allowed");
            }
        }
        return ExitCodes.OK;
    }
}

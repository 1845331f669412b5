package io.spellci.action.cli;

import io.spellci.action.export.ExportFormat;
import io.spellci.action.github.SpellService;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.Identity;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import io.spellci.core.hygiene.PerJobLife;
import io.spellci.core.env.SpellEnvironment;
import io.spellci.core.env.VariableNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "env", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Print SPELL_TOKEN, SPELL_OWNER, SPELL_BASE_URL and SPELL_API_URL (the API URL checked) as"
                + " exports for a shell, a dotenv file or GITHUB_ENV.",
            "", "  eval \"$(spell-ci env --owner acme --validate)\"",
            "  spell-ci env --owner acme --format dotenv > spell.env",
            "  spell-ci env --owner acme --format github >> \"$GITHUB_ENV\""},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:printed", "1:the Spell API refused the token or the owner", "2:bad usage or invalid input",
            "3:the Spell API was unreachable or failed; retry later", "4:other errors"})
final class EnvCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    TokenOptions token = new TokenOptions();

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--owner", paramLabel = "OWNER",
            description = "The organization (or user) to act for (default: $SPELL_OWNER).")
    String owner;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "sh",
            description = "sh (export NAME='value'), dotenv (NAME=value) or github (GITHUB_ENV heredoc). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--validate", description = "Check the token and the owner against the API first.")
    boolean validate;

    @Option(names = "--ephemeral", description = "Create a per-job token with the given one and print that instead;"
            + " its name goes to stderr. Delete it at the end with `spell-ci revoke --name NAME`.")
    boolean ephemeral;

    @Option(names = "--life", paramLabel = "HOURS", defaultValue = "" + PerJobLife.CLI_DEFAULT_HOURS,
            description = "With --ephemeral: the longest this job may run, in hours (1 to 9999; default:"
                    + " ${DEFAULT-VALUE}). It goes into the per-job token's name, and no sweep deletes the token before"
                    + " that has passed.")
    int lifeHours;

    @Option(names = "--name-part", paramLabel = "TEXT", description = "Part of the per-job token's name (repeatable;"
            + " default: the CI's project and job ids when known).")
    List<String> nameParts;

    EnvCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws SpellApiException {
        ExportFormat exportFormat;
        try {
            exportFormat = ExportFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--format: " + e.getMessage());
        }
        EphemeralTokenName.Template template = null;
        if (ephemeral) {
            EphemeralTokenName.requireLifeHours(lifeHours, "--life");
            template = EphemeralTokenName.Template.of(EphemeralTokenName.CLI_PREFIX, lifeHours);
        }
        AccessToken parent = token.read(ctx);
        String ownerSource = owner != null ? "--owner" : "SPELL_OWNER";
        Owner who = (owner != null ? Owner.of(owner, "--owner") : Owner.of(ctx.env("SPELL_OWNER"), "--owner (or SPELL_OWNER)"))
                .requireDistinctFrom(parent, ownerSource, TokenOptions.TOKEN_PLACES);
        ApiUrl url = api.url(ctx, parent);
        AccessToken exported = parent;
        if (validate || ephemeral) {
            try (SpellService spell = ctx.spell().open(url, api.timeout(), "cli", api.network(ctx, url))) {
                Identity identity = null;
                if (validate) {
                    identity = spell.verify(parent, who);
                }
                if (ephemeral) {
                    SpellService.Ephemeral created = spell.createEphemeral(parent, template,
                            nameParts != null && !nameParts.isEmpty() ? nameParts : ciContext(ctx),
                            leftAliveWarnings());
                    exported = created.token();
                    TokenOptions.secret(ctx, exported);
                    ctx.err().println("spell-ci: created the per-job token " + created.name()
                            + "; delete it when the job ends: spell-ci revoke --name " + created.name());
                }
                if (identity != null) {
                    // After the per-job token's mask: nothing from the API goes to the runner before every mask.
                    ctx.err().println("spell-ci: token OK: user " + identity.user().userName() + " may act for "
                            + who.name());
                }
            }
        }
        String text;
        try {
            text = exportFormat.render(SpellEnvironment.of(exported, who, url, VariableNames.defaults()).variables());
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, String.valueOf(e.getMessage()));
        }
        if (System.console() != null && exportFormat != ExportFormat.GITHUB) {
            ctx.err().println("spell-ci: note: the output holds the token; use it with eval or redirect it to a file.");
        }
        ctx.out().print(text);
        ctx.out().flush();
        return ExitCodes.OK;
    }

    /** On stderr: each per-job token's name before its create, and every one that may be left alive. */
    private EphemeralTokens.Listener leftAliveWarnings() {
        return new EphemeralTokens.Listener() {
            @Override
            public void creating(String name) {
                ctx.err().println("spell-ci: creating the per-job token " + name);
            }

            @Override
            public void mayBeLeftAlive(String name, SpellApiException why) {
                ctx.err().println("spell-ci: warning: the per-job token " + name + " may be left alive: the API may"
                        + " have created it without answering, and deleting it failed ("
                        + ctx.redactor().redact(why.getMessage()) + "); delete it with: spell-ci revoke --name " + name);
            }
        };
    }

    /** Where the per-job token was made, from the usual CI variables. */
    static List<String> ciContext(CliContext ctx) {
        String[][] known = {
            {"GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT"},
            {"CI_PROJECT_PATH", "CI_JOB_ID"},
            {"CIRCLE_PROJECT_REPONAME", "CIRCLE_BUILD_NUM"},
            {"BUILDKITE_PIPELINE_SLUG", "BUILDKITE_BUILD_NUMBER"},
            {"JOB_NAME", "BUILD_NUMBER"},
        };
        for (String[] names : known) {
            if (!ctx.env(names[0]).isBlank()) {
                List<String> parts = new ArrayList<>();
                for (String name : names) {
                    if (!ctx.env(name).isBlank()) {
                        parts.add(ctx.env(name).strip());
                    }
                }
                return parts;
            }
        }
        return List.of("local");
    }
}

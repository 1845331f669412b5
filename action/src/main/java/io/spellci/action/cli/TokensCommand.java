package io.spellci.action.cli;

import io.spellci.action.github.SpellService;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.hygiene.PerJobLife;
import io.spellci.core.hygiene.SweepRule;
import io.spellci.core.hygiene.TokenAudit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spell-ci tokens list|audit|sweep}: token hygiene for any CI, with the rules of core's {@link TokenAudit}. */
@Command(name = "tokens", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"List, audit and sweep the Spell tokens of the token's user (see docs/token-hygiene.md)."},
        subcommands = {TokensCommand.ListCommand.class, TokensCommand.AuditCommand.class, TokensCommand.SweepCommand.class})
final class TokensCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Cli.missingSubcommand(spec);
    }

    /** The age and use rules, shared by list (flags) and audit (exit code). */
    static final class Rules {
        @Option(names = "--max-age", paramLabel = "DAYS", defaultValue = "90",
                description = "A token older than this needs rotating; 0 = off (default: ${DEFAULT-VALUE}).")
        long maxAgeDays;

        @Option(names = "--unused-days", paramLabel = "DAYS", defaultValue = "30",
                description = "A token not used (or never used) for longer than this is flagged; 0 = off (default: ${DEFAULT-VALUE}).")
        long unusedDays;

        @Option(names = {"--legacy-life", "--leftover-hours"}, paramLabel = "HOURS",
                defaultValue = "" + PerJobLife.CLI_DEFAULT_HOURS,
                description = "A per-job token is left behind once its life (in its name) has passed; this is the life"
                        + " of ci-cli and ci-jenkins ones named without one (default: ${DEFAULT-VALUE}; ci-gha: 120).")
        int legacyLifeHours;

        TokenAudit audit() {
            EphemeralTokenName.requireLifeHours(legacyLifeHours, "--legacy-life");
            Duration legacy = Duration.ofHours(legacyLifeHours);
            return new TokenAudit(TokenAudit.days(maxAgeDays, "--max-age"), TokenAudit.days(unusedDays, "--unused-days"),
                    PerJobLife.DEFAULT.withCliLegacy(legacy).withJenkinsLegacy(legacy));
        }
    }

    /** Lists the tokens with one call; the token used for it shows as used just now (every call counts as a use). */
    static List<TokenAudit.Result> audit(CliContext ctx, TokenOptions token, ApiOptions api, TokenAudit audit)
            throws SpellApiException {
        AccessToken parent = token.read(ctx);
        ApiUrl url = api.url(ctx, parent);
        try (SpellService spell = ctx.spell().open(url, api.timeout(), "cli", api.network(ctx, url))) {
            List<TokenInfo> tokens = spell.api().listTokens(parent);
            return audit.audit(tokens, ctx.clock().instant());
        }
    }

    static String flags(TokenAudit.Result r) {
        List<String> flags = new ArrayList<>();
        for (TokenAudit.Finding f : r.findings()) {
            flags.add(f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return String.join(",", flags);
    }

    static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"The user's tokens with age, last use and flags: too-old, never-used, unused, leftover."},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:listed", "1:the Spell API refused",
                "2:bad usage or invalid input", "3:the Spell API was unreachable or failed; retry later", "4:other errors"})
    static final class ListCommand implements Callable<Integer> {
        private final CliContext ctx;
        @Mixin
        TokenOptions token = new TokenOptions();
        @Mixin
        ApiOptions api = new ApiOptions();
        @Mixin
        Rules rules = new Rules();

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE}).")
        String format;

        ListCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws SpellApiException {
            if (!format.equals("table") && !format.equals("json")) {
                throw CliException.usage("--format is '" + format + "': use table or json");
            }
            List<TokenAudit.Result> results = audit(ctx, token, api, rules.audit());
            if (format.equals("json")) {
                List<String> items = new ArrayList<>();
                for (TokenAudit.Result r : results) {
                    TokenInfo t = r.token();
                    List<String> flags = new ArrayList<>();
                    for (String f : flags(r).split(",")) {
                        if (!f.isEmpty()) {
                            flags.add(json(f));
                        }
                    }
                    items.add("{\"name\":" + json(t.name()) + ",\"created_at\":" + json(t.createdAt().toString())
                            + ",\"last_used_at\":" + (t.lastUsedAt() == null ? "null" : json(t.lastUsedAt().toString()))
                            + ",\"age_days\":" + r.age().toDays() + ",\"flags\":[" + String.join(",", flags) + "]}");
                }
                ctx.out().println("[" + String.join(",", items) + "]");
                return ExitCodes.OK;
            }
            // Columns as wide as their widest cell: "12 minutes ago" and 100-character per-job names overflowed.
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "AGE", "LAST USED", "FLAGS"});
            for (TokenAudit.Result r : results) {
                String lastUse = r.token().neverUsed() ? "never" : TokenAudit.describe(r.idle()) + " ago";
                rows.add(new String[] {r.token().name(), TokenAudit.describe(r.age()), lastUse, flags(r)});
            }
            int[] width = new int[3];
            for (String[] row : rows) {
                for (int i = 0; i < width.length; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            String format = "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s%n";
            for (String[] row : rows) {
                ctx.out().print(String.format(format, (Object[]) row).stripTrailing() + System.lineSeparator());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Exits 1 when a token needs attention (too old, unused, a leftover per-job token), so that a"
                    + " scheduled pipeline in any CI fails on it. The token running the audit counts as used now."},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:no token needs attention",
                "1:a token needs attention, or the Spell API refused the token", "2:bad usage or invalid input",
                "3:the Spell API was unreachable or failed; retry later", "4:other errors"})
    static final class AuditCommand implements Callable<Integer> {
        private final CliContext ctx;
        @Mixin
        TokenOptions token = new TokenOptions();
        @Mixin
        ApiOptions api = new ApiOptions();
        @Mixin
        Rules rules = new Rules();

        AuditCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws SpellApiException {
            AccessToken parent = token.read(ctx);
            ApiUrl url = api.url(ctx, parent);
            List<TokenAudit.Result> results;
            String owner = ctx.env("SPELL_OWNER").strip();
            try (SpellService spell = ctx.spell().open(url, api.timeout(), "cli", api.network(ctx, url))) {
                results = rules.audit().audit(spell.api().listTokens(parent), ctx.clock().instant());
                boolean rotateSuggested = results.stream().anyMatch(r -> r.findings().contains(TokenAudit.Finding.TOO_OLD));
                if (rotateSuggested && owner.isEmpty()) {
                    // rotate needs an owner; the user's own name always is one.
                    owner = spell.whoami(parent).userName();
                }
            }
            // The token running the audit is the one used last (this very call; a tie tells none); only it can rotate itself.
            TokenInfo running = TokenAudit.usedLast(results.stream().map(TokenAudit.Result::token).toList());
            String rotateTail = " --owner " + owner + " --out new-token.txt"
                    + (url.isDefault() ? "" : " --api-url " + url);
            int attention = 0;
            for (TokenAudit.Result r : results) {
                if (!r.needsAttention()) {
                    continue;
                }
                attention++;
                List<String> what = new ArrayList<>();
                List<String> fixes = new ArrayList<>();
                for (TokenAudit.Finding f : r.findings()) {
                    what.add(f.text());
                    fixes.add(f == TokenAudit.Finding.TOO_OLD ? (r.token() == running ? "rotate it: spell-ci rotate --name "
                                    + r.token().name() + rotateTail
                                    : "rotate it with its own value in SPELL_TOKEN (rotate replaces the token it runs"
                                    + " with): spell-ci rotate --name " + r.token().name() + rotateTail)
                            : f == TokenAudit.Finding.LEFTOVER ? "sweep it: spell-ci tokens sweep --prefix "
                                    + prefixOf(r.token().name())
                            : "delete it if nothing needs it: spell access-tokens delete " + r.token().name());
                }
                ctx.out().println(r.token().name() + ": " + String.join(", ", what) + " (age " + TokenAudit.describe(r.age())
                        + ", last use " + (r.token().neverUsed() ? "never" : TokenAudit.describe(r.idle()) + " ago")
                        + "); " + String.join("; ", fixes));
            }
            ctx.out().println(attention == 0 ? "All " + results.size() + " token(s) are fine."
                    : attention + " of " + results.size() + " token(s) need attention.");
            return attention == 0 ? ExitCodes.OK : ExitCodes.REFUSED;
        }

        private static String prefixOf(String name) {
            for (String prefix : EphemeralTokenName.PREFIXES) {
                if (EphemeralTokenName.isOurs(name, prefix)) {
                    return prefix;
                }
            }
            return EphemeralTokenName.CLI_PREFIX;
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"Deletes per-job tokens under --prefix whose life (the longest their job may run, in their"
                    + " name) has passed, left behind by a cancelled job or a killed agent of any spell-ci front end"
                    + " (what `revoke --sweep` does)."},
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:swept (maybe nothing)",
                "1:the Spell API refused (every failed delete was refused)", "2:bad usage or invalid input",
                "3:a delete failed for now or the API was unreachable; run it again later", "4:other errors"})
    static final class SweepCommand implements Callable<Integer> {
        private final CliContext ctx;
        @Mixin
        TokenOptions token = new TokenOptions();
        @Mixin
        ApiOptions api = new ApiOptions();

        @Option(names = "--prefix", paramLabel = "PREFIX", required = true,
                description = "ci-cli (this CLI), ci-gha (the GitHub Action) or ci-jenkins (the Jenkins plugin).")
        String prefix;

        @Mixin
        RevokeCommand.SweepOptions sweepOptions = new RevokeCommand.SweepOptions();

        SweepCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws SpellApiException {
            EphemeralTokenName.requirePrefix(prefix, "--prefix");
            SweepRule rule = sweepOptions.rule(ctx, prefix);
            AccessToken parent = token.read(ctx);
            ApiUrl url = api.url(ctx, parent);
            try (SpellService spell = ctx.spell().open(url, api.timeout(), "cli", api.network(ctx, url))) {
                return RevokeCommand.sweepAndReport(ctx, spell, parent, rule);
            }
        }
    }
}

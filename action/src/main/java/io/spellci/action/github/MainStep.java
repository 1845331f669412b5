package io.spellci.action.github;

import io.spellci.core.InvalidInputException;
import io.spellci.core.SpellCi;
import io.spellci.core.api.Identity;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.env.SpellEnvironment;
import io.spellci.core.env.Variable;
import io.spellci.core.env.VariableNames;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import io.spellci.core.hygiene.PerJobLife;
import io.spellci.core.net.NetworkSettings;
import java.nio.file.Path;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.hygiene.TokenAudit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The action's main step, in this order and for these reasons: mask the token (before anything could print it), check
 * every input (all problems in one run, before any value is shown or sent), validate (optional; before anything is
 * exported), create the per-job token (optional; masked and its name saved at once, so post can always delete it),
 * export to GITHUB_ENV in one write (all variables or none), then outputs and the job summary (never the token).
 * Exit code 0 or 1; every failure is an {@code ::error} annotation whose message says what to do.
 */
public final class MainStep {
    /** Prefix of per-job token names made by the action (core's EphemeralTokenName adds the rest). */
    public static final String EPHEMERAL_PREFIX = "ci-gha";
    /** GITHUB_STATE key holding the per-job token's name (never its value); post reads STATE_token_name. */
    public static final String STATE_TOKEN_NAME = "token_name";
    /** The front end named in the User-Agent. */
    public static final String FRONT_END = "github-action";

    public static final String OUTPUT_OWNER = "owner";
    public static final String OUTPUT_USER_NAME = "user-name";
    public static final String OUTPUT_API_URL = "api-url";
    public static final String OUTPUT_TOKEN_NAME = "token-name";

    private MainStep() {
    }

    public static int run(StepContext ctx) {
        WorkflowCommands cmd = new WorkflowCommands(ctx.out());
        // 1. Mask the token before anything else could print it.
        Redactor redactor = maskTokenInput(ctx, cmd);
        try {
            return new MainStep().main(ctx, cmd, redactor);
        } catch (RuntimeException e) {
            cmd.error("spell-ci: internal error", redactor.redact(e.getClass().getName() + ": " + e.getMessage())
                    + " (please report this at the spell-ci repository)");
            return 1;
        }
    }

    /**
     * Main's and post's first act: registers the {@code token} input with the runner's masker (printed and flushed
     * before anything else) and returns a {@link Redactor} that knows it.
     */
    static Redactor maskTokenInput(StepContext ctx, WorkflowCommands cmd) {
        String rawToken = ctx.inputs().raw(ActionInputs.TOKEN);
        cmd.addMask(rawToken.strip());
        Redactor redactor = new Redactor();
        redactor.add(rawToken);
        return redactor;
    }

    private int main(StepContext ctx, WorkflowCommands cmd, Redactor redactor) {
        // 2. Inputs.
        ActionInputs.Result parsed = ActionInputs.parse(ctx.inputs());
        if (!parsed.ok()) {
            for (InvalidInputException problem : parsed.problems()) {
                String hint = problem.field().equals(ActionInputs.TOKEN) && ctx.inputs().get(ActionInputs.TOKEN).isEmpty()
                        ? Hints.missingSecret(ctx) : "";
                cmd.error("Invalid input: " + problem.field(), redactor.redact(problem.getMessage()) + hint);
            }
            failureSummary(ctx, "invalid input: " + fields(parsed.problems()));
            return 1;
        }
        ActionInputs in = parsed.inputs();
        List<InvalidInputException> ageProblems = new ArrayList<>();
        TokenAgeInputs age = TokenAgeInputs.parse(ctx.inputs(), in.token(), ageProblems);
        if (!ageProblems.isEmpty()) {
            for (InvalidInputException problem : ageProblems) {
                cmd.error("Invalid input: " + problem.field(), redactor.redact(problem.getMessage()));
            }
            failureSummary(ctx, "invalid input: " + fields(ageProblems));
            return 1;
        }
        Path envFile = ctx.file(GithubEnvFile.Kind.ENV.variable());
        Path stateFile = ctx.file(GithubEnvFile.Kind.STATE.variable());
        if (in.exportEnv() && envFile == null) {
            return fail(ctx, cmd, "GITHUB_ENV is not set", "GITHUB_ENV is not set, so the variables cannot be"
                    + " exported: run this as a step of a GitHub Actions job, or set export-env: false");
        }
        if (in.ephemeral() && stateFile == null) {
            return fail(ctx, cmd, "GITHUB_STATE is not set", "GITHUB_STATE is not set, so the post step could not"
                    + " delete a per-job token: run this as a step of a GitHub Actions job, or set ephemeral: false");
        }

        cmd.info("spell-ci " + version() + ": owner " + in.owner().name() + ", API " + in.apiUrl());

        Identity identity = null;
        SpellService.Ephemeral ephemeral = null;
        TokenInfo named = null;
        boolean namedLooked = false;
        if (in.validate() || in.ephemeral() || age.tokenName() != null) {
            NetworkSettings network;
            try {
                network = NetworkInputs.read(ctx, in);
            } catch (InvalidInputException e) {
                return fail(ctx, cmd, NetworkInputs.title(e), redactor.redact(e.getMessage()));
            }
            for (String line : network.describe(in.apiUrl())) {
                cmd.info(line);
            }
            // Only here is the HTTP client loaded.
            try (SpellService spell = ctx.spell().open(in.apiUrl(), in.timeout(), FRONT_END, network)) {
                if (in.validate()) {
                    // Shown only after the per-job token's mask: nothing from the API is printed before every mask.
                    identity = spell.verify(in.token(), in.owner());
                }
                if (age.tokenName() != null) {
                    // The token's own age: a warning, never a failure of the job.
                    try {
                        named = TokenAudit.find(spell.api().listTokens(in.token()), age.tokenName());
                        namedLooked = true;
                    } catch (SpellApiException e) {
                        cmd.warning("Could not read the token's age", redactor.redact(e.getMessage()));
                    }
                }
                if (in.ephemeral()) {
                    // 3. The per-job token: mask it the moment it exists, then save its name (not its value).
                    ephemeral = spell.createEphemeral(in.token(), ephemeralTemplate(ctx), ephemeralContext(ctx),
                            leftAliveWarnings(cmd, redactor));
                    cmd.addMask(ephemeral.token().reveal());
                    redactor.add(ephemeral.token().reveal());
                    try {
                        new GithubEnvFile(GithubEnvFile.Kind.STATE).add(STATE_TOKEN_NAME, ephemeral.name())
                                .appendTo(stateFile);
                    } catch (FileCommandException e) {
                        boolean deleted = deleteQuietly(spell, in.token(), ephemeral.name(), cmd, redactor);
                        return fail(ctx, cmd, "Could not save state", redactor.redact(e.getMessage())
                                + (deleted ? "; the new per-job token " + ephemeral.name() + " was deleted again, so"
                                        + " nothing is left behind: re-run the job" : "; see the warning about the"
                                        + " per-job token " + ephemeral.name() + ", then re-run the job"));
                    }
                    int life = ephemeralTemplate(ctx).lifeHours();
                    cmd.info("Created the per-job token " + ephemeral.name() + "; the post step deletes it. No"
                            + " sweep deletes it within " + life + " hours (" + (life == PerJobLife.GITHUB_HOSTED_HOURS
                                    ? "GitHub-hosted runner" : "self-hosted runner, or RUNNER_ENVIRONMENT unset")
                            + ").");
                }
                validated(cmd, identity, in);
            } catch (SpellApiException e) {
                validated(cmd, identity, in);
                String hint = Hints.defaultUrl(in.apiUrl()) + (ApiErrors.tokenRejected(e) ? Hints.missingSecret(ctx) : "");
                return fail(ctx, cmd, ApiErrors.title(e), redactor.redact(e.getMessage()) + hint);
            }
        }
        if (!in.validate() && !in.ephemeral()) {
            cmd.info("Not validated (validate: false): the token and owner are exported as given.");
        }
        Instant now = ctx.clock().instant();
        if (namedLooked && named == null) {
            cmd.warning("Token name not found", "no token named " + age.tokenName() + " belongs to this token's user:"
                    + " set token-name to the name `spell access-tokens list` shows for this token");
        } else if (named != null && age.maxAgeDays() > 0) {
            Duration tokenAge = Duration.between(named.createdAt(), now);
            if (tokenAge.compareTo(Duration.ofDays(age.maxAgeDays())) > 0) {
                cmd.warning("Spell token is " + TokenAudit.describe(tokenAge) + " old", "the token " + named.name()
                        + " is " + TokenAudit.describe(tokenAge) + " old, more than max-token-age-days ("
                        + age.maxAgeDays() + "): rotate it with this token in SPELL_TOKEN: `spell-ci rotate --name "
                        + named.name() + " --owner " + in.owner().name() + " --out new-token.txt" + apiUrlOption(in)
                        + "`, store the new token in this repository's secret, then `SPELL_TOKEN=\"$(cat"
                        + " new-token.txt)\" spell-ci rotate --name " + named.name() + " --finish" + apiUrlOption(in)
                        + "` and delete new-token.txt (docs/token-hygiene.md)");
            }
        }

        AccessToken exported = ephemeral != null ? ephemeral.token() : in.token();
        SpellEnvironment environment = SpellEnvironment.of(exported, in.owner(), in.apiUrl(), VariableNames.defaults());

        // 4. GITHUB_ENV: every entry composed first, then one append.
        if (in.exportEnv()) {
            GithubEnvFile env = new GithubEnvFile(GithubEnvFile.Kind.ENV);
            List<String> shown = new ArrayList<>();
            try {
                for (Variable variable : environment.variables()) {
                    env.add(variable.name(), variable.value());
                    shown.add(variable.secret() ? variable.name() + " (masked)" : variable.name() + "=" + variable.value());
                }
                env.appendTo(envFile);
            } catch (FileCommandException e) {
                return fail(ctx, cmd, "Could not write GITHUB_ENV", redactor.redact(e.getMessage()));
            }
            cmd.info("Exported for the next steps: " + String.join(", ", shown));
        } else {
            cmd.info("Not exported (export-env: false).");
        }

        // 5. Outputs and summary; never the token.
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(OUTPUT_OWNER, in.owner().name());
        if (identity != null) {
            outputs.put(OUTPUT_USER_NAME, identity.user().userName());
        }
        outputs.put(OUTPUT_API_URL, in.apiUrl().toString());
        if (ephemeral != null) {
            outputs.put(OUTPUT_TOKEN_NAME, ephemeral.name());
        }
        Path outputFile = ctx.file(GithubEnvFile.Kind.OUTPUT.variable());
        if (outputFile != null) {
            GithubEnvFile output = new GithubEnvFile(GithubEnvFile.Kind.OUTPUT);
            try {
                for (Map.Entry<String, String> entry : outputs.entrySet()) {
                    output.add(entry.getKey(), entry.getValue());
                }
                output.appendTo(outputFile);
            } catch (FileCommandException e) {
                return fail(ctx, cmd, "Could not write GITHUB_OUTPUT", redactor.redact(e.getMessage()));
            }
        }

        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("Owner", "`" + in.owner().name() + "`");
        rows.put("User", identity != null ? "`" + identity.user().userName() + "`" : "(not validated)");
        rows.put("Validated", identity != null ? "yes" : "no");
        rows.put("API", "`" + in.apiUrl() + "`");
        rows.put("Per-job token", ephemeral != null ? "`" + ephemeral.name() + "` (deleted in the post step)" : "no");
        if (named != null) {
            rows.put("Token age", "`" + named.name() + "`: " + TokenAudit.describe(Duration.between(named.createdAt(), now))
                    + (age.maxAgeDays() > 0 ? " (max " + age.maxAgeDays() + " days)" : ""));
            rows.put("Last use", named.neverUsed() ? "never" : named.lastUsedAt().toString());
        }
        rows.put("Exported", in.exportEnv() ? "`" + String.join("`, `", names(environment)) + "`" : "no (export-env: false)");
        StepSummary summary = new StepSummary().heading("Spell credentials").table("Setting", "Value", rows);
        try {
            summary.appendTo(ctx.file("GITHUB_STEP_SUMMARY"));
        } catch (FileCommandException e) {
            cmd.warning("Could not write the job summary", redactor.redact(e.getMessage()));
        }
        return 0;
    }

    /** For a command we suggest: it must reach the same API as this step. */
    private static String apiUrlOption(ActionInputs in) {
        return in.apiUrl().isDefault() ? "" : " --api-url " + in.apiUrl();
    }

    private static void validated(WorkflowCommands cmd, Identity identity, ActionInputs in) {
        if (identity != null) {
            cmd.info("Validated: the token belongs to " + identity.user().userName() + ", who may act for "
                    + in.owner().name() + ".");
        }
    }

    /**
     * The version from the jar's manifest, which the JVM has read already to start {@code -jar}; core's
     * {@link SpellCi#version()} (a resource read through a jar URL) only when running from classes.
     */
    static String version() {
        String version = MainStep.class.getPackage().getImplementationVersion();
        return version != null ? version : SpellCi.version();
    }

    /**
     * The per-job token's name carries the longest life its job may have, so that another run's post step never
     * sweeps it while this job still runs: 6 hours on a GitHub-hosted runner, 120 (GitHub's limit) on a self-hosted one.
     */
    static EphemeralTokenName.Template ephemeralTemplate(StepContext ctx) {
        return EphemeralTokenName.Template.of(EPHEMERAL_PREFIX, PerJobLife.githubHours(ctx.env("RUNNER_ENVIRONMENT")));
    }

    static List<String> ephemeralContext(StepContext ctx) {
        List<String> context = new ArrayList<>();
        context.add(orDefault(ctx.env("GITHUB_REPOSITORY"), "local"));
        context.add(orDefault(ctx.env("GITHUB_RUN_ID"), "0"));
        context.add(orDefault(ctx.env("GITHUB_RUN_ATTEMPT"), "1"));
        return context;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static List<String> names(SpellEnvironment environment) {
        List<String> names = new ArrayList<>();
        for (Variable variable : environment.variables()) {
            names.add(variable.name());
        }
        return names;
    }

    private static String fields(List<InvalidInputException> problems) {
        List<String> fields = new ArrayList<>();
        for (InvalidInputException problem : problems) {
            fields.add(problem.field());
        }
        return String.join(", ", fields);
    }

    /**
     * Names each per-job token before its create goes out, and warns about every one that may be left alive (a
     * create whose answer was lost and whose clean-up failed), so no token lives on without the user being told.
     */
    static EphemeralTokens.Listener leftAliveWarnings(WorkflowCommands cmd, Redactor redactor) {
        return new EphemeralTokens.Listener() {
            @Override
            public void creating(String name) {
                cmd.info("Creating the per-job token " + name + ".");
            }

            @Override
            public void mayBeLeftAlive(String name, SpellApiException why) {
                cmd.warning("Per-job token may be left alive", redactor.redact("the Spell API may have created the"
                        + " per-job token " + name + " without answering, and deleting it failed (" + why.getMessage()
                        + "). Delete it with `spell access-tokens delete " + name + "`; otherwise the post step of a"
                        + " later run with ephemeral: true deletes it once the life in its name has passed."));
            }
        };
    }

    /** True when the token is gone; false after a warning that says how to delete it by hand. */
    private static boolean deleteQuietly(SpellService spell, AccessToken parent, String name, WorkflowCommands cmd,
            Redactor redactor) {
        try {
            spell.deleteEphemeral(parent, name);
            return true;
        } catch (SpellApiException | RuntimeException e) {
            cmd.warning("Could not delete the per-job token", "could not delete " + name + ": "
                    + redactor.redact(e.getMessage()) + "; delete it with `spell access-tokens delete " + name + "`");
            return false;
        }
    }

    private static int fail(StepContext ctx, WorkflowCommands cmd, String title, String message) {
        cmd.error(title, message);
        failureSummary(ctx, title);
        return 1;
    }

    private static void failureSummary(StepContext ctx, String what) {
        try {
            new StepSummary().heading("Spell credentials").line("**Failed:** " + StepSummary.cell(what)
                    + ". Nothing was exported; see the error annotation for the fix.").appendTo(ctx.file("GITHUB_STEP_SUMMARY"));
        } catch (FileCommandException ignored) {
            // The annotation already says what failed.
        }
    }
}

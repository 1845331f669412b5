package io.spellci.action.github;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.ephemeral.EphemeralTokens;
import io.spellci.core.hygiene.PerJobLife;
import io.spellci.core.hygiene.SweepRule;
import io.spellci.core.net.NetworkSettings;

/**
 * The action's post step: delete the per-job token main created (its name is in {@code STATE_token_name}), then
 * sweep the {@code ci-gha} per-job tokens whose life has passed, left by runs whose post never ran: a job of another
 * repository on a self-hosted runner may run for days, so only the life in each name (6 hours hosted, 120
 * self-hosted; 120 for names without one) decides, by core's {@link SweepRule}. Nothing here fails the job:
 * problems are {@code ::warning::} annotations and the exit code is 0. Without a per-job token it says so in one
 * line and does nothing.
 */
public final class PostStep {
    private PostStep() {
    }

    public static int run(StepContext ctx) {
        WorkflowCommands cmd = new WorkflowCommands(ctx.out());
        Redactor redactor = MainStep.maskTokenInput(ctx, cmd);
        // The per-job token main exported reaches post as SPELL_TOKEN (GITHUB_ENV applies to later steps).
        redactor.add(ctx.env(io.spellci.core.env.SpellVariables.TOKEN));
        try {
            post(ctx, cmd, redactor);
        } catch (RuntimeException e) {
            cmd.warning("spell-ci post: internal error", redactor.redact(e.getClass().getName() + ": "
                    + e.getMessage()));
        }
        return 0;
    }

    private static void post(StepContext ctx, WorkflowCommands cmd, Redactor redactor) {
        String name = ctx.env("STATE_" + MainStep.STATE_TOKEN_NAME).strip();
        if (name.isEmpty()) {
            cmd.info("spell-ci post: no per-job token was created, nothing to clean up.");
            return;
        }
        ActionInputs.Result parsed = ActionInputs.parseForPost(ctx.inputs());
        if (!parsed.ok()) {
            for (InvalidInputException problem : parsed.problems()) {
                cmd.warning("Per-job token not deleted", redactor.redact("could not delete the per-job token " + name
                        + ": " + problem.getMessage() + "; delete it with `spell access-tokens delete " + name + "`"));
            }
            return;
        }
        ActionInputs in = parsed.inputs();
        NetworkSettings network;
        try {
            network = NetworkInputs.read(ctx, in);
        } catch (InvalidInputException e) {
            cmd.warning("Per-job token not deleted", redactor.redact("could not delete the per-job token " + name
                    + ": " + e.getMessage() + "; delete it with `spell access-tokens delete " + name + "`"));
            return;
        }
        try (SpellService spell = ctx.spell().open(in.apiUrl(), in.timeout(), MainStep.FRONT_END, network)) {
            try {
                spell.deleteEphemeral(in.token(), name);
                cmd.info("spell-ci post: deleted the per-job token " + name + ".");
            } catch (SpellApiException | InvalidInputException e) {
                // InvalidInputException: core deletes only names spell-ci makes (STATE_token_name was not ours).
                cmd.warning("Per-job token not deleted", redactor.redact("could not delete the per-job token " + name
                        + ": " + e.getMessage() + ". It stops being swept only once deleted: delete it with"
                        + " `spell access-tokens delete " + name + "`; a later run of this action deletes it once the"
                        + " life in its name has passed."));
            }
            try {
                EphemeralTokens.SweepResult swept = spell.sweep(in.token(),
                        SweepRule.of(MainStep.EPHEMERAL_PREFIX, PerJobLife.DEFAULT, ctx.clock()));
                if (!swept.deleted().isEmpty()) {
                    cmd.info("spell-ci post: swept " + swept.deleted().size() + " per-job token(s) whose life had"
                            + " passed: " + String.join(", ", swept.deleted()) + ".");
                }
                if (!swept.failed().isEmpty()) {
                    cmd.warning("Old per-job tokens not deleted", "could not delete " + String.join(", ", swept.failed())
                            + "; delete them with `spell access-tokens delete <name>`");
                }
            } catch (SpellApiException e) {
                cmd.warning("Sweep of old per-job tokens failed", redactor.redact(e.getMessage()));
            }
        }
    }
}

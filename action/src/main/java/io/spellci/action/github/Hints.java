package io.spellci.action.github;

import io.spellci.core.api.ApiUrl;

/** Extra advice for a failed run, read from what the runner says about the event. */
final class Hints {
    /** True except on a pull request from a fork; docs/github-action.md shows the same (a test holds them equal). */
    static final String FORK_CONDITION = "github.event.pull_request.head.repo.full_name == github.repository"
            + " || github.event_name != 'pull_request'";

    private Hints() {
    }

    static boolean isDependabot(StepContext ctx) {
        return "dependabot[bot]".equals(ctx.env("GITHUB_ACTOR"))
                || "dependabot[bot]".equals(ctx.env("GITHUB_TRIGGERING_ACTOR"));
    }

    static boolean isPullRequest(StepContext ctx) {
        String event = ctx.env("GITHUB_EVENT_NAME");
        return event.equals("pull_request") || event.equals("pull_request_review")
                || event.equals("pull_request_review_comment");
    }

    /**
     * Advice when the token is empty or rejected: secrets are not passed to workflows run for pull requests from
     * forks, and Dependabot runs only see Dependabot secrets. Empty when neither applies.
     */
    static String missingSecret(StepContext ctx) {
        if (isDependabot(ctx)) {
            return " This run was started by Dependabot, which only sees Dependabot secrets: add the secret under"
                    + " Settings > Secrets and variables > Dependabot (or skip this step for Dependabot with"
                    + " `if: github.actor != 'dependabot[bot]'`).";
        }
        if (isPullRequest(ctx)) {
            return " This run is for a pull_request event: GitHub does not pass repository secrets to workflows run"
                    + " for pull requests from forks, so the token input is empty or not the real secret there. Skip"
                    + " this step for forks with `if: " + FORK_CONDITION + "`, or run Spell jobs only after merge.";
        }
        return "";
    }

    /**
     * Advice for a failed call to the default URL, in the words the Jenkins plugin uses: Spell's hosted API no longer
     * answers there, so the user must point the step at their own. Empty for any other URL.
     */
    static String defaultUrl(ApiUrl apiUrl) {
        return apiUrl.isDefault()
                ? " " + ApiUrl.DEFAULT_NO_LONGER_ANSWERS + ": set the api-url input to the URL of your Spell API."
                : "";
    }
}

package io.spellci.action.github;

/**
 * Entry point the launchers reach through {@code java -jar spell-ci.jar github main|post}; kept free of picocli so
 * that the runner's path starts as fast as the JVM allows.
 */
public final class GithubStep {
    private GithubStep() {
    }

    /** Runs {@code main} or {@code post}; returns the exit code, or -1 when {@code step} is neither. */
    public static int run(String step) {
        switch (step) {
            case "main":
                return MainStep.run(StepContext.fromSystem());
            case "post":
                return PostStep.run(StepContext.fromSystem());
            default:
                return -1;
        }
    }
}

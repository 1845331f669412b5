package io.spellci.action.cli;

import io.spellci.action.github.GithubStep;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code java -jar spell-ci.jar ...}. The GitHub runner's two calls ({@code github main} and {@code github post},
 * exactly these arguments) go straight to the steps without picocli, the rest through the picocli commands (on a
 * self-hosted runner, those that call the Spell API in a second JVM with class-data sharing: ClassDataSharingRelaunch).
 */
public final class Main {
    /**
     * Set by the launcher when this JVM also writes a class-data sharing archive at exit: a JVM that cannot finish
     * writing it exits with 1 whatever the step did, so the step's own exit code is recorded here first.
     */
    static final String EXIT_STATUS_FILE = "spellci.exit-status-file";

    private Main() {
    }

    public static void main(String[] args) {
        int code = -1;
        if (args.length == 2 && "github".equals(args[0])) {
            code = GithubStep.run(args[1]);
        }
        if (code < 0) {
            code = ClassDataSharingRelaunch.run(args, System.getenv(), System.err);
        }
        if (code < 0) {
            code = Cli.execute(CliContext.fromSystem(), args);
        }
        System.out.flush();
        System.err.flush();
        recordExitStatus(System.getProperty(EXIT_STATUS_FILE), code);
        System.exit(code);
    }

    static void recordExitStatus(String file, int code) {
        if (file == null || file.isEmpty()) {
            return;
        }
        try (FileOutputStream out = new FileOutputStream(file)) {
            out.write(Integer.toString(code).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the launcher then reports the JVM's own exit status, as without the archive
        }
    }
}

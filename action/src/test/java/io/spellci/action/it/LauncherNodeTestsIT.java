package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The launchers' own unit tests (action/src/test/launcher/launcher.test.js: Windows-shaped paths, the class-data
 * sharing bookkeeping), run with {@code node --test} as part of the build. Skipped without node.
 */
class LauncherNodeTestsIT {
    @Test
    void launcherUnitTestsPass() {
        String node = Jar.node();
        assumeTrue(node != null, "node is not on the PATH");
        String tests = Jar.ACTION_DIR.resolve("src").resolve("test").resolve("launcher").resolve("launcher.test.js")
                .toString();
        Jar.Result r = Jar.exec(List.of(node, "--test", tests), Jar.baseEnv(), null);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("# fail 0").doesNotContain("# pass 0");
    }
}

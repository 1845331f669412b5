package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spellci.action.testing.ActionYml;
import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree release.yml pushes to an action-only repository (action/release/action-repository.js): only the action, no
 * workflow files, and its root action.yml runs the jar it carries. Skipped without node, as the runner needs node too.
 */
class ActionRepositoryIT {
    static final String TOKEN = "tree-secret-token-abcdef0123456789";
    static final Path SCRIPT = Jar.ROOT.resolve("action/release/action-repository.js");

    @TempDir
    Path dir;
    String node;

    @BeforeEach
    void needsNodeAndTheJar() {
        node = Jar.node();
        assumeTrue(node != null, "node is not on the PATH");
        Jar.assertJarBuilt();
    }

    private Jar.Result build(Path out, String... options) {
        List<String> command = new java.util.ArrayList<>(List.of(node, SCRIPT.toString(), out.toString()));
        command.addAll(List.of(options));
        return Jar.exec(command, Jar.baseEnv(), null);
    }

    private static List<String> files(Path tree) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            return walk.filter(Files::isRegularFile).map(p -> tree.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Test
    void theTreeHoldsTheActionAndNoWorkflow() throws IOException {
        Path tree = dir.resolve("tree");
        Jar.Result r = build(tree, "--source", "acme/spell-ci", "--ref", "v1.2.3", "--target", "acme/spell-ci-action");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();

        assertThat(files(tree)).containsExactly("LICENSE", "README.md", "action.yml", "action/dist/spell-ci.jar",
                "action/launcher/cds.js", "action/launcher/java.js", "action/launcher/main.js", "action/launcher/package.json",
                "action/launcher/post.js");
        assertThat(Files.exists(tree.resolve(".github"))).isFalse();
        assertThat(Files.mismatch(tree.resolve("action/dist/spell-ci.jar"), Jar.JAR)).isEqualTo(-1L);
        assertThat(Files.readString(tree.resolve("LICENSE"))).startsWith("MIT License");

        ActionYml action = ActionYml.at(tree);
        assertThat(action.script("main")).isRegularFile().startsWith(tree);
        assertThat(action.script("post")).isRegularFile().startsWith(tree);

        String readme = Files.readString(tree.resolve("README.md"));
        assertThat(readme).startsWith("# The spell-ci GitHub Action").contains("uses: acme/spell-ci-action@v1")
                .doesNotContain("<org>/spell-ci@v1").contains("https://github.com/acme/spell-ci");
        Matcher link = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher(readme);
        while (link.find()) {
            assertThat(link.group(1)).as("a link of the listing page").matches("(https?:|#|mailto:).*");
        }
        assertThat(readme).contains("https://github.com/acme/spell-ci/blob/v1.2.3/docs/performance.md");
    }

    /** The runner runs node on action.yml's runs.main and runs.post with GITHUB_ACTION_PATH at the tree's root. */
    @Test
    void theTreesActionYmlFindsItsJarAndRuns() {
        Path tree = dir.resolve("tree");
        Jar.Result r = build(tree, "--source", "acme/spell-ci", "--ref", "v1.2.3");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN).start()) {
            Jar.Steps steps = new Jar.Steps(dir).viaNode(node).actionRoot(tree)
                    .input("token", TOKEN).input("owner", "acme").input("api-url", fake.url())
                    .input("ephemeral", "true").env("JAVA_HOME_17_X64", System.getProperty("java.home"));
            StepRun main = steps.main();
            assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();
            assertThat(main.env()).containsEntry("SPELL_OWNER", "acme").containsKey("SPELL_TOKEN");
            main.assertNoLeak(TOKEN);
            StepRun post = steps.post(main);
            assertThat(post.exitCode()).isZero();
            assertThat(fake.tokenNames("alice")).containsExactly("ci");
            post.assertNoLeak(TOKEN);
        }
    }

    @Test
    void withoutTheJarItSaysHowToBuildIt() {
        Jar.Result r = build(dir.resolve("tree"), "--jar", dir.resolve("missing.jar").toString());
        assertThat(r.exitCode()).isOne();
        assertThat(r.stderr()).contains("missing.jar does not exist").contains("./mvnw -B package");
        assertThat(Files.exists(dir.resolve("tree"))).isFalse();
    }

    @Test
    void aBadRepositoryNameIsRefusedBeforeAnythingIsWritten() {
        Jar.Result r = build(dir.resolve("tree"), "--target", "https://github.com/acme/x");
        assertThat(r.exitCode()).isOne();
        assertThat(r.stderr()).contains("--target must be OWNER/REPO");
        assertThat(Files.exists(dir.resolve("tree"))).isFalse();
    }
}

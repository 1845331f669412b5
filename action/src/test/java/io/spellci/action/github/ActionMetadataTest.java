package io.spellci.action.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spellci.action.testing.ActionYml;
import io.spellci.core.api.ApiUrl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The root action.yml against GitHub's documented rules for an action listed on the Marketplace ("Metadata syntax for
 * GitHub Actions", "Publishing actions in GitHub Marketplace"), and the docs against the short form
 * {@code uses: <org>/spell-ci@v1} that only a root action.yml allows.
 */
class ActionMetadataTest {
    static final Path ROOT = ActionYml.repositoryRoot();
    static final ActionYml ACTION = ActionYml.at(ROOT);
    /** Icons GitHub omits from Feather v4.28.0 (besides brand icons), as its metadata syntax page lists them. */
    static final Set<String> OMITTED_ICONS = Set.of("coffee", "columns", "divide-circle", "divide-square", "divide",
            "frown", "hexagon", "key", "meh", "mouse-pointer", "smile", "tool", "x-octagon");
    static final Set<String> COLORS = Set.of("white", "black", "yellow", "blue", "green", "orange", "red", "purple",
            "gray-dark");

    @Test
    void theRootHoldsTheOnlyActionMetadataFile() throws IOException {
        // The Marketplace lists only a repository whose root holds its single action.yml (or action.yaml).
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(p -> p.getFileName() != null && p.getFileName().toString().matches("action\\.ya?ml"))
                    .filter(ActionMetadataTest::inRepository).forEach(found::add);
        }
        assertThat(found).containsExactly(ROOT.resolve("action.yml"));
    }

    @Test
    void requiredKeysAndTheMarketplaceLimits() {
        JsonNode tree = ACTION.tree();
        assertThat(tree.path("name").asText()).isNotBlank();
        assertThat(tree.path("description").asText()).isNotBlank().hasSizeLessThanOrEqualTo(125);
        assertThat(tree.path("runs").path("using").asText()).isIn("node20", "node24");
        assertThat(ACTION.script("main")).isRegularFile().isEqualTo(ROOT.resolve("action/launcher/main.js"));
        assertThat(ACTION.script("post")).isRegularFile().isEqualTo(ROOT.resolve("action/launcher/post.js"));
    }

    @Test
    void brandingIsAnIconAndColourGitHubAccepts() throws IOException {
        String icon = ACTION.tree().path("branding").path("icon").asText();
        assertThat(icon).isNotIn(OMITTED_ICONS).isIn(supportedIcons());
        assertThat(ACTION.tree().path("branding").path("color").asText()).isIn(COLORS);
        assertThat(supportedIcons()).doesNotContainAnyElementsOf(OMITTED_ICONS);
    }

    @Test
    void everyInputAndOutputIsDescribedAndMatchesTheCode() {
        JsonNode inputs = ACTION.tree().path("inputs");
        List<String> names = new ArrayList<>();
        inputs.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly(ActionInputs.TOKEN, ActionInputs.OWNER, ActionInputs.API_URL,
                ActionInputs.VALIDATE, ActionInputs.EPHEMERAL, ActionInputs.EXPORT_ENV, ActionInputs.TIMEOUT_SECONDS,
                ActionInputs.CA_CERTIFICATES, ActionInputs.TOKEN_NAME, ActionInputs.MAX_TOKEN_AGE_DAYS,
                ActionInputs.CLASS_DATA_SHARING);
        inputs.fields().forEachRemaining(e -> assertThat(e.getValue().path("description").asText()).as(e.getKey())
                .isNotBlank());
        assertThat(inputs.path("token").path("required").asBoolean()).isTrue();
        assertThat(inputs.path("owner").path("required").asBoolean()).isTrue();
        assertThat(ACTION.defaults()).containsEntry("api-url", ApiUrl.DEFAULT)
                .containsEntry("timeout-seconds", String.valueOf(ActionInputs.DEFAULT_TIMEOUT_SECONDS))
                .containsEntry("validate", "true").containsEntry("ephemeral", "false").containsEntry("export-env", "true")
                .doesNotContainKeys("token", "owner");
        JsonNode outputs = ACTION.tree().path("outputs");
        List<String> outputNames = new ArrayList<>();
        outputs.fieldNames().forEachRemaining(outputNames::add);
        assertThat(outputNames).containsExactlyInAnyOrder(MainStep.OUTPUT_OWNER, MainStep.OUTPUT_USER_NAME,
                MainStep.OUTPUT_API_URL, MainStep.OUTPUT_TOKEN_NAME);
        outputs.fields().forEachRemaining(e -> assertThat(e.getValue().path("description").asText()).as(e.getKey())
                .isNotBlank());
    }

    @Test
    void everyInputHasItsRowInTheDocsTable() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/github-action.md"));
        List<String> names = new ArrayList<>();
        ACTION.tree().path("inputs").fieldNames().forEachRemaining(names::add);
        assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(doc).as("docs/github-action.md, Inputs")
                .containsPattern("\\n\\| `" + Pattern.quote(name) + "` \\| (yes|no) \\|"));
    }

    @Test
    void docsAndWorkflowsUseTheShortForm() throws IOException {
        List<Path> texts = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"));
                Stream<Path> workflows = Files.list(ROOT.resolve(".github/workflows"))) {
            docs.forEach(texts::add);
            workflows.forEach(texts::add);
        }
        for (Path text : texts) {
            String content = Files.readString(text);
            assertThat(content).as(ROOT.relativize(text).toString()).doesNotContain("spell-ci/action@")
                    .doesNotContain("uses: ./action").doesNotContain("action/action.yml");
        }
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("uses: <org>/spell-ci@v1");
        assertThat(Files.readString(ROOT.resolve("docs/github-action.md"))).contains("uses: <org>/spell-ci@v1")
                .contains("Marketplace");
        assertThat(Files.readString(ROOT.resolve(".github/workflows/action-self-test.yml"))).contains("uses: ./\n");
    }

    /** Not under what git ignores or keeps apart (build output, Jenkins' test home, .git itself). */
    private static boolean inRepository(Path path) {
        for (Path part : ROOT.relativize(path)) {
            if (Set.of(".git", "target", "work", "node_modules").contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> supportedIcons() throws IOException {
        try (InputStream in = ActionMetadataTest.class.getResourceAsStream("/io/spellci/action/github-marketplace-icons.txt")) {
            assertThat(in).isNotNull();
            return Set.copyOf(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList());
        }
    }
}

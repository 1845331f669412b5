package io.spellci.action.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spellci.action.testing.ActionYml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * release.yml's publishing to an action-only repository: it pushes the tree that action/release/action-repository.js
 * builds (exercised by ActionRepositoryIT), only when ACTION_REPOSITORY names a target, and never puts its token on a
 * command line.
 */
class ReleaseWorkflowTest {
    static final Path ROOT = ActionYml.repositoryRoot();

    private static List<JsonNode> steps() throws IOException {
        JsonNode workflow = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve(".github/workflows/release.yml").toFile());
        List<JsonNode> steps = new ArrayList<>();
        workflow.path("jobs").path("release").path("steps").forEach(steps::add);
        return steps;
    }

    private static List<JsonNode> publishing() throws IOException {
        return steps().stream().filter(s -> s.path("if").asText().contains("vars.ACTION_REPOSITORY")).toList();
    }

    @Test
    void publishingRunsOnlyWhenATargetIsNamed() throws IOException {
        List<JsonNode> publishing = publishing();
        assertThat(publishing).hasSize(3);
        for (JsonNode step : publishing) {
            assertThat(step.path("if").asText()).isEqualTo("vars.ACTION_REPOSITORY != ''");
        }
        List<JsonNode> all = steps();
        assertThat(all.subList(all.size() - 3, all.size())).as("after this repository's own release").isEqualTo(publishing);
    }

    @Test
    void itPushesTheTreeTheScriptBuildsWithTheSameTags() throws IOException {
        List<JsonNode> publishing = publishing();
        assertThat(publishing.get(0).path("run").asText()).contains("node action/release/action-repository.js \"$RUNNER_TEMP/action-tree\"");
        assertThat(ROOT.resolve("action/release/action-repository.js")).isRegularFile();
        JsonNode checkout = publishing.get(1);
        assertThat(checkout.path("uses").asText()).startsWith("actions/checkout@");
        assertThat(checkout.path("with").path("repository").asText()).isEqualTo("${{ vars.ACTION_REPOSITORY }}");
        assertThat(checkout.path("with").path("token").asText()).isEqualTo("${{ secrets.ACTION_REPOSITORY_TOKEN }}");
        String push = publishing.get(2).path("run").asText();
        assertThat(publishing.get(2).path("working-directory").asText()).isEqualTo(checkout.path("with").path("path").asText());
        assertThat(push).contains("cp -R \"$RUNNER_TEMP/action-tree/.\" .").contains("! -name .git")
                .contains("git tag -f -a \"$GITHUB_REF_NAME\"").contains("git tag -f -a \"$MAJOR\"")
                .contains("git push -f origin \"refs/tags/$GITHUB_REF_NAME\" \"refs/tags/$MAJOR\"");
    }

    @Test
    void theTokenNeverReachesACommandLine() throws IOException {
        for (JsonNode step : steps()) {
            assertThat(step.path("run").asText()).doesNotContain("secrets.").doesNotContain("x-access-token");
        }
    }
}

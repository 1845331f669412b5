package io.spellci.core.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.core.hosting.HostingRules.Pom;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;
import org.junit.jupiter.api.Test;

/**
 * Where the plugin module joins the root build: never in the default build, always where the Jenkins repository is
 * reachable and something must build the plugin (ci.jenkins.io, continuous delivery, every job on GitHub's hosted
 * runners, in particular the Jenkins Security Scan's autobuild, which takes no Maven arguments).
 */
class PluginModuleProfilesTest {

    private static final Pom ROOT = Pom.read(Path.of("../pom.xml"));

    /** Activation property name (and value, when one is required) of each profile that adds the plugin module. */
    private static Map<String, String> pluginActivations() {
        Map<String, String> activations = new LinkedHashMap<>();
        for (Element profile : Pom.children(ROOT.child("profiles"), "profile")) {
            Element modules = Pom.children(profile, "modules").stream().findFirst().orElse(null);
            boolean addsPlugin = modules != null && Pom.children(modules, "module").stream()
                    .anyMatch(m -> m.getTextContent().strip().equals("plugin"));
            Element activation = Pom.children(profile, "activation").stream().findFirst().orElse(null);
            if (addsPlugin && activation != null) {
                for (Element property : Pom.children(activation, "property")) {
                    activations.put(Pom.text(property, "name"), Pom.text(property, "value"));
                }
            }
        }
        return activations;
    }

    @Test
    void theDefaultBuildHasNoPluginModule() {
        Element modules = ROOT.child("modules");
        assertThat(Pom.children(modules, "module").stream().map(m -> m.getTextContent().strip()).toList())
                .containsExactly("core", "fake-api", "action");
    }

    @Test
    void everyJobOnGitHubsHostedRunnersBuildsThePluginWhateverItsWorkflowIsCalled() {
        Map<String, String> activations = pluginActivations();
        // Only GitHub's own runners: a self-hosted one (also GITHUB_ACTIONS=true) may not reach the Jenkins repository.
        assertThat(activations).containsEntry("env.RUNNER_ENVIRONMENT", "github-hosted").doesNotContainKey("env.GITHUB_ACTIONS");
        // A workflow's name is not a contract: renaming the scan's workflow would silently scan nothing.
        assertThat(activations.keySet()).doesNotContain("env.GITHUB_WORKFLOW");
    }

    @Test
    void jenkinsAndContinuousDeliveryBuildThePlugin() {
        assertThat(pluginActivations()).containsKeys("env.JENKINS_URL", "set.changelist");
        assertThat(List.copyOf(pluginActivations().keySet())).hasSize(3);
    }
}

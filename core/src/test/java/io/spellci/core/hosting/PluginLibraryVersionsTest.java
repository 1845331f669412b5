package io.spellci.core.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.core.hosting.HostingRules.Pom;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * core is compiled against the root POM's OkHttp and Jackson; the plugin's -Pjenkins build checks the okhttp-api and
 * jackson2-api plugins against its own copy of those versions. The two copies must agree, or that check compares the
 * plugins with versions core is not built with.
 */
class PluginLibraryVersionsTest {

    private static final Pom ROOT = Pom.read(Path.of("../pom.xml"));
    private static final Pom PLUGIN = Pom.read(Path.of("../plugin/pom.xml"));

    @Test
    void thePluginChecksTheOkHttpCoreIsBuiltWith() {
        assertThat(PLUGIN.properties().get("spell-ci.okhttp.version"))
                .as("plugin/pom.xml's spell-ci.okhttp.version must be the root pom.xml's okhttp.version")
                .isNotBlank().isEqualTo(ROOT.properties().get("okhttp.version"));
    }

    @Test
    void thePluginChecksTheJacksonCoreIsBuiltWith() {
        assertThat(PLUGIN.properties().get("spell-ci.jackson.version"))
                .as("plugin/pom.xml's spell-ci.jackson.version must be the root pom.xml's jackson.version")
                .isNotBlank().isEqualTo(ROOT.properties().get("jackson.version"));
    }

    @Test
    void theCheckCoversEveryLibraryCoreTakesFromAJenkinsPlugin() {
        var nodes = PLUGIN.project().getElementsByTagName("exclude");
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < nodes.getLength(); i++) {
            rule.append(PLUGIN.interpolate(nodes.item(i).getTextContent().strip())).append('\n');
        }
        String okhttp = ROOT.properties().get("okhttp.version");
        String jackson = ROOT.properties().get("jackson.version");
        assertThat(rule.toString())
                .contains("com.squareup.okhttp3:okhttp-jvm:(," + okhttp + "),(" + okhttp + ",)")
                .contains("com.fasterxml.jackson.core:jackson-core:(," + jackson + "),(" + jackson + ",)");
    }
}

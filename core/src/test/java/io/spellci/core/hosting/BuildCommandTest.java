package io.spellci.core.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's test command is what CI runs, and the Maven it runs (the wrapper's) is one the build accepts and one a
 * machine that reaches only Maven Central can download.
 */
class BuildCommandTest {

    private static String read(String file) throws IOException {
        return Files.readString(Path.of("..").resolve(file), StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void ciRunsExactlyTheReadmesTestCommand() throws IOException {
        String readme = read("README.md");
        String fresh = readme.substring(readme.indexOf("## From a fresh checkout"));
        Matcher block = Pattern.compile("```sh\\n(.*?)\\n").matcher(fresh);
        assertThat(block.find()).isTrue();
        String command = block.group(1).replaceAll("\\s+#.*$", "").strip();
        String ci = read(".ci/run").lines().filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("set ")
                && !l.startsWith("cd ")).reduce((a, b) -> b).orElseThrow().strip();
        assertThat(ci).isEqualTo(command).isEqualTo("./mvnw -B verify");
    }

    @Test
    void theWrapperDownloadsAMavenTheBuildAcceptsFromMavenCentral() throws IOException {
        String properties = read(".mvn/wrapper/maven-wrapper.properties");
        Matcher url = Pattern.compile("(?m)^distributionUrl=https://repo\\.maven\\.apache\\.org/maven2/org/apache/maven/"
                + "apache-maven/([0-9.]+)/apache-maven-\\1-bin\\.zip$").matcher(properties);
        assertThat(url.find()).as("distributionUrl is Maven's binary zip on Maven Central").isTrue();
        String pom = read("pom.xml");
        Matcher minimum = Pattern.compile("<requireMavenVersion>\\s*<version>\\[([0-9.]+),\\)</version>").matcher(pom);
        assertThat(minimum.find()).as("the root POM requires a Maven version").isTrue();
        assertThat(HostingRules.compareVersions(url.group(1), minimum.group(1))).isNotNegative();
        assertThat(HostingRules.compareVersions(minimum.group(1), "3.9")).isNotNegative();
        assertThat(properties).contains("distributionType=only-script");
        assertThat(Path.of("../mvnw")).isRegularFile().isExecutable();
        assertThat(Path.of("../mvnw.cmd")).isRegularFile();
    }
}

package io.spellci.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One way to get the released jar, used by every CI example: the release asset release.yml attaches
 * ({@code spell-ci-<version>.jar}), fetched before the first {@code java -jar spell-ci.jar} of the job, with the
 * version set in the same example (a variable defined nowhere made curl exit 3).
 */
class JarDownloadDocsTest {
    private static final Path ROOT = Path.of("..");
    private static final String ASSET = "/releases/download/v$SPELL_CI_VERSION/spell-ci-$SPELL_CI_VERSION.jar";

    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void theReleaseAssetIsTheOneReleaseYmlAttaches() throws IOException {
        assertThat(text(ROOT.resolve(".github/workflows/release.yml"))).contains("\"spell-ci-$VERSION.jar\"");
    }

    @Test
    void everyCiExampleFetchesTheJarBeforeRunningIt() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> md = Files.list(ROOT.resolve("docs"))) {
            md.filter(f -> f.toString().endsWith(".md")).forEach(files::add);
        }
        int checked = 0;
        for (Path file : files) {
            Matcher block = Pattern.compile("```ya?ml\\n(.*?)```", Pattern.DOTALL).matcher(text(file));
            while (block.find()) {
                String yaml = block.group(1);
                int run = yaml.indexOf("java -jar spell-ci.jar");
                if (run < 0) {
                    continue;
                }
                checked++;
                String where = ROOT.relativize(file) + ":\n" + yaml;
                int fetch = yaml.indexOf("curl -fsSLo spell-ci.jar");
                assertThat(fetch).as(where).isNotNegative().isLessThan(run);
                assertThat(yaml).as(where).contains(ASSET).containsPattern("SPELL_CI_VERSION: \"\\d+\\.\\d+\\.\\d+\"")
                        .doesNotContain("SPELL_CI_JAR_URL");
            }
        }
        assertThat(checked).as("CI examples that run the jar").isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyExampleAndWorkflowUsesOneSetupJavaVersion() throws IOException {
        // One doc had @v4, another @v5.
        java.util.Set<String> versions = new java.util.TreeSet<>();
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> md = Files.list(ROOT.resolve("docs")); Stream<Path> wf = Files.list(ROOT.resolve(".github/workflows"))) {
            Stream.concat(md, wf).forEach(files::add);
        }
        for (Path file : files) {
            Matcher m = Pattern.compile("actions/setup-java@(v\\d+)").matcher(text(file));
            while (m.find()) {
                versions.add(m.group(1));
            }
        }
        assertThat(versions).hasSize(1);
    }
}

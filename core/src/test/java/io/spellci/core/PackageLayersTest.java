package io.spellci.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layers of core, read from its sources: a package below another never reaches back up into it. */
class PackageLayersTest {
    private static final Path SOURCES = Path.of("src/main/java/io/spellci/core");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.spellci\\.[\\w.]+?)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void hostRulesUseNothingButTheJdk() throws IOException {
        assertThat(importsOf("host")).isEmpty();
        assertThat(sourcesOf("host")).allSatisfy(text -> assertThat(text).doesNotContain("import java.net."));
    }

    @Test
    void theNetworkLayerDoesNotReachUpIntoTheApi() throws IOException {
        assertThat(importsOf("net")).isNotEmpty().doesNotContain("io.spellci.core.api");
    }

    @Test
    void loopbackIsDecidedInOnePlace() throws IOException {
        // ApiUrl (plain http only to loopback) and the proxy rule (loopback never proxied) ask the same question.
        assertThat(importsOf("api")).contains("io.spellci.core.host");
        assertThat(importsOf("net")).contains("io.spellci.core.host");
        try (Stream<Path> files = Files.walk(SOURCES)) {
            assertThat(files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(SOURCES.resolve("host"))))
                    .allSatisfy(f -> assertThat(Files.readString(f, StandardCharsets.UTF_8))
                            .as(f.toString()).doesNotContain("boolean isLoopback("));
        }
    }

    private static List<String> importsOf(String pkg) throws IOException {
        return sourcesOf(pkg).stream().flatMap(text -> {
            Matcher m = IMPORT.matcher(text);
            Stream.Builder<String> found = Stream.builder();
            while (m.find()) {
                found.add(m.group(1));
            }
            return found.build();
        }).filter(p -> !p.equals("io.spellci.core." + pkg)).distinct().toList();
    }

    private static List<String> sourcesOf(String pkg) throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
            List<String> texts = files.filter(f -> f.toString().endsWith(".java")).map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertThat(texts).as("sources of " + pkg).isNotEmpty();
            return texts;
        }
    }
}

package io.spellci.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.core.ephemeral.EphemeralTokenName;
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
 * What the docs say a sweep deletes, against what it does: only per-job names ({@code <prefix>-...-tmp...-xxxxxxxx}),
 * never every name under a prefix; and no long-lived token in an example carries a per-job prefix.
 */
class SweepDocsTest {
    private static final Path ROOT = Path.of("..");

    private static List<Path> docs() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("action.yml")));
        try (Stream<Path> md = Files.list(ROOT.resolve("docs"))) {
            md.filter(f -> f.toString().endsWith(".md")).forEach(files::add);
        }
        return files;
    }

    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void noDocSaysASweepTakesEveryNameUnderAPrefixOrOnlyByAge() throws IOException {
        // "the user's `ci-jenkins-*` tokens older than 24 hours", "names starting `ci-gha-`": the code takes only
        // per-job names, after the life in their name.
        Pattern wrong = Pattern.compile("`ci-(gha|jenkins|cli)-\\*`|names starting `?ci-|per-job tokens older than \\d+ hours");
        for (Path file : docs()) {
            Matcher m = wrong.matcher(text(file).replace("\n", " "));
            boolean found = m.find();
            assertThat(found).as(ROOT.relativize(file) + (found ? ": " + m.group() : "")).isFalse();
        }
    }

    @Test
    void noExampleNamesALongLivedTokenWithAPerJobPrefix() throws IOException {
        // tokenName / token-name / --name values that are long-lived tokens ("ci-jenkins-prod" looked like a per-job one).
        Pattern named = Pattern.compile("(?:tokenName:|token-name:|rotate --name)\\s*\"?([A-Za-z0-9._-]+)");
        for (Path file : docs()) {
            Matcher m = named.matcher(text(file));
            while (m.find()) {
                String name = m.group(1);
                for (String prefix : EphemeralTokenName.PREFIXES) {
                    assertThat(name).as(ROOT.relativize(file) + ": long-lived token name " + name)
                            .doesNotStartWith(prefix + "-");
                }
            }
        }
    }
}

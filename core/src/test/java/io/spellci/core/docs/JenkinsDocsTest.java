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
 * The Jenkins plugin's examples and claims, checked in the default build (the plugin's own tests need the Jenkins
 * Maven repository): README.md, docs/jenkins.md and the plugin's help files.
 */
class JenkinsDocsTest {

    private static final Path ROOT = Path.of("..");

    private static String read(Path file) throws IOException {
        return text(ROOT.resolve(file));
    }

    /** A checkout with core.autocrlf (Windows runners) has CRLF line ends. */
    private static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    /** Groovy examples: fenced ```groovy blocks of Markdown, and the pre blocks of the plugin's help files. */
    private static List<String> groovyExamples() throws IOException {
        List<String> examples = new ArrayList<>();
        for (Path md : List.of(Path.of("README.md"), Path.of("docs/jenkins.md"))) {
            Matcher m = Pattern.compile("```groovy\\n(.*?)```", Pattern.DOTALL).matcher(read(md));
            while (m.find()) {
                examples.add(md + ":\n" + m.group(1));
            }
        }
        try (Stream<Path> files = Files.walk(ROOT.resolve("plugin/src/main/resources"))) {
            for (Path html : files.filter(f -> f.toString().endsWith(".html")).toList()) {
                Matcher m = Pattern.compile("<pre>(.*?)</pre>", Pattern.DOTALL)
                        .matcher(text(html));
                while (m.find()) {
                    examples.add(ROOT.relativize(html) + ":\n" + m.group(1));
                }
            }
        }
        return examples;
    }

    /**
     * {@code sh} and {@code bat} need a workspace: pasted into a Pipeline outside {@code node} (Scripted) or a
     * stage's {@code steps} (Declarative, with an agent), they fail with "Required context class hudson.FilePath
     * is missing".
     */
    @Test
    void everyShellStepInAnExampleHasAWorkspace() throws IOException {
        List<String> examples = groovyExamples();
        assertThat(examples).hasSizeGreaterThan(5);
        Pattern shell = Pattern.compile("(?m)^\\s*(sh|bat|powershell)\\b");
        Pattern workspace = Pattern.compile("\\bnode\\s*(\\(|\\{)|\\bsteps\\s*\\{");
        for (String example : examples) {
            if (shell.matcher(example).find()) {
                assertThat(workspace.matcher(example).find())
                        .as("a shell step outside node { } or Declarative steps in %s", example)
                        .isTrue();
            }
        }
    }

    /** The Freestyle form has the variable names as top-level fields; only owner, validate, ephemeral are Advanced. */
    @Test
    void freestyleFormIsDescribedAsItIs() throws IOException {
        String details = read(Path.of("plugin/src/main/resources/io/jenkins/plugins/spell/SpellTokenBinding/config-details.jelly"));
        String advanced = details.substring(details.indexOf("<f:advanced>"), details.indexOf("</f:advanced>"));
        assertThat(advanced).doesNotContain("field=\"variable\"").doesNotContain("field=\"ownerVariable\"");
        String doc = read(Path.of("docs/jenkins.md"));
        String freestyle = doc.substring(doc.indexOf("## Freestyle jobs"), doc.indexOf("## Per-build"));
        for (String sentence : freestyle.split("(?<=[.;:])\\s")) {
            if (sentence.contains("**Advanced**")) {
                assertThat(sentence).as("under Advanced").doesNotContainIgnoringCase("variable");
            }
        }
    }

    /** The per-build token's value is kept (encrypted) in program.dat, which is how a restart resumes the block. */
    @Test
    void perBuildTokenStorageIsDescribedAsItIs() throws IOException {
        String doc = read(Path.of("docs/jenkins.md"));
        assertThat(doc).doesNotContain("exists only in memory");
        assertThat(doc).contains("program.dat");
        String security = doc.substring(doc.indexOf("## Security model"));
        assertThat(security).containsPattern("(?s)per-build token.{0,300}program\\.dat");
    }
}

package io.spellci.core.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The repository against the Jenkins hosting checker's Required rules that need neither GitHub nor the Jenkins repository
 * (see {@link HostingRules}), and each rule seen failing on a copy of the repository broken in that one place.
 */
class HostingRulesTest {

    private static final Path ROOT = Path.of("..");
    /** What the checker and the rules read: the root files, .github/, .mvn/, both POMs and the plugin's Jelly views. */
    private static final List<String> FILES = List.of("LICENSE", "README.md", "Jenkinsfile", ".gitignore", "pom.xml",
            "plugin/pom.xml", "plugin/README.md", ".github", ".mvn", "plugin/src/main/resources");

    @Test
    void theRepositoryPassesEveryRule() {
        assertThat(HostingRules.check(ROOT)).isEmpty();
    }

    @Test
    void theCopyOfTheRepositoryPassesToo(@TempDir Path copy) throws IOException {
        copyRepository(copy);
        assertThat(HostingRules.check(copy)).isEmpty();
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
                deleted("LICENSE", "LICENSE: missing"),
                edited("LICENSE", s -> "Apache License\nVersion 2.0, January 2004\n", "LICENSE: is not the MIT license"),
                edited("plugin/pom.xml", s -> cut(s, "<licenses>", "</licenses>"), "plugin/pom.xml: has no <licenses>"),
                edited("pom.xml", s -> cut(s, "<licenses>", "</licenses>"), "pom.xml: has no <licenses>"),
                edited("pom.xml", s -> s.replace("<name>MIT License</name>", "<name>Apache-2.0</name>"),
                        "pom.xml: <licenses> does not name the MIT License"),
                deleted(".github/CODEOWNERS", ".github/CODEOWNERS: missing: add the line `* @jenkinsci/spell-plugin-developers`"),
                edited(".github/CODEOWNERS", s -> "* @jenkinsci/spell-developers\n", ".github/CODEOWNERS: has no line"),
                deleted(".github/dependabot.yml", ".github/dependabot.yml: missing"),
                edited(".github/dependabot.yml", s -> s.replace("package-ecosystem: github-actions", "package-ecosystem: npm"),
                        "has no update entry with package-ecosystem: github-actions"),
                edited("pom.xml", s -> cut(s, "<scm ", "</scm>"), "pom.xml: has no <scm>"),
                edited("pom.xml", s -> cut(s, "<tag>", "</tag>"), "pom.xml: <scm> has no <tag>"),
                edited("pom.xml", s -> s.replace("scm:git:https://", "scm:git:http://"), "pom.xml: <scm><connection> must use https"),
                edited("pom.xml", s -> s.replace("  <licenses>", "  <developers><developer><id>alice</id></developer></developers>\n  <licenses>"),
                        "pom.xml: remove <developers>"),
                edited("pom.xml", s -> s.replace("<url>https://github.com/${gitHubRepo}</url>\n\n",
                        "<url>https://example.com/spell-ci</url>\n\n"), "pom.xml: <url> must be the plugin's repository"),
                edited("pom.xml", s -> s.replace("<changelist>999999-SNAPSHOT</changelist>", "<changelist>0.1.0-SNAPSHOT</changelist>"),
                        "pom.xml: the property changelist must be 999999-SNAPSHOT"),
                edited("plugin/pom.xml", s -> s.replace("<artifactId>spell</artifactId>", "<artifactId>spell-jenkins</artifactId>"),
                        "plugin/pom.xml: artifactId spell-jenkins must be the repository name without -plugin: spell"),
                edited("plugin/pom.xml", s -> s.replace("<artifactId>spell</artifactId>", "<artifactId>spell-jenkins</artifactId>"),
                        "plugin/pom.xml: artifactId spell-jenkins must not contain Jenkins"),
                edited("plugin/pom.xml", s -> s.replace("<gitHubRepo>jenkinsci/spell-plugin</gitHubRepo>",
                        "<gitHubRepo>jenkinsci/Spell-Plugin</gitHubRepo>").replace("<artifactId>spell</artifactId>",
                        "<artifactId>Spell</artifactId>"), "plugin/pom.xml: artifactId Spell must be all lower case"),
                edited("plugin/pom.xml", s -> s.replace("<gitHubRepo>jenkinsci/spell-plugin</gitHubRepo>",
                        "<gitHubRepo>jenkinsci/spell</gitHubRepo>"), "the repository name spell must end with -plugin"),
                edited("plugin/pom.xml", s -> s.replace("<name>Spell</name>", "<name>Spell for Jenkins</name>"),
                        "plugin/pom.xml: <name> Spell for Jenkins must not contain Jenkins"),
                edited("plugin/pom.xml", s -> s.replace("<groupId>io.jenkins.plugins</groupId>\n  <artifactId>spell</artifactId>",
                        "<groupId>org.jenkins-ci.plugins</groupId>\n  <artifactId>spell</artifactId>"),
                        "plugin/pom.xml: groupId must be io.jenkins.plugins"),
                edited("plugin/pom.xml", s -> s.replace("<url>https://github.com/${gitHubRepo}/tree/main/plugin</url>",
                        "<url>https://example.com/spell</url>"),
                        "plugin/pom.xml: <url> must be https://github.com/jenkinsci/spell-plugin"),
                deleted("plugin/README.md", "plugin/pom.xml: <url> names the folder plugin, which has no README.md"),
                edited("plugin/pom.xml", s -> s.replace("<jenkins.version>${jenkins.baseline}.3</jenkins.version>",
                        "<jenkins.version>${jenkins.baseline}.1</jenkins.version>"), "jenkins.version 2.541.1 must be at least 2.541.3"),
                edited("plugin/pom.xml", s -> s.replace("<properties>", "<properties>\n    <maven.compiler.release>17</maven.compiler.release>"),
                        "plugin/pom.xml: remove the property maven.compiler.release"),
                edited("plugin/pom.xml", s -> s.replace("<banObsoleteDependencyOverrides.skip>false</banObsoleteDependencyOverrides.skip>", ""),
                        "plugin/pom.xml: define the property banObsoleteDependencyOverrides.skip as false"),
                edited("plugin/pom.xml", s -> s.replace("<artifactId>okhttp-api</artifactId>",
                        "<artifactId>okhttp-api</artifactId>\n      <version>5.3.2-200.vedb_720a_cf1f8</version>"),
                        "plugin/pom.xml: the BOM manages io.jenkins.plugins:okhttp-api: remove its <version>"),
                edited("plugin/pom.xml", s -> s.replace("<dependencies>\n", "<dependencies>\n    <dependency><groupId>com.squareup.okhttp3"
                        + "</groupId><artifactId>okhttp</artifactId></dependency>\n"),
                        "plugin/pom.xml: depend on the API plugin io.jenkins.plugins:okhttp-api instead of com.squareup.okhttp3:okhttp"),
                edited("plugin/pom.xml", s -> s.replace("<changelist>999999-SNAPSHOT</changelist>", "<changelist>1.0-SNAPSHOT</changelist>"),
                        "plugin/pom.xml: the property changelist must be 999999-SNAPSHOT"),
                edited("Jenkinsfile", s -> s.replace("jdk: 21]", "jdk: 17]"), "Jenkinsfile: jdk 17 is not allowed"),
                edited("Jenkinsfile", s -> s + "\necho 'done'\n", "Jenkinsfile: must hold a single buildPlugin(...) call"),
                deleted("Jenkinsfile", "Jenkinsfile: missing"),
                edited(".gitignore", s -> s.replace("work/\n", ""), ".gitignore: does not exclude work"),
                deleted(".github/workflows/jenkins-security-scan.yml", ".github/workflows/jenkins-security-scan.yml: missing"),
                deleted(".github/workflows/cd.yaml", ".github/workflows/cd.yaml: missing"),
                edited(".mvn/maven.config", s -> s.replace("-Dchangelist.format=%d.v%s", ""), ".mvn/maven.config: needs the line"),
                edited("plugin/src/main/resources/index.jelly", s -> s.replace("</div>", "<script>alert(1)</script></div>"),
                        "plugin/src/main/resources/index.jelly: has an inline <script>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void eachRuleFailsWhenItsFileIsBroken(String breakage, String file, UnaryOperator<String> edit, String expected,
            @TempDir Path copy) throws IOException {
        copyRepository(copy);
        Path target = copy.resolve(file);
        if (edit == null) {
            Files.delete(target);
        } else {
            String before = Files.readString(target, StandardCharsets.UTF_8).replace("\r\n", "\n");
            String after = edit.apply(before);
            assertThat(after).as("the breakage changes %s", file).isNotEqualTo(before);
            Files.writeString(target, after, StandardCharsets.UTF_8);
        }
        assertThat(HostingRules.check(copy)).as(breakage).anySatisfy(p -> assertThat(p).contains(expected));
    }

    /** The hosting request and the permissions file follow docs/jenkins.md, so it must match the POMs. */
    @Test
    void theReleasingDocsMatchThePoms() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/jenkins.md"), StandardCharsets.UTF_8).replace("\r\n", "\n");
        String releasing = doc.substring(doc.indexOf("## Releasing"));
        HostingRules.Pom root = HostingRules.Pom.read(ROOT.resolve("pom.xml"));
        String groupPath = root.get("groupId").replace('.', '/');
        for (String module : List.of("spell-ci-parent", "spell-ci-core", "spell-ci-fake-api")) {
            assertThat(releasing).contains("`" + groupPath + "/" + module + "`");
        }
        assertThat(releasing).contains("`" + root.get("groupId") + ":" + root.get("artifactId") + "`")
                .contains("* @jenkinsci/spell-plugin-developers").contains(root.properties().get("changelist"));
    }

    @Test
    void versionsCompareByTheirNumbers() {
        assertThat(HostingRules.compareVersions("6.2221.va_045130417c9", HostingRules.LOWEST_PARENT_POM)).isPositive();
        assertThat(HostingRules.compareVersions("6.2105.v1", HostingRules.LOWEST_PARENT_POM)).isNegative();
        assertThat(HostingRules.compareVersions("2.541.3", HostingRules.LOWEST_JENKINS)).isZero();
        assertThat(HostingRules.compareVersions("2.528.3", HostingRules.LOWEST_JENKINS)).isNegative();
    }

    private static Arguments deleted(String file, String expected) {
        return Arguments.of("without " + file, file, null, expected);
    }

    private static Arguments edited(String file, UnaryOperator<String> edit, String expected) {
        return Arguments.of(file + " -> " + expected, file, edit, expected);
    }

    /** {@code text} without the first element that starts with {@code open} and ends with {@code close}. */
    private static String cut(String text, String open, String close) {
        int start = text.indexOf(open);
        int end = text.indexOf(close, start) + close.length();
        return start < 0 ? text : text.substring(0, start) + text.substring(end);
    }

    private static void copyRepository(Path copy) throws IOException {
        for (String name : FILES) {
            Path source = ROOT.resolve(name);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = copy.resolve(ROOT.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            }
        }
    }
}

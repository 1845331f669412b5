package io.spellci.core.hosting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Required rules of the Jenkins project's hosting checker (the verifiers of jenkins-infra/repository-permissions-updater:
 * GitHub, Maven, Jelly, RequiredFiles) that can be checked without GitHub or the Jenkins repository, applied to a checkout.
 * The checker reads the root {@code pom.xml}; here the Maven rules apply to the plugin's {@code plugin/pom.xml}, and the
 * root gets the rules a hosted root must meet too (see docs/jenkins.md, "Releasing", for the ones it breaks on purpose).
 * Each problem starts with the file it is about and says what to change.
 */
final class HostingRules {

    /** Parent POM versions below this are refused (Requirements.LOWEST_PARENT_POM_VERSION). */
    static final String LOWEST_PARENT_POM = "6.2211";
    /** Jenkins core versions below this are refused (Requirements.LOWEST_JENKINS_VERSION). */
    static final String LOWEST_JENKINS = "2.541.3";
    static final Set<Integer> ALLOWED_JDKS = Set.of(21, 25);
    /** Libraries a plugin must take from an API plugin instead of bundling (a part of the checker's banned list). */
    static final Map<String, String> API_PLUGINS = Map.of(
            "com.fasterxml.jackson.core:jackson-core", "org.jenkins-ci.plugins:jackson2-api",
            "com.fasterxml.jackson.core:jackson-databind", "org.jenkins-ci.plugins:jackson2-api",
            "com.squareup.okhttp3:okhttp", "io.jenkins.plugins:okhttp-api",
            "com.google.code.gson:gson", "io.jenkins.plugins:gson-api",
            "org.apache.commons:commons-lang3", "io.jenkins.plugins:commons-lang3-api",
            "org.yaml:snakeyaml", "io.jenkins.plugins:snakeyaml-api");

    private final Path root;
    private final List<String> problems = new ArrayList<>();

    private HostingRules(Path root) {
        this.root = root;
    }

    /** Every problem found in the checkout at {@code root}; empty when it would pass. */
    static List<String> check(Path root) {
        HostingRules rules = new HostingRules(root);
        rules.run();
        return rules.problems;
    }

    private void run() {
        Pom plugin = Pom.read(root.resolve("plugin/pom.xml"));
        String repository = plugin.interpolate(plugin.properties().getOrDefault("gitHubRepo", ""));
        String repoName = repository.startsWith("jenkinsci/") ? repository.substring("jenkinsci/".length()) : "";
        if (repoName.isEmpty()) {
            problem("plugin/pom.xml", "the property gitHubRepo must be jenkinsci/<name>-plugin, the repository to be hosted");
        }
        repositoryFiles(plugin, repoName);
        pluginPom(plugin, repoName);
        rootPom(Pom.read(root.resolve("pom.xml")), plugin);
        jelly();
    }

    // ------------------------------------------------------------------ GitHubVerifier, RequiredFilesVerifier

    private void repositoryFiles(Pom plugin, String repoName) {
        String license = text("LICENSE");
        if (license == null) {
            problem("LICENSE", "missing: GitHub finds no license, and the checker requires one");
        } else if (!license.startsWith("MIT License") || !license.contains("Permission is hereby granted, free of charge")) {
            problem("LICENSE", "is not the MIT license text that the POMs' <licenses> name");
        }
        if (text("README.md") == null) {
            problem("README.md", "missing: the checker requires a readme");
        }
        String codeOwners = text(".github/CODEOWNERS");
        String owners = "* @jenkinsci/" + repoName + "-developers";
        if (codeOwners == null) {
            problem(".github/CODEOWNERS", "missing: add the line `" + owners + "`");
        } else if (codeOwners.lines().noneMatch(owners::equals)) {
            problem(".github/CODEOWNERS", "has no line `" + owners + "` (exactly, on a line of its own)");
        }
        String dependabot = firstText(".github/dependabot.yml", ".github/dependabot.yaml");
        if (dependabot == null && firstText("renovate.json", ".github/renovate.json") == null) {
            problem(".github/dependabot.yml", "missing: the checker requires dependabot, renovate or updatecli");
        } else if (dependabot != null) {
            for (String ecosystem : List.of("maven", "github-actions")) {
                if (!Pattern.compile("(?m)^\\s*-\\s*package-ecosystem:\\s*\"?" + ecosystem + "\"?\\s*$").matcher(dependabot).find()) {
                    problem(".github/dependabot.yml", "has no update entry with package-ecosystem: " + ecosystem);
                }
            }
        }
        jenkinsfile();
        String gitignore = text(".gitignore");
        if (gitignore == null) {
            problem(".gitignore", "missing: it must exclude target and work");
        } else {
            for (String dir : List.of("target", "work")) {
                if (gitignore.lines().noneMatch(l -> l.equals(dir) || l.equals(dir + "/") || l.equals("/" + dir + "/"))) {
                    problem(".gitignore", "does not exclude " + dir + " (a line `" + dir + "/`)");
                }
            }
        }
        if (firstText(".github/workflows/jenkins-security-scan.yml", ".github/workflows/jenkins-security-scan.yaml") == null) {
            problem(".github/workflows/jenkins-security-scan.yml", "missing: the Jenkins Security Scan workflow is required");
        }
        // Continuous delivery (cd: enabled in the permissions file).
        if (text(".mvn/extensions.xml") == null) {
            problem(".mvn/extensions.xml", "missing: CD needs the git-changelist extension");
        }
        if (firstText(".github/workflows/cd.yaml", ".github/workflows/cd.yml") == null) {
            problem(".github/workflows/cd.yaml", "missing: CD needs the cd workflow");
        }
        for (String drafter : List.of(".github/release-drafter.yml", ".github/release-drafter.yaml",
                ".github/workflows/release-drafter.yml", ".github/workflows/release-drafter.yaml")) {
            if (text(drafter) != null) {
                problem(drafter, "must be removed when CD is enabled");
            }
        }
        String mavenConfig = text(".mvn/maven.config");
        if (mavenConfig == null || mavenConfig.lines().noneMatch("-Dchangelist.format=%d.v%s"::equals)) {
            problem(".mvn/maven.config", "needs the line -Dchangelist.format=%d.v%s for CD");
        }
    }

    /** The checker parses the Jenkinsfile: one buildPlugin(...) call with configurations, each with platform and an allowed jdk. */
    private void jenkinsfile() {
        String jenkinsfile = text("Jenkinsfile");
        if (jenkinsfile == null) {
            problem("Jenkinsfile", "missing: ci.jenkins.io builds the plugin with it");
            return;
        }
        String code = jenkinsfile.replaceAll("(?m)//.*$", "").replaceAll("(?s)/\\*.*?\\*/", "").strip();
        Matcher call = Pattern.compile("(?s)^buildPlugin\\s*\\((.*)\\)$").matcher(code);
        if (!call.matches()) {
            problem("Jenkinsfile", "must hold a single buildPlugin(...) call and nothing else");
            return;
        }
        String args = call.group(1);
        Matcher configurations = Pattern.compile("(?s)\\bconfigurations\\s*:\\s*\\[(.*)]").matcher(args);
        if (!configurations.find()) {
            problem("Jenkinsfile", "buildPlugin needs a configurations: [...] parameter");
            return;
        }
        Matcher entry = Pattern.compile("\\[([^\\[\\]]*)]").matcher(configurations.group(1));
        int count = 0;
        while (entry.find()) {
            count++;
            String config = entry.group(1);
            if (!config.matches("(?s).*\\bplatform\\s*:.*")) {
                problem("Jenkinsfile", "a configuration has no platform: " + config.strip());
            }
            Matcher jdk = Pattern.compile("\\bjdk\\s*:\\s*(\\S+?)\\s*(,|$)").matcher(config);
            if (!jdk.find()) {
                problem("Jenkinsfile", "a configuration has no jdk: " + config.strip());
            } else if (!jdk.group(1).matches("\\d+") || !ALLOWED_JDKS.contains(Integer.parseInt(jdk.group(1)))) {
                problem("Jenkinsfile", "jdk " + jdk.group(1) + " is not allowed; use one of " + ALLOWED_JDKS + " (an integer)");
            }
        }
        if (count == 0) {
            problem("Jenkinsfile", "configurations is empty");
        }
    }

    // ------------------------------------------------------------------ MavenVerifier

    private void pluginPom(Pom pom, String repoName) {
        String file = "plugin/pom.xml";
        String artifactId = pom.get("artifactId");
        String groupId = pom.get("groupId");
        if (!repoName.isEmpty() && !artifactId.equals(repoName.replace("-plugin", ""))) {
            problem(file, "artifactId " + artifactId + " must be the repository name without -plugin: "
                    + repoName.replace("-plugin", ""));
        }
        if (!repoName.endsWith("-plugin")) {
            problem(file, "the repository name " + repoName + " must end with -plugin");
        }
        if (repoName.toLowerCase().contains("jenkins") || repoName.toLowerCase().contains("hudson")) {
            problem(file, "the repository name " + repoName + " must not contain Jenkins or Hudson");
        }
        artifactIdRules(file, groupId, artifactId);
        Element parent = pom.child("parent");
        if (parent == null || !"org.jenkins-ci.plugins".equals(Pom.text(parent, "groupId"))
                || !"plugin".equals(Pom.text(parent, "artifactId"))) {
            problem(file, "the parent must be org.jenkins-ci.plugins:plugin");
        } else if (compareVersions(Pom.text(parent, "version"), LOWEST_PARENT_POM) < 0) {
            problem(file, "the parent POM version " + Pom.text(parent, "version") + " must be at least " + LOWEST_PARENT_POM);
        }
        Map<String, String> props = pom.properties();
        String jenkinsVersion = pom.interpolate(props.getOrDefault("jenkins.version", ""));
        if (jenkinsVersion.isEmpty()) {
            problem(file, "the property jenkins.version is missing");
        } else if (compareVersions(jenkinsVersion, LOWEST_JENKINS) < 0) {
            problem(file, "jenkins.version " + jenkinsVersion + " must be at least " + LOWEST_JENKINS);
        }
        nameRule(file, pom);
        licensesRule(file, pom);
        if (!"io.jenkins.plugins".equals(groupId)) {
            problem(file, "groupId must be io.jenkins.plugins, not " + groupId);
        }
        repositoriesRule(file, pom);
        scmRule(file, pom);
        developersRule(file, pom);
        for (String illegal : List.of("java.level", "maven.compiler.source", "maven.compiler.target", "maven.compiler.release")) {
            if (props.containsKey(illegal)) {
                problem(file, "remove the property " + illegal + ": the parent POM sets it");
            }
        }
        if (!props.containsKey("jenkins.baseline")) {
            problem(file, "define the property jenkins.baseline and use it in jenkins.version and the BOM's artifactId");
        }
        for (Map.Entry<String, String> required : Map.of("hpi.strictBundledArtifacts", "true", "ban-commons-lang-2.skip",
                "false", "ban-deprecated-stapler.skip", "false", "ban-junit4-imports.skip", "false",
                "banObsoleteDependencyOverrides.skip", "false").entrySet()) {
            if (!required.getValue().equals(props.get(required.getKey()))) {
                problem(file, "define the property " + required.getKey() + " as " + required.getValue());
            }
        }
        // The checker wants the repository (it reads the root's <url>); a plugin may name its own page's folder in it.
        String url = pom.interpolate(pom.get("url"));
        String repositoryUrl = "https://github.com/jenkinsci/" + artifactId + "-plugin";
        Matcher folder = Pattern.compile(Pattern.quote(repositoryUrl) + "/tree/main/(.+)").matcher(url);
        if (folder.matches()) {
            if (text(folder.group(1) + "/README.md") == null) {
                problem(file, "<url> names the folder " + folder.group(1) + ", which has no README.md for plugins.jenkins.io");
            }
        } else if (!url.equals(repositoryUrl)) {
            problem(file, "<url> must be " + repositoryUrl + " (or a folder of it with the plugin's README), not " + url);
        }
        cdRule(file, pom);
        dependencyRules(file, pom);
    }

    private void rootPom(Pom pom, Pom plugin) {
        String file = "pom.xml";
        artifactIdRules(file, pom.get("groupId"), pom.get("artifactId"));
        nameRule(file, pom);
        licensesRule(file, pom);
        repositoriesRule(file, pom);
        scmRule(file, pom);
        developersRule(file, pom);
        String url = pom.interpolate(pom.get("url"));
        String repositoryUrl = "https://github.com/" + plugin.interpolate(plugin.properties().getOrDefault("gitHubRepo", ""));
        if (!url.equals(repositoryUrl)) {
            problem(file, "<url> must be the plugin's repository, " + repositoryUrl + ", not " + url);
        }
        cdRule(file, pom);
        if (!plugin.properties().get("changelist").equals(pom.properties().get("changelist"))) {
            problem(file, "the changelist default must be the plugin's (" + plugin.properties().get("changelist") + ")");
        }
    }

    private void artifactIdRules(String file, String groupId, String artifactId) {
        if (artifactId.isEmpty()) {
            problem(file, "has no artifactId");
            return;
        }
        if (artifactId.length() >= 37) {
            problem(file, "artifactId " + artifactId + " must have fewer than 37 characters");
        }
        if (groupId.length() + artifactId.length() >= 100) {
            problem(file, "groupId and artifactId together must have fewer than 100 characters");
        }
        if (artifactId.toLowerCase().contains("jenkins")) {
            problem(file, "artifactId " + artifactId + " must not contain Jenkins");
        }
        if (!artifactId.equals(artifactId.toLowerCase())) {
            problem(file, "artifactId " + artifactId + " must be all lower case");
        }
    }

    private void nameRule(String file, Pom pom) {
        String name = pom.get("name");
        if (name.isBlank()) {
            problem(file, "has no <name>");
        } else if (name.toLowerCase().contains("jenkins")) {
            problem(file, "<name> " + name + " must not contain Jenkins");
        }
    }

    private void licensesRule(String file, Pom pom) {
        Element licenses = pom.child("licenses");
        List<Element> entries = licenses == null ? List.of() : Pom.children(licenses, "license");
        if (entries.isEmpty()) {
            problem(file, "has no <licenses>: name the MIT License of LICENSE");
        } else if (entries.stream().noneMatch(l -> "MIT License".equals(Pom.text(l, "name")))) {
            problem(file, "<licenses> does not name the MIT License that LICENSE holds");
        }
    }

    private void repositoriesRule(String file, Pom pom) {
        for (String kind : List.of("repositories/repository", "pluginRepositories/pluginRepository")) {
            String[] path = kind.split("/");
            Element list = pom.child(path[0]);
            for (Element repo : list == null ? List.<Element>of() : Pom.children(list, path[1])) {
                String url = Pom.text(repo, "url");
                if ((url.contains("repo.jenkins-ci.org") || Pom.text(repo, "id").contains("repo.jenkins-ci.org"))
                        && !url.startsWith("https://")) {
                    problem(file, "the " + path[1] + " of repo.jenkins-ci.org must use https://");
                }
            }
        }
    }

    private void scmRule(String file, Pom pom) {
        Element scm = pom.child("scm");
        if (scm == null) {
            problem(file, "has no <scm>");
            return;
        }
        String connection = Pom.text(scm, "connection");
        if (connection.isEmpty()) {
            problem(file, "<scm> has no <connection>");
        } else if (connection.startsWith("scm:git:git:") || connection.startsWith("scm:git:http:")) {
            problem(file, "<scm><connection> must use https");
        }
        for (String tag : List.of("url", "developerConnection", "tag")) {
            if (Pom.text(scm, tag).isEmpty()) {
                problem(file, "<scm> has no <" + tag + ">");
            }
        }
    }

    private void developersRule(String file, Pom pom) {
        Element developers = pom.child("developers");
        if (developers != null && !Pom.children(developers, "developer").isEmpty()) {
            problem(file, "remove <developers>: the update site takes them from the repository permissions");
        }
    }

    private void cdRule(String file, Pom pom) {
        if (!"999999-SNAPSHOT".equals(pom.properties().get("changelist"))) {
            problem(file, "the property changelist must be 999999-SNAPSHOT for continuous delivery");
        }
        String version = pom.get("version");
        if (!version.contains("${changelist}")) {
            problem(file, "the version must contain ${changelist} for continuous delivery");
        }
        if (version.contains("${revision}${changelist}")) {
            problem(file, "${revision}${changelist} is not the recommended version format");
        }
    }

    private void dependencyRules(String file, Pom pom) {
        Element dependencies = pom.child("dependencies");
        for (Element dep : dependencies == null ? List.<Element>of() : Pom.children(dependencies, "dependency")) {
            String coordinates = Pom.text(dep, "groupId") + ":" + Pom.text(dep, "artifactId");
            String scope = Pom.text(dep, "scope");
            if ((scope.isEmpty() || scope.equals("compile")) && API_PLUGINS.containsKey(coordinates)) {
                problem(file, "depend on the API plugin " + API_PLUGINS.get(coordinates) + " instead of " + coordinates);
            }
            if (isJenkinsPlugin(Pom.text(dep, "groupId")) && !Pom.text(dep, "version").isEmpty()) {
                problem(file, "the BOM manages " + coordinates + ": remove its <version>");
            }
        }
        Element management = pom.child("dependencyManagement");
        Element managed = management == null ? null : Pom.children(management, "dependencies").stream().findFirst().orElse(null);
        Element bom = managed == null ? null : Pom.children(managed, "dependency").stream()
                .filter(d -> "io.jenkins.tools.bom".equals(Pom.text(d, "groupId"))).findFirst().orElse(null);
        if (bom == null) {
            problem(file, "import the Jenkins plugin BOM (io.jenkins.tools.bom:bom-${jenkins.baseline}.x)");
        } else {
            String bomId = pom.interpolate(Pom.text(bom, "artifactId"));
            String expected = "bom-" + pom.interpolate(pom.properties().getOrDefault("jenkins.baseline", "")) + ".x";
            if (!bomId.equals(expected)) {
                problem(file, "the BOM " + bomId + " is not the one of jenkins.baseline: " + expected);
            }
        }
    }

    private static boolean isJenkinsPlugin(String groupId) {
        return groupId.startsWith("org.jenkins-ci.plugins") || groupId.equals("io.jenkins.plugins")
                || groupId.startsWith("org.jenkinsci.plugins") || groupId.equals("io.jenkins");
    }

    // ------------------------------------------------------------------ JellyVerifier

    /** Content Security Policy (Required part): no inline style or script, no legacy checkUrl without checkDependsOn. */
    private void jelly() {
        Path resources = root.resolve("plugin/src/main/resources");
        if (!Files.isDirectory(resources)) {
            return;
        }
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path jelly : files.filter(f -> f.toString().endsWith(".jelly")).sorted().toList()) {
                String file = root.relativize(jelly).toString().replace('\\', '/');
                Element top;
                try {
                    top = Pom.parse(jelly).getDocumentElement();
                } catch (IllegalStateException notXml) {
                    continue; // the checker skips what it cannot parse; Jenkins would refuse it at run time anyway
                }
                // Unprefixed names only, as the checker matches them: <st:adjunct> and taglibs are fine.
                if (top.getElementsByTagName("style").getLength() > 0) {
                    problem(file, "has an inline <style>: move it to a CSS file");
                }
                NodeList scripts = top.getElementsByTagName("script");
                for (int i = 0; i < scripts.getLength(); i++) {
                    Element script = (Element) scripts.item(i);
                    if (!script.hasAttribute("src") && !"application/json".equalsIgnoreCase(script.getAttribute("type"))) {
                        problem(file, "has an inline <script>: move it to a JavaScript file (adjunct)");
                    }
                }
                NodeList all = top.getElementsByTagNameNS("*", "*");
                for (int i = 0; i < all.getLength(); i++) {
                    Element e = (Element) all.item(i);
                    // Inline event handlers (onclick=...) are only a warning of the checker, so not checked here.
                    if (e.hasAttribute("checkUrl") && !e.hasAttribute("checkDependsOn")) {
                        problem(file, "uses checkUrl without checkDependsOn");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void problem(String file, String what) {
        problems.add(file + ": " + what);
    }

    private String text(String file) {
        Path path = root.resolve(file);
        try {
            return Files.isRegularFile(path) ? Files.readString(path, StandardCharsets.UTF_8).replace("\r\n", "\n") : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String firstText(String... files) {
        for (String file : files) {
            String text = text(file);
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    /** Compares the leading numeric parts (6.2221.va_045... against 6.2211). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length && x[i].matches("\\d+") ? Long.parseLong(x[i]) : 0;
            long q = i < y.length && y[i].matches("\\d+") ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
            if (i < x.length && !x[i].matches("\\d+") || i < y.length && !y[i].matches("\\d+")) {
                return 0;
            }
        }
        return 0;
    }

    /** A POM read as the checker reads it: the file's own model, properties interpolated, no parent or profiles. */
    record Pom(Element project) {
        static Pom read(Path file) {
            return new Pom(parse(file).getDocumentElement());
        }

        static Document parse(Path file) {
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                DocumentBuilder builder = factory.newDocumentBuilder();
                return builder.parse(file.toFile());
            } catch (Exception e) {
                throw new IllegalStateException(file + " is not well-formed XML: " + e.getMessage(), e);
            }
        }

        Element child(String name) {
            return children(project, name).stream().findFirst().orElse(null);
        }

        String get(String name) {
            return text(project, name);
        }

        Map<String, String> properties() {
            Map<String, String> map = new LinkedHashMap<>();
            Element props = child("properties");
            if (props != null) {
                NodeList nodes = props.getChildNodes();
                for (int i = 0; i < nodes.getLength(); i++) {
                    if (nodes.item(i) instanceof Element e) {
                        map.put(e.getLocalName(), e.getTextContent().strip());
                    }
                }
            }
            map.put("project.artifactId", get("artifactId"));
            return map;
        }

        String interpolate(String value) {
            Map<String, String> props = properties();
            String result = value;
            for (int round = 0; round < 5 && result.contains("${"); round++) {
                Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(result);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(out, Matcher.quoteReplacement(props.getOrDefault(m.group(1), m.group())));
                }
                m.appendTail(out);
                result = out.toString();
            }
            return result;
        }

        static List<Element> children(Element parent, String name) {
            List<Element> list = new ArrayList<>();
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && name.equals(e.getLocalName())) {
                    list.add(e);
                }
            }
            return list;
        }

        static String text(Element parent, String name) {
            return children(parent, name).stream().findFirst().map(e -> e.getTextContent().strip()).orElse("");
        }
    }
}

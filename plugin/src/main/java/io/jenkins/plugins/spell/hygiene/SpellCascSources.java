package io.jenkins.plugins.spell.hygiene;

import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

import hudson.Util;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jenkins.model.Jenkins;

/**
 * Tells whether a credential id appears in this controller's Configuration as Code YAML (the files
 * {@code casc.jenkins.config} / {@code CASC_JENKINS_CONFIG} name, else {@code $JENKINS_HOME/jenkins.yaml}): such a
 * credential is re-applied from YAML on the next reload, so a rotation that does not also update the YAML's secret
 * source puts the deleted token back. Only local files are read; a URL source cannot be told and is not.
 */
@Restricted(NoExternalUse.class)
public final class SpellCascSources {
    private SpellCascSources() {}

    public static boolean defines(String credentialId) {
        if (credentialId == null) {
            return false;
        }
        Pattern idLine = Pattern.compile("(?m)^\\s*-?\\s*id:\\s*[\"']?" + Pattern.quote(credentialId) + "[\"']?\\s*(#.*)?$");
        for (Path file : yamlFiles()) {
            try {
                if (idLine.matcher(Files.readString(file, StandardCharsets.UTF_8)).find()) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // unreadable: cannot tell; the docs and the button say what to do either way
            }
        }
        return false;
    }

    private static List<Path> yamlFiles() {
        String configured = Util.fixEmptyAndTrim(System.getProperty("casc.jenkins.config", System.getenv("CASC_JENKINS_CONFIG")));
        List<String> sources = new ArrayList<>();
        if (configured != null) {
            for (String part : configured.split(",")) {
                sources.add(part.trim());
            }
        } else {
            sources.add(new File(Jenkins.get().getRootDir(), "jenkins.yaml").getPath());
        }
        List<Path> files = new ArrayList<>();
        for (String source : sources) {
            if (source.isEmpty() || source.contains("://") && !source.startsWith("file:")) {
                continue;
            }
            Path path = Path.of(source.startsWith("file:") ? source.substring("file:".length()) : source);
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path, 4)) {
                    walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                            .filter(Files::isRegularFile).forEach(files::add);
                } catch (IOException | RuntimeException e) {
                    // as above
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            }
        }
        return files;
    }
}

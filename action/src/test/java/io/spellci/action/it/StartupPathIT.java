package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What keeps the runner's path fast, checked on the jar as released (docs/performance.md): the first string
 * concatenation by invokedynamic costs a start about 15 ms of java.lang.invoke set-up, and every further shape of
 * one spins classes that a JDK 17 class-data sharing archive cannot hold.
 */
class StartupPathIT {
    @Test
    void noClassOfOursConcatenatesStringsByInvokedynamic() throws IOException {
        byte[] bootstrap = "makeConcatWithConstants".getBytes(StandardCharsets.UTF_8);
        List<String> ours = new ArrayList<>();
        List<String> offending = new ArrayList<>();
        try (JarFile jar = new JarFile(Jar.JAR.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                if (!entry.getName().startsWith("io/spellci/") || !entry.getName().endsWith(".class")) continue;
                ours.add(entry.getName());
                try (InputStream in = jar.getInputStream(entry)) {
                    if (Jar.indexOf(in.readAllBytes(), bootstrap) >= 0) offending.add(entry.getName());
                }
            }
        }
        // Core's, the action's and the fake API's classes are all in the jar, and all of them are checked.
        assertThat(ours).anyMatch(n -> n.startsWith("io/spellci/core/"))
                .anyMatch(n -> n.startsWith("io/spellci/action/"))
                .anyMatch(n -> n.startsWith("io/spellci/fakeapi/"));
        assertThat(offending).as("compiled without -XDstringConcat=inline (the root pom sets it)").isEmpty();
    }
}

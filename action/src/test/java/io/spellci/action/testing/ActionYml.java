package io.spellci.action.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The action's metadata as the runner reads it: the repository root's action.yml. */
public final class ActionYml {
    private final Path root;
    private final JsonNode tree;

    private ActionYml(Path root) {
        this.root = root;
        try {
            this.tree = new ObjectMapper(new YAMLFactory()).readTree(root.resolve("action.yml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The action.yml at {@code root}. */
    public static ActionYml at(Path root) {
        return new ActionYml(root);
    }

    /** The repository root: the nearest directory up from here holding the parent POM and the modules. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("core"))
                    && Files.isDirectory(dir.resolve("action"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no spell-ci checkout above " + Path.of("").toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    public JsonNode tree() {
        return tree;
    }

    /** The script the runner starts with node for {@code step} ({@code main} or {@code post}): runs.main, runs.post. */
    public Path script(String step) {
        JsonNode value = tree.path("runs").path(step);
        if (!value.isTextual()) {
            throw new IllegalStateException("action.yml has no runs." + step);
        }
        return root.resolve(value.asText());
    }

    /** Input name to default, for the inputs that declare one (the runner passes those when a step omits them). */
    public Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.path("inputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> input = it.next();
            if (input.getValue().has("default")) {
                defaults.put(input.getKey(), input.getValue().get("default").asText());
            }
        }
        return defaults;
    }
}

package io.spellci.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts about this build of spell-ci. */
public final class SpellCi {
    private static final String VERSION = loadVersion();

    private SpellCi() {
    }

    /** The project version, e.g. {@code 0.1.0}. */
    public static String version() {
        return VERSION;
    }

    /** The User-Agent every front end sends: {@code spell-ci/<version> (<frontEnd>)}. */
    public static String userAgent(String frontEnd) {
        String name = frontEnd == null || frontEnd.isBlank() ? "library" : frontEnd.strip();
        return "spell-ci/" + VERSION + " (" + name.replaceAll("[^\\x20-\\x7e]", "?") + ")";
    }

    private static String loadVersion() {
        // The jar's manifest is read already when the class loads; the resource is the fallback (IDE, tests).
        String fromManifest = SpellCi.class.getPackage() == null ? null
                : SpellCi.class.getPackage().getImplementationVersion();
        if (fromManifest != null && !fromManifest.isBlank()) {
            return fromManifest;
        }
        try (InputStream in = SpellCi.class.getResourceAsStream("spell-ci.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

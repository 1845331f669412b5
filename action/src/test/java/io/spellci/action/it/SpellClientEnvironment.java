package io.spellci.action.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How Spell 0.48.9's own tools find their API and token in an environment, written from their behaviour: the CLI
 * takes {@code SPELL_API_URL}, the Python client's {@code from_environment()} {@code SPELL_BASE_URL}, both else their
 * built-in default {@code https://api.spell.run}; both take {@code SPELL_TOKEN} only together with
 * {@code SPELL_OWNER}, else the session in {@code $HOME/.spell/config} (or {@code $SPELL_DIR/config}). Then
 * {@code GET <base>/v1/users/me} with {@code Bearer}, as {@code spell whoami} does. A base that is not loopback is
 * never called (tests stay on loopback): the result says which host the client would have called.
 */
record SpellClientEnvironment(String base, String token, String problem) {
    static final String CLIENT_DEFAULT = "https://api.spell.run";

    /** As the {@code spell} CLI reads {@code env}. */
    static SpellClientEnvironment cli(Map<String, String> env) {
        return of(env, env.getOrDefault("SPELL_API_URL", CLIENT_DEFAULT));
    }

    /** As {@code spell.client.from_environment()} reads {@code env}. */
    static SpellClientEnvironment python(Map<String, String> env) {
        return of(env, env.getOrDefault("SPELL_BASE_URL", CLIENT_DEFAULT));
    }

    private static SpellClientEnvironment of(Map<String, String> env, String base) {
        String token = env.get("SPELL_TOKEN");
        if (token != null && !env.containsKey("SPELL_OWNER")) {
            return new SpellClientEnvironment(base, null, "The SPELL_TOKEN environment variable is set, but SPELL_OWNER"
                    + " is not.");
        }
        if (token == null) {
            String dir = env.getOrDefault("SPELL_DIR", env.getOrDefault("HOME", "") + "/.spell");
            return new SpellClientEnvironment(base, null, Files.exists(Path.of(dir, "config"))
                    ? "would use the session in " + dir + "/config" : "No login session found");
        }
        return new SpellClientEnvironment(base, token, null);
    }

    /** {@code spell whoami}: the status and body of {@code GET <base>/v1/users/me}. */
    HttpResponse<String> whoami() throws IOException, InterruptedException {
        if (problem != null) {
            throw new AssertionError("the client would not start: " + problem);
        }
        URI uri = URI.create(base + "/v1/users/me");
        if (!"127.0.0.1".equals(uri.getHost()) && !"localhost".equals(uri.getHost())) {
            throw new AssertionError("the client would call " + base + ", not the API spell-ci checked");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Accept-Encoding", "gzip").GET().build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }
}

package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spellci.action.testing.RunnerLog;
import io.spellci.core.net.RecordingProxy;
import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the troubleshooting table of docs/github-action.md: provokes every message it lists through the node
 * launchers, as the runner runs the action, and checks the documented title, kind (error, or warning in post) and text.
 */
class TroubleshootingTableIT {
    static final String TOKEN = "table-secret-token-0123456789abcdef";
    static final Path DOC = Path.of("..", "docs", "github-action.md");

    /** One row: an error or a warning, its titles (alternatives) and the texts its message holds (alternatives). */
    record Row(boolean warning, List<String> titles, List<String> texts) {
    }

    @TempDir
    Path dir;

    String node;
    FakeSpellApi fake;

    @BeforeEach
    void start() {
        node = Jar.node();
        assumeTrue(node != null, "node is not on the PATH");
        assumeFalse(File.separatorChar == '\\', "stand-in java scripts and symbolic links");
        Jar.assertJarBuilt();
        fake = FakeSpellApi.builder().user(FakeUser.of("alice", "alice@example.com", "acme")).token("alice", "ci", TOKEN)
                .start();
    }

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
        }
    }

    static List<Row> rows() throws IOException {
        String doc = Files.readString(DOC);
        String section = doc.substring(doc.indexOf("## Troubleshooting by error message"));
        List<Row> rows = new ArrayList<>();
        Pattern code = Pattern.compile("`([^`]+)`");
        for (String line : section.lines().skip(1).toList()) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| ") || line.startsWith("| annotation") || line.startsWith("|---")) {
                continue;
            }
            String first = line.split("\\|")[1].strip();
            String[] parts = first.split(" — ", 2);
            // "(or any other input)", "(post)": remarks, not titles.
            Matcher titles = code.matcher(parts[0].replaceAll("\\([^)]*\\)", ""));
            List<String> t = new ArrayList<>();
            while (titles.find()) {
                t.add(titles.group(1));
            }
            List<String> x = new ArrayList<>();
            if (parts.length > 1) {
                Matcher texts = code.matcher(parts[1].replaceAll("\\([^)]*\\)", ""));
                while (texts.find()) {
                    x.add(texts.group(1));
                }
            }
            rows.add(new Row(first.startsWith("warning "), t, x));
        }
        return rows;
    }

    @Test
    void everyMessageOfTheTableIsWhatTheActionSays() throws IOException {
        Map<String, Function<Jar.Steps, StepRun>> scenarios = scenarios();
        List<String> keys = new ArrayList<>();
        List<Row> rows = rows();
        assertThat(rows).as("rows of the table").hasSizeGreaterThan(20);
        for (Row row : rows) {
            for (String title : row.titles()) {
                String key = key(title, row.texts());
                keys.add(key);
                assertThat(scenarios).as("a way to provoke '" + key + "'").containsKey(key);
                StepRun run = scenarios.get(key).apply(steps());
                List<RunnerLog.Annotation> annotations = row.warning() ? run.log().warnings() : run.log().errors();
                assertThat(run.exitCode()).as(key + ": " + run.stdout() + run.stderr()).isEqualTo(row.warning() ? 0 : 1);
                assertThat(annotations).as(key + ": " + run.stdout()).anySatisfy(a -> {
                    assertThat(a.title()).isEqualTo(title);
                    if (!row.texts().isEmpty()) {
                        assertThat(row.texts()).anySatisfy(text -> assertThat(a.message()).contains(text));
                    }
                });
                if (row.warning()) {
                    assertThat(run.log().errors()).as(key).isEmpty();
                }
                run.assertNoLeak(TOKEN);
            }
        }
        assertThat(scenarios.keySet()).as("every scenario is a row of the table").containsExactlyInAnyOrderElementsOf(keys);
    }

    /** The action through a proxy to an API of a private CA; with {@code bundle} it trusts that CA. */
    private StepRun proxied(Jar.Steps steps, java.util.function.Consumer<ProxiedApi> setUp, boolean bundle) {
        try (ProxiedApi api = new ProxiedApi(TOKEN)) {
            setUp.accept(api);
            if (bundle) {
                steps.input("ca-certificates", api.writeBundle(dir.resolve("ca-" + System.nanoTime() + ".pem")).toString());
            }
            return steps.input("api-url", ProxiedApi.URL).input("timeout-seconds", "3")
                    .env("HTTPS_PROXY", "http://ci-bot:wrong@127.0.0.1:" + api.proxy.port()).main();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(String title, List<String> texts) {
        return texts.isEmpty() ? title : title + " | " + texts.get(0);
    }

    private Jar.Steps steps() {
        try {
            return new Jar.Steps(Files.createTempDirectory(dir, "run")).viaNode(node).input("token", TOKEN)
                    .input("owner", "acme").input("api-url", fake.url()).input("timeout-seconds", "10")
                    .env("JAVA_HOME_17_X64", System.getProperty("java.home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Function<Jar.Steps, StepRun>> scenarios() {
        Map<String, Function<Jar.Steps, StepRun>> s = new LinkedHashMap<>();
        s.put("Invalid input: token | token is empty", steps -> steps.input("token", "").main());
        s.put("Invalid input: token | contains a space, line break or control character",
                steps -> steps.input("token", "two words-0123456789").main());
        s.put("Invalid input: owner | is empty", steps -> steps.input("owner", "").main());
        s.put("Invalid input: owner | is the access token itself", steps -> steps.input("owner", TOKEN).main());
        s.put("Invalid input: owner | contains a character Java could not decode from the environment",
                steps -> steps.input("owner", "acmé").env("LANG", "C").env("LC_ALL", "C").main());
        s.put("Invalid input: api-url", steps -> steps.input("api-url", "http://spell.example.com").main());
        s.put("Invalid input: validate | is 'yes', which is not a boolean", steps -> steps.input("validate", "yes").main());
        s.put("Spell token rejected | HTTP 401", steps -> steps.input("token", "wrong-token-abcdef123456").main());
        s.put("Owner not allowed for this token | may not act for", steps -> steps.input("owner", "globex").main());
        s.put("Spell API unavailable", steps -> {
            fake.failNext(1, 503, null, "30"); // a wait past the deadline: the 503 is the answer
            return steps.main();
        });
        s.put("Spell API rate limit", steps -> {
            fake.failNext(1, 429, null, "30");
            return steps.main();
        });
        s.put("Spell API unreachable", steps -> steps.input("api-url", "http://127.0.0.1:" + closedPort()).main());
        s.put("Spell API timed out", steps -> {
            fake.delayNext(1, Duration.ofSeconds(5));
            return steps.input("timeout-seconds", "1").main();
        });
        s.put("Spell API refused the request | HTTP 403", steps -> {
            fake.failNext(1, 403);
            return steps.main();
        });
        s.put("Unexpected answer from the Spell API", steps -> {
            fake.failNext(1, 200, "<html>a proxy's page</html>");
            return steps.main();
        });
        s.put("Spell API redirected elsewhere | with a redirect", steps -> {
            fake.failNext(1, 302);
            return steps.main();
        });
        s.put("Spell API unreachable | does not chain to a trusted CA", steps -> proxied(steps, api -> {
        }, false));
        s.put("Spell API unreachable | requires a user name and password (HTTP 407", steps -> proxied(steps,
                api -> api.proxy.requireCredentials("ci-bot", "the-right-one"), true));
        s.put("Spell API unreachable | refused to open a tunnel", steps -> {
            try (RecordingProxy proxy = new RecordingProxy()) {
                // No route for the API's host: the proxy answers the CONNECT with 502.
                return steps.input("api-url", ProxiedApi.URL).env("HTTPS_PROXY", proxy.url()).main();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        s.put("Invalid environment variable: HTTPS_PROXY", steps -> steps.input("api-url", ProxiedApi.URL)
                .env("HTTPS_PROXY", "socks5://proxy.internal:1080").main());
        s.put("Invalid input: ca-certificates", steps -> steps.input("ca-certificates", "/nonexistent/corp-ca.pem")
                .main());
        s.put("GITHUB_ENV is not set", steps -> steps.step("main", unset("GITHUB_ENV")));
        s.put("GITHUB_STATE is not set", steps -> steps.input("ephemeral", "true").step("main", unset("GITHUB_STATE")));
        s.put("Could not save state | was deleted again", steps -> {
            StepRun run = steps.input("ephemeral", "true").step("main", Map.of("GITHUB_STATE", directory("state")));
            assertThat(fake.tokenNames("alice")).containsExactly("ci");
            return run;
        });
        s.put("Java 17+ not found | actions/setup-java", steps -> {
            steps.environment().remove("JAVA_HOME_17_X64");
            return steps.env("PATH", nodeOnlyPath()).main();
        });
        s.put("spell-ci.jar missing | does not exist", steps -> steps.actionRoot(Jar.actionWithoutJar(dir)).main());
        s.put("Could not start Java | Point JAVA_HOME at a working Java", steps -> {
            try {
                Path home = Files.createDirectories(dir.resolve("broken-jdk").resolve("bin")).getParent();
                Path java = home.resolve("bin").resolve("java");
                if (!Files.exists(java)) {
                    Files.writeString(java, "not executable");
                }
                return steps.env("JAVA_HOME_17_X64", home.toString()).main();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        s.put("Java was stopped | was stopped by SIGKILL",
                steps -> steps.env("JAVA_HOME_17_X64", standInJava("process.kill(process.pid, 'SIGKILL');\n")).main());
        s.put("Per-job token may be left alive | without answering, and deleting it failed", steps -> {
            fake.dropAfterNext(1, "POST");
            fake.failNextOf(10_000, 500, "DELETE");
            StepRun main = steps.input("ephemeral", "true").input("timeout-seconds", "2").main();
            fake.resetFaults();
            return main;
        });
        s.put("Per-job token not deleted | could not delete the per-job token", steps -> {
            fake.failNext(10_000, 503, null, "30");
            StepRun post = steps.step("post", Map.of("STATE_token_name", "ci-gha-acme-tmp-abcd1234"));
            fake.resetFaults();
            return post;
        });
        s.put("Sweep of old per-job tokens failed", steps -> {
            fake.failNext(10_000, 503, null, "30");
            StepRun post = steps.step("post", Map.of("STATE_token_name", "ci-gha-acme-tmp-abcd1234"));
            fake.resetFaults();
            return post;
        });
        return s;
    }

    private static Map<String, String> unset(String variable) {
        Map<String, String> map = new HashMap<>();
        map.put(variable, null);
        return map;
    }

    private String directory(String name) {
        try {
            return Files.createDirectories(dir.resolve(name)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JDK directory whose bin/java is a node script running {@code body}. */
    private String standInJava(String body) {
        try {
            Path home = Files.createDirectories(dir.resolve("stand-in-jdk"));
            Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
            Files.writeString(java, "#!" + node + "\n" + body);
            assertThat(java.toFile().setExecutable(true)).isTrue();
            return home.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PATH holding only a link to node, so no java is found there. */
    private String nodeOnlyPath() {
        try {
            Path bin = Files.createDirectories(dir.resolve("node-only-bin"));
            Path link = bin.resolve(Path.of(node).getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of(node).toRealPath());
            }
            return bin.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.spellci.action.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.github.SpellService;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CliTest {
    static final String TOKEN = "cli-secret-token-0123456789";

    @TempDir
    Path dir;

    FakeSpellApi fake;
    final Map<String, String> env = new HashMap<>();
    String stdin = "";
    String out;
    String err;
    SpellService.Factory factory = SpellService.Factory.core();

    /** A Spell API nobody may reach: the command should have stopped before. */
    static final SpellService.Factory NO_CALLS = (url, timeout, frontEnd, network) -> {
        throw new AssertionError("the API at " + url + " was called");
    };

    @BeforeEach
    void start() {
        fake = FakeSpellApi.builder().user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN).start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                Clock.systemUTC(), factory);
        int code = Cli.execute(ctx, args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    void assertNoLeak() {
        assertThat(out).doesNotContain(TOKEN);
        assertThat(err).doesNotContain(TOKEN);
    }

    @Test
    void envFromEnvironmentVariableAsSh() {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("env", "--owner", "acme")).isZero();
        // The default URL too, so that a client built with another default calls the host spell-ci names.
        assertThat(out).isEqualTo("export SPELL_TOKEN='" + TOKEN + "'\nexport SPELL_OWNER='acme'\n"
                + "export SPELL_BASE_URL='https://api.spell.run'\nexport SPELL_API_URL='https://api.spell.run'\n");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void anExplicitlyEmptyApiUrlIsRefusedInsteadOfFallingBack() {
        env.put("SPELL_TOKEN", TOKEN);
        env.put("SPELL_API_URL", fake.url());
        assertThat(run("check", "--owner", "acme", "--api-url", "")).isEqualTo(2);
        assertThat(err).contains("--api-url is empty");
        assertThat(fake.requests()).isEmpty();
        assertNoLeak();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SPELL_API_URL", "SPELL_BASE_URL"})
    void anEmptyApiUrlVariableIsRefusedInsteadOfFallingBackToTheDefault(String variable) {
        // `SPELL_API_URL=$UNSET_VAR spell-ci check` sent the token to https://api.spell.ml.
        env.put("SPELL_TOKEN", TOKEN);
        env.put(variable, "");
        factory = NO_CALLS;
        for (String command : List.of("check", "env")) {
            assertThat(run(command, "--owner", "acme"))
                    .as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(err).as(command).startsWith("spell-ci: " + variable + " is empty: ")
                    .contains("or leave " + variable + " out");
            assertThat(out).isEmpty();
            assertNoLeak();
        }
    }

    @Test
    void aFailedCallToTheDefaultUrlSaysTheHostedServiceNoLongerAnswers() {
        // The default URL is served by the fake here (only loopback in tests); the command still sees the default.
        env.put("SPELL_TOKEN", TOKEN);
        factory = (url, timeout, frontEnd, network) -> {
            assertThat(url.isDefault()).isTrue();
            return SpellService.Factory.core().open(io.spellci.core.api.ApiUrl.of(fake.url()), timeout, frontEnd,
                    network);
        };
        for (List<String> args : List.of(List.of("check", "--owner", "acme"), List.of("env", "--owner", "acme",
                "--validate"))) {
            fake.failNext(1, 401);
            String command = args.get(0);
            assertThat(run(args.toArray(String[]::new))).as(command).isEqualTo(ExitCodes.REFUSED);
            assertThat(err).as(command).contains(" Spell's hosted API at https://api.spell.run no longer answers:"
                    + " give the URL of your Spell API with --api-url or SPELL_API_URL.");
            assertThat(out).isEmpty();
            assertNoLeak();
        }
        env.put("SPELL_API_URL", fake.url());
        factory = SpellService.Factory.core();
        fake.failNext(1, 401);
        assertThat(run("check", "--owner", "acme")).isEqualTo(ExitCodes.REFUSED);
        assertThat(err).doesNotContain("no longer answers");
        assertNoLeak();
    }

    @Test
    void envFromFileWithValidationAndCustomUrl() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "  " + TOKEN + "\n");
        assertThat(run("env", "--owner", "acme", "--token-file", file.toString(), "--validate", "--api-url", fake.url(),
                "--format", "dotenv")).isZero();
        assertThat(out).isEqualTo("SPELL_TOKEN=" + TOKEN + "\nSPELL_OWNER=acme\nSPELL_BASE_URL=" + fake.url()
                + "\nSPELL_API_URL=" + fake.url() + "\n");
        assertThat(err).contains("token OK: user alice");
        assertThat(err).doesNotContain(TOKEN);
    }

    @Test
    void envFromStdinAsGithubMasksOnStderrInsideActions() {
        stdin = TOKEN + "\n";
        env.put("SPELL_OWNER", "acme");
        env.put("GITHUB_ACTIONS", "true");
        assertThat(run("env", "--token-stdin", "--format", "github")).isZero();
        assertThat(io.spellci.action.testing.RunnerFiles.parse(out)).containsEntry("SPELL_TOKEN", TOKEN)
                .containsEntry("SPELL_OWNER", "acme");
        assertThat(err).isEqualTo("::add-mask::" + TOKEN + "\n");
    }

    @Test
    void ephemeralPrintsTheNewTokenAndItsNameOnStderr() {
        env.put("SPELL_TOKEN", TOKEN);
        env.put("CI_PROJECT_PATH", "acme/ml");
        env.put("CI_JOB_ID", "77");
        assertThat(run("env", "--owner", "acme", "--api-url", fake.url(), "--ephemeral")).isZero();
        assertThat(out).doesNotContain(TOKEN).startsWith("export SPELL_TOKEN='");
        String name = fake.tokenNames("alice").stream().filter(n -> n.startsWith("ci-cli-")).findFirst().orElseThrow();
        assertThat(name).startsWith("ci-cli-acme-ml-77-");
        assertThat(err).contains("spell-ci revoke --name " + name);

        String perJob = out.substring(out.indexOf('\'') + 1, out.indexOf('\'', out.indexOf('\'') + 1));
        env.put("SPELL_TOKEN", perJob);
        assertThat(run("revoke", "--name", name, "--api-url", fake.url())).isZero();
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
    }

    @Test
    void ephemeralInsideGithubMasksBothTokensOnStderrBeforeAnythingElse() {
        env.put("SPELL_TOKEN", TOKEN);
        env.put("GITHUB_ACTIONS", "true");
        assertThat(run("env", "--owner", "acme", "--api-url", fake.url(), "--ephemeral", "--validate")).isZero();
        String perJob = out.substring(out.indexOf('\'') + 1, out.indexOf('\'', out.indexOf('\'') + 1));
        List<String> lines = err.lines().toList();
        assertThat(lines.get(0)).isEqualTo("::add-mask::" + TOKEN);
        int mask = lines.indexOf("::add-mask::" + perJob);
        int created = lines.stream().filter(l -> l.contains("created the per-job token")).findFirst()
                .map(lines::indexOf).orElseThrow();
        assertThat(mask).isPositive().isLessThan(created);
        assertThat(err.lines().filter(l -> !l.startsWith("::add-mask::")).toList())
                .noneMatch(l -> l.contains(TOKEN) || l.contains(perJob));
    }

    @Test
    void outsideGithubNothingIsMasked() {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("env", "--owner", "acme")).isZero();
        assertThat(err).isEmpty();
    }

    @Test
    void unexpectedFailuresAreScrubbedOfTheToken() {
        for (String source : List.of("env", "file", "stdin")) {
            env.clear();
            stdin = "";
            java.util.List<String> args = new java.util.ArrayList<>(List.of("check"));
            switch (source) {
                case "env" -> env.put("SPELL_TOKEN", TOKEN);
                case "stdin" -> {
                    stdin = TOKEN;
                    args.add("--token-stdin");
                }
                default -> {
                    Path file = dir.resolve("token-" + source);
                    writeQuietly(file, TOKEN + "\n");
                    args.add("--token-file");
                    args.add(file.toString());
                }
            }
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            CliContext ctx = new CliContext(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                    Clock.systemUTC(), (url, timeout, frontEnd, network) -> {
                        throw new IllegalStateException("boom near " + TOKEN);
                    });
            assertThat(Cli.execute(ctx, args.toArray(String[]::new))).as(source).isEqualTo(ExitCodes.ERROR);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
            assertThat(err).as(source).contains("internal error").contains("boom near ***");
            assertNoLeak();
        }
    }

    @Test
    void theTokenGivenAsTheTokenFilePathIsNotEchoed() {
        // A common slip in CI: --token-file "$SPELL_TOKEN" instead of a path.
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("env", "--owner", "acme", "--token-file", TOKEN)).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--token-file *** does not exist");
        assertNoLeak();
    }

    private static void writeQuietly(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void revokeSweepsTokensWhoseLifeHasPassed() {
        String old = EphemeralTokenName.Template.of("ci-cli", 24).newName(List.of("old"));
        String running = EphemeralTokenName.Template.of("ci-cli", 72).newName(List.of("running"));
        fake.addToken("alice", old, "old-value-1234", Instant.now().minus(Duration.ofDays(2)));
        fake.addToken("alice", running, "running-value-1234", Instant.now().minus(Duration.ofDays(2)));
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("revoke", "--sweep", "--api-url", fake.url())).isZero();
        assertThat(out).contains("Swept 1 token(s): " + old).contains("Kept 1 per-job token(s) whose life has not passed");
        assertThat(fake.tokenNames("alice")).containsExactly("ci", running);
        assertThat(run("revoke", "--api-url", fake.url())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("nothing to do");
        assertNoLeak();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ci", "foo"})
    void revokeSweepsOnlyUnderSpellCisOwnPrefixes(String prefix) {
        Instant old = Instant.now().minus(Duration.ofDays(2));
        String action = EphemeralTokenName.Template.of("ci-gha", 6).newName(List.of("acme", "ml"));
        fake.addToken("alice", action, "action-value-1234", old);
        fake.addToken("alice", "foo-old-tmp-eeeeeeee", "foo-value-1234", old);
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("revoke", "--sweep", "--prefix", prefix, "--api-url", fake.url())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("spell-ci: --prefix is not one of spell-ci's").contains("ci-cli, ci-gha or ci-jenkins");
        assertThat(fake.tokenNames("alice")).containsExactlyInAnyOrder("ci", action, "foo-old-tmp-eeeeeeee");
        assertThat(fake.requests()).isEmpty();
        assertNoLeak();
    }

    @Test
    void usageErrorsFoundWhileRunningPointToTheCommandsHelp() throws Exception {
        env.put("SPELL_TOKEN", TOKEN);
        Path file = dir.resolve("t");
        Files.writeString(file, TOKEN);
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("use either --token-file or --token-stdin, not both",
                new String[] {"env", "--owner", "a", "--token-file", file.toString(), "--token-stdin"});
        cases.put("nothing to do: pass --name NAME and/or --sweep", new String[] {"revoke"});
        cases.put("--older-than must be at least 1 hour", new String[] {"revoke", "--sweep", "--older-than", "0"});
        cases.put("--timeout must be between 1 and 3600 seconds", new String[] {"check", "--timeout", "0"});
        factory = NO_CALLS;
        cases.forEach((message, args) -> {
            assertThat(run(args)).as(message).isEqualTo(ExitCodes.USAGE);
            assertThat(err.lines().toList()).as(message).containsExactly("spell-ci: " + message,
                    "Run 'spell-ci " + args[0] + " --help' for the usage.");
            assertNoLeak();
        });
    }

    @Test
    void tokenFileErrorsSayWhatToDo() throws Exception {
        assertThat(run("env", "--owner", "a", "--token-file", dir.resolve("x").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--token-file " + dir.resolve("x") + " does not exist: give the path of the file"
                + " that holds the token, or use --token-stdin or SPELL_TOKEN");
        assertThat(run("env", "--owner", "a", "--token-file", dir.toString())).isEqualTo(ExitCodes.ERROR);
        assertThat(err).contains("--token-file " + dir + " is a directory: give the path of the file that holds the"
                + " token").doesNotContain("IOException");
    }

    @Test
    void aTokenPastedIntoAnotherOptionIsRefusedInTheCommandLinesWords() {
        env.put("SPELL_TOKEN", TOKEN);
        factory = NO_CALLS;
        assertThat(run("env", "--owner", TOKEN)).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("spell-ci: --owner is the access token itself")
                .contains("SPELL_TOKEN, --token-file or --token-stdin").doesNotContain("input");
        assertThat(run("env", "--owner", "acme", "--api-url", "https://" + TOKEN + ".example.com")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("spell-ci: --api-url contains the access token")
                .contains("SPELL_TOKEN, --token-file or --token-stdin").doesNotContain("input");
        env.put("SPELL_OWNER", TOKEN + "-x");
        assertThat(run("check")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("spell-ci: SPELL_OWNER contains the access token").doesNotContain("input");
        env.remove("SPELL_OWNER");
        env.put("SPELL_API_URL", "https://" + TOKEN + ".example.com");
        assertThat(run("check")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("spell-ci: SPELL_API_URL contains the access token").doesNotContain("input");
        assertNoLeak();
    }

    @Test
    void revokeRefusesALongLivedToken() {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("revoke", "--name", "ci", "--api-url", fake.url())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("not a per-job token made by spell-ci").contains("spell access-tokens delete");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertNoLeak();
    }

    @Test
    void tokenOnTheCommandLineIsRefusedWithoutEcho() {
        assertThat(run("env", "--owner", "acme", "--token", TOKEN)).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--token is not supported");
        assertNoLeak();
        assertThat(run("env", "--owner", "acme", "--token=" + TOKEN)).isEqualTo(ExitCodes.USAGE);
        assertNoLeak();
    }

    @Test
    void strayArgumentsAreNotEchoed() {
        env.put("SPELL_TOKEN", "x");
        assertThat(run("env", "--owner", "acme", TOKEN)).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("not shown");
        assertNoLeak();
        assertThat(run("check", "--tokn", TOKEN)).isEqualTo(ExitCodes.USAGE);
        assertNoLeak();
    }

    @Test
    void missingTokenAndOwner() {
        assertThat(run("env", "--owner", "acme")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("no token");
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("env")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("owner").contains("is empty");
        assertNoLeak();
    }

    @Test
    void tokenAsOwnerIsRefused() {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("env", "--owner", TOKEN)).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("is the access token itself");
        assertThat(run("check", "--owner", TOKEN, "--api-url", fake.url())).isEqualTo(ExitCodes.USAGE);
        assertNoLeak();
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void bothTokenSourcesAreAnError() throws Exception {
        Path file = dir.resolve("t");
        Files.writeString(file, TOKEN);
        assertThat(run("env", "--owner", "a", "--token-file", file.toString(), "--token-stdin"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("env", "--owner", "a", "--token-file", dir.resolve("missing").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("does not exist");
        assertNoLeak();
    }

    @Test
    void badFormatAndBadUrl() {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("env", "--owner", "acme", "--format", "yaml")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("sh, dotenv or github");
        assertThat(run("env", "--owner", "acme", "--api-url", "http://remote.example.com")).isEqualTo(ExitCodes.USAGE);
        assertNoLeak();
    }

    @Test
    void rejectedTokenIsExitOne() {
        env.put("SPELL_TOKEN", "not-a-known-token-123");
        assertThat(run("env", "--owner", "acme", "--validate", "--api-url", fake.url())).isEqualTo(ExitCodes.REFUSED);
        assertThat(err).contains("401");
        assertThat(out).isEmpty();
        assertThat(err).doesNotContain("not-a-known-token-123");
        assertNoLeak();
    }

    @Test
    void unreachableIsExitThree() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("check", "--api-url", "http://127.0.0.1:" + port, "--timeout", "2"))
                .isEqualTo(ExitCodes.UNAVAILABLE);
        assertNoLeak();
    }

    @Test
    void checkPrintsUserAndOwners() {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("check", "--api-url", fake.url())).isZero();
        assertThat(out).contains("user alice <alice@example.com>").contains("May act for: alice, acme");
        assertThat(run("check", "--api-url", fake.url(), "--owner", "acme")).isZero();
        assertThat(out).contains("Owner acme: allowed");
        assertThat(run("check", "--api-url", fake.url(), "--owner", "globex")).isEqualTo(ExitCodes.REFUSED);
        assertThat(err).contains("globex");
        assertNoLeak();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "env", "check", "revoke", "github", "github main", "github post", "fake-api", "demo"})
    void everyCommandHasHelpAndVersion(String command) {
        String[] prefix = command.isEmpty() ? new String[0] : command.split(" ");
        String[] help = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        help[prefix.length] = "--help";
        assertThat(run(help)).isZero();
        assertThat(out).contains("Usage:");
        String[] version = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        version[prefix.length] = "--version";
        assertThat(run(version)).isZero();
        assertThat(out).startsWith("spell-ci ");
    }

    @Test
    void aMistypedCommandIsAUsageErrorThatSuggestsTheNearestEvenBeforeHelp() {
        // `revok --help` printed the top-level help and exited 0, as if all was well. ('rotat' is now 'rotate'.)
        for (String[] args : List.of(new String[] {"revok", "--help"}, new String[] {"revok"},
                new String[] {"revok", "--sweep"})) {
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(out).isEmpty();
            assertThat(err.lines().toList()).containsExactly(
                    "spell-ci: unknown command (not shown, in case it is a secret); did you mean 'revoke'?",
                    "Run 'spell-ci --help' for the usage.");
        }
        assertThat(run("chek", "--owner", "acme")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("did you mean 'check'?");
        assertThat(run("fakeapi", "--help")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("did you mean 'fake-api'?");
        assertThat(run("rotat", "--help")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("did you mean 'rotate'?");
        assertThat(run(TOKEN, "--help")).isEqualTo(ExitCodes.USAGE);
        assertNoLeak();
    }

    @Test
    void topLevelHelpListsCommandsAndExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out).contains("env").contains("check").contains("fake-api").contains("demo").contains("Exit codes");
        assertThat(run()).isZero();
        assertThat(out).contains("Usage:");
    }

    @Test
    void commandLineModelIsValid() {
        CommandLine cl = Cli.commandLine(new CliContext(env, System.in, System.out, System.err, Clock.systemUTC(),
                SpellService.Factory.core()));
        assertThat(cl.getSubcommands()).containsKeys("env", "check", "revoke", "tokens", "rotate", "github", "fake-api", "demo");
    }

    @Test
    void ciContextFromKnownVariables() {
        Map<String, String> e = new HashMap<>();
        e.put("BUILDKITE_PIPELINE_SLUG", "pipe");
        e.put("BUILDKITE_BUILD_NUMBER", "9");
        CliContext ctx = new CliContext(e, System.in, System.out, System.err, Clock.systemUTC(),
                SpellService.Factory.core());
        assertThat(EnvCommand.ciContext(ctx)).containsExactly("pipe", "9");
        CliContext none = new CliContext(Map.of(), System.in, System.out, System.err, Clock.systemUTC(),
                SpellService.Factory.core());
        assertThat(EnvCommand.ciContext(none)).containsExactly("local");
    }

    @Test
    void fakeApiWithABadConfigIsUsage() throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, "{\"users\": [{\"nom\": 1}]}");
        assertThat(run("fake-api", "--config", config.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("spell-ci: fake-api: fake API config " + config).contains("users[0]");
    }

    @Test
    void fakeApiWithAMissingConfigNamesTheFile() {
        Path missing = dir.resolve("missing.json");
        assertThat(run("fake-api", "--config", missing.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains(missing.toString()).contains("does not exist");
    }

    @Test
    void fakeApiWithAnUnreadableConfigNamesTheFileAndTheFix() throws Exception {
        // A directory cannot be read as a file on any OS: the config reader throws UncheckedIOException.
        Path directory = Files.createDirectory(dir.resolve("config-is-a-directory"));
        assertThat(run("fake-api", "--config", directory.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).startsWith("spell-ci: fake-api: cannot read --config " + directory)
                .contains("give the path of a JSON file").contains("docs/fake-api.md")
                .doesNotContain("internal error");
        assertThat(err.lines()).hasSize(1);
    }

    @Test
    void fakeApiOnABusyPortIsAnError() {
        assertThat(run("fake-api", "--port", String.valueOf(fake.port()))).isEqualTo(ExitCodes.ERROR);
        assertThat(err).contains("cannot listen");
    }

    @Test
    void oversizedTokenSourcesAreRefused() throws Exception {
        Path big = dir.resolve("big");
        Files.write(big, new byte[TokenOptions.MAX_BYTES + 1]);
        assertThat(run("env", "--owner", "a", "--token-file", big.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("larger than");
        stdin = "x".repeat(TokenOptions.MAX_BYTES + 1);
        assertThat(run("env", "--owner", "a", "--token-stdin")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("more than");
    }

    @Test
    void timeoutOutOfRange() {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("check", "--api-url", fake.url(), "--timeout", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--timeout");
        assertNoLeak();
    }

    @Test
    void apiUrlFromTheEnvironment() {
        env.put("SPELL_TOKEN", TOKEN);
        env.put("SPELL_BASE_URL", fake.url());
        assertThat(run("check")).isZero();
        env.put("SPELL_API_URL", "http://127.0.0.1:9");
        assertThat(run("check", "--timeout", "2")).isEqualTo(ExitCodes.UNAVAILABLE);
        assertNoLeak();
    }

    @Test
    void olderThanMustBePositive() {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("revoke", "--sweep", "--older-than", "0", "--api-url", fake.url())).isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--older-than");
        assertNoLeak();
    }

    @Test
    void sweepFailuresAreExitThree() {
        env.put("SPELL_TOKEN", TOKEN);
        SpellService failing = new SpellService() {
            @Override
            public io.spellci.core.api.SpellUser whoami(io.spellci.core.credentials.AccessToken token) {
                throw new UnsupportedOperationException();
            }

            @Override
            public io.spellci.core.api.Identity verify(io.spellci.core.credentials.AccessToken token,
                    io.spellci.core.credentials.Owner owner) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Ephemeral createEphemeral(io.spellci.core.credentials.AccessToken parent,
                    EphemeralTokenName.Template template, List<String> context,
                    io.spellci.core.ephemeral.EphemeralTokens.Listener told) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void deleteEphemeral(io.spellci.core.credentials.AccessToken parent, String name) {
            }

            @Override
            public io.spellci.core.ephemeral.EphemeralTokens.SweepResult sweep(
                    io.spellci.core.credentials.AccessToken parent, io.spellci.core.hygiene.SweepRule rule) {
                return new io.spellci.core.ephemeral.EphemeralTokens.SweepResult(List.of("ci-cli-a-tmp-aaaaaaaa"),
                        List.of("ci-cli-b-tmp-bbbbbbbb"), java.util.Map.of(), List.of());
            }

            @Override
            public void close() {
            }
        };
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                Clock.systemUTC(), (url, timeout, frontEnd, network) -> failing);
        assertThat(Cli.execute(ctx, "revoke", "--sweep", "--name", "ci-cli-c-tmp-cccccccc"))
                .isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(o.toString(StandardCharsets.UTF_8)).contains("Deleted ci-cli-c-tmp-cccccccc")
                .contains("Swept 1 token(s): ci-cli-a-tmp-aaaaaaaa");
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("could not delete ci-cli-b-tmp-bbbbbbbb");
    }

    @Test
    void rotateStdoutWhoseCloseFailsDeletesTheSuccessorAgain() {
        // Writes and the flush go through; only the close fails, as when the OS reports a lost write at close.
        java.io.OutputStream failingClose = new ByteArrayOutputStream() {
            @Override
            public void close() throws java.io.IOException {
                throw new java.io.IOException("EIO at close");
            }
        };
        env.put("SPELL_TOKEN", TOKEN);
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(failingClose, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                Clock.systemUTC(), factory);
        assertThat(Cli.execute(ctx, "rotate", "--name", "ci", "--owner", "acme", "--stdout", "--api-url", fake.url()))
                .isEqualTo(ExitCodes.ERROR);
        String stderr = e.toString(StandardCharsets.UTF_8);
        assertThat(stderr).contains("could not write the new token to standard output").contains("'ci' still works");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(stderr).doesNotContain(TOKEN);
    }

    @Test
    void forceOnlyGoesWithFinish() {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("rotate", "--name", "ci", "--owner", "acme", "--stdout", "--force", "--api-url", fake.url()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err).contains("--force only goes with --finish");
        assertThat(fake.requests()).isEmpty();
        assertNoLeak();
    }

    @Test
    void exitCodesOfApiFailures() {
        assertThat(Cli.exitCodeOf(new IllegalStateException("x"))).isEqualTo(ExitCodes.ERROR);
        assertThat(Cli.messageOf(new IllegalStateException("boom"))).contains("internal error").contains("boom");
    }

    @Test
    void anUnusableCaBundleOrProxyIsAUsageErrorNamingIt() throws Exception {
        env.put("SPELL_TOKEN", TOKEN);
        assertThat(run("check", "--api-url", fake.url(), "--ca-certificates", dir.resolve("gone.pem").toString()))
                .isEqualTo(2);
        assertThat(err).contains("spell-ci: --ca-certificates names a file that does not exist");
        assertThat(run("check", "--api-url", fake.url(), "--ca-certificates", " ")).isEqualTo(2);
        assertThat(err).contains("--ca-certificates is empty");
        env.put("HTTP_PROXY", "http://u:cli-proxy-secret@proxy.example/proxy.pac");
        assertThat(run("check", "--api-url", fake.url())).isEqualTo(2);
        assertThat(err).contains("spell-ci: HTTP_PROXY has a path after the host").doesNotContain("cli-proxy-secret");
        assertThat(fake.requests()).isEmpty();
        assertNoLeak();
    }

    @Test
    void withoutACallNeitherTheProxyNorTheBundleIsRead() {
        env.put("SPELL_TOKEN", TOKEN);
        env.put("HTTPS_PROXY", "socks5://nowhere");
        env.put("SSL_CERT_FILE", dir.resolve("gone.pem").toString());
        assertThat(run("env", "--owner", "acme", "--ca-certificates", dir.resolve("gone.pem").toString())).isZero();
        assertThat(out).startsWith("export SPELL_TOKEN=");
    }

    @Test
    void aLoopbackApiIsReachedDirectlyAndStderrSaysSo() {
        env.put("SPELL_TOKEN", TOKEN);
        env.put("HTTP_PROXY", "http://127.0.0.1:9");
        assertThat(run("check", "--api-url", fake.url())).isZero();
        assertThat(err).contains("spell-ci: Reaching the API directly, as 127.0.0.1 is a loopback host");
        assertNoLeak();
    }
}

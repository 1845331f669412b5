package io.spellci.action.cli;

import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fake-api", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Run a local Spell-compatible API on 127.0.0.1 until killed; prints its URL on the first line.",
            "Without --config it serves the user 'demo' (organization 'acme') with one token named 'demo' whose"
                    + " value is " + FakeApiCommand.DEMO_TOKEN + " (not a secret: it opens nothing but this fake).",
            "Spell's own CLI and Python client work against it (spell login, whoami, owner, access-tokens):"
                    + " docs/fake-api.md, \"Point Spell's CLI and Python client at the fake\".",
            "The JSON format of --config is described in docs/fake-api.md (\"Set-up from a JSON file\")."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "2:bad usage, or a --config that is missing, unreadable or not in the format",
            "4:the port could not be bound, or --url-file could not be written"})
final class FakeApiCommand implements Callable<Integer> {
    /** The documented value of the demo user's token on a fake API started without --config. */
    static final String DEMO_TOKEN = "spell-ci-demo-token";

    private final CliContext ctx;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "Port on 127.0.0.1 (default: a free one).")
    int port;

    @Option(names = "--config", paramLabel = "FILE", description = "Users and tokens as JSON.")
    Path config;

    @Option(names = "--url-file", paramLabel = "FILE", description = "Also write the URL to FILE once listening.")
    Path urlFile;

    FakeApiCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        FakeSpellApi fake;
        try {
            FakeSpellApi.Builder builder = FakeSpellApi.builder().port(port);
            if (config != null) {
                builder.config(config);
            } else {
                builder.user(FakeUser.of("demo", "demo@example.com", "acme")).token("demo", "demo", DEMO_TOKEN);
            }
            fake = builder.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "fake-api: " + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            // e.g. a directory, or a file this user may not read; the cause's own message is often just the path.
            throw new CliException(ExitCodes.USAGE, "fake-api: cannot read --config " + config + " ("
                    + e.getCause().getClass().getSimpleName() + "): give the path of a JSON file this user may read"
                    + " (format: docs/fake-api.md)");
        }
        try {
            fake.start();
        } catch (java.io.UncheckedIOException e) {
            throw new CliException(ExitCodes.ERROR, "fake-api: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fake.close();
            stopped.countDown();
        }, "fake-api-shutdown"));
        if (urlFile != null) {
            // Written whole before anything else announces the URL, so a script waiting for the file never sees half.
            try {
                Path absolute = urlFile.toAbsolutePath();
                Path temp = Files.createTempFile(absolute.getParent(), ".fake-api-url", ".tmp");
                Files.writeString(temp, fake.url() + "\n", StandardCharsets.UTF_8);
                Files.move(temp, absolute, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                fake.close();
                throw new CliException(ExitCodes.ERROR, "fake-api: could not write --url-file " + urlFile + " ("
                        + e.getClass().getSimpleName() + "): give a path in a directory that exists and is writable");
            }
        }
        ctx.out().println(fake.url());
        ctx.out().flush();
        ctx.err().println("fake Spell API listening on " + fake.url() + (config == null
                ? " (user demo, organization acme, token: the documented demo token)" : " (users from " + config + ")")
                + "; stop it with Ctrl-C");
        stopped.await();
        return ExitCodes.OK;
    }
}

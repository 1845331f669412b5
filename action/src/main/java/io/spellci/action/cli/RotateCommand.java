package io.spellci.action.cli;

import io.spellci.action.github.SpellService;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.hygiene.Rotation;
import io.spellci.core.hygiene.RotationException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spell-ci rotate}: a long-lived token's successor in two steps, so the old token is deleted only after the caller
 * has stored the new one wherever it lives. Step one creates and checks the successor and writes it once; step two
 * ({@code --finish}) deletes the old token by name, and only when it has a successor.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Step 1: spell-ci rotate --name NAME --owner OWNER --out FILE creates NAME's successor"
                + " (NAME-rYYYYMMDD) with the token in SPELL_TOKEN, checks it works for OWNER and writes it to FILE"
                + " (mode 600; or to stdout with --stdout). Store it where NAME lives now.",
            "Step 2: spell-ci rotate --name NAME --finish deletes NAME (run it with the new token); it refuses while"
                + " something still uses NAME (used after its successor was made), unless --force."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done",
            "1:refused: the successor exists already, NAME is unknown, or the Spell API refused",
            "2:bad usage or invalid input", "3:the Spell API was unreachable or failed; retry later",
            "4:other errors (the file, or standard output, could not be written: the new token was deleted again)",
            "5:--finish refused: NAME was used after its successor was made, so something still holds it"})
final class RotateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    TokenOptions token = new TokenOptions();

    @Mixin
    ApiOptions api = new ApiOptions();

    @Option(names = "--name", paramLabel = "NAME", required = true,
            description = "The token's name as `spell access-tokens list` shows it.")
    String name;

    @Option(names = "--owner", paramLabel = "OWNER", description = "Step 1: the owner the new token must work for"
            + " (default: $SPELL_OWNER).")
    String owner;

    @Option(names = "--out", paramLabel = "FILE", description = "Step 1: write the new token to FILE, created with mode"
            + " 600; an existing file is refused.")
    Path out;

    @Option(names = "--stdout", description = "Step 1: write the new token to standard output instead (for a pipe"
            + " into a secret store).")
    boolean stdout;

    @Option(names = "--finish", description = "Step 2: delete the old token NAME, once its successor is stored.")
    boolean finish;

    @Option(names = "--force", description = "Step 2: delete NAME even though it was used after its successor was"
            + " made (whatever still uses it then gets 401).")
    boolean force;

    RotateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws SpellApiException {
        if (finish && (out != null || stdout)) {
            throw CliException.usage("--finish deletes the old token and writes nothing: leave out --out and --stdout");
        }
        if (force && !finish) {
            throw CliException.usage("--force only goes with --finish");
        }
        if (!finish && (out == null) == !stdout) {
            throw CliException.usage("say where the new token goes: --out FILE (mode 600) or --stdout, one of them");
        }
        AccessToken current = token.read(ctx);
        current.requireNotIn(name, "--name", "give the token's name, never its value");
        Owner spellOwner = null;
        if (!finish) {
            String raw = owner != null ? owner : ctx.env().get("SPELL_OWNER");
            spellOwner = Owner.of(raw, owner != null ? "--owner" : "--owner (or SPELL_OWNER)").requireDistinctFrom(current);
        }
        if (out != null && Files.exists(out)) {
            throw new CliException(ExitCodes.USAGE, "--out " + out + " exists already: give a new file name (spell-ci"
                    + " never overwrites a file that may hold a token)");
        }
        ApiUrl url = api.url(ctx, current);
        try (SpellService spell = ctx.spell().open(url, api.timeout(), "cli", api.network(ctx, url))) {
            Rotation rotation = new Rotation(spell.api(), new Rotation.Listener() {
                @Override
                public void info(String line) {
                    ctx.err().println("spell-ci: " + line);
                }

                @Override
                public void warn(String line) {
                    ctx.err().println("spell-ci: warning: " + line);
                }
            });
            if (finish) {
                rotation.finish(current, name, force);
                ctx.err().println("spell-ci: done: '" + name + "' is deleted; only its successor works from now on.");
                return ExitCodes.OK;
            }
            Rotation.Prepared prepared = rotation.prepare(current, name, spellOwner, ctx.clock().instant());
            String newName = prepared.successor().name();
            TokenOptions.secret(ctx, prepared.successor().token());
            try {
                write(prepared.successor().token());
            } catch (IOException | RuntimeException e) {
                // the value went nowhere: do not leave a token alive that nobody has
                try {
                    spell.api().deleteToken(current, newName);
                } catch (SpellApiException again) {
                    ctx.err().println("spell-ci: warning: the new token '" + newName + "' may be left behind: delete it"
                            + " with `spell access-tokens delete " + newName + "`");
                }
                throw new CliException(ExitCodes.ERROR, "could not write the new token to "
                        + (stdout ? "standard output" : out.toString()) + " (" + e.getClass().getSimpleName()
                        + (stdout ? ": a full disk, or a pipe whose reader stopped" : "") + "); it was deleted again, '"
                        + name + "' still works");
            }
            ctx.err().println("spell-ci: created '" + newName + "' and checked that it works for owner '"
                    + spellOwner.name() + "'; its value is " + (stdout ? "on standard output" : "in " + out
                    + " (mode 600)") + " and nowhere else.");
            ctx.err().println("spell-ci: next: store it where '" + name + "' lives now (CI secret, vault), then run"
                    + " `spell-ci rotate --name " + name + " --finish` with SPELL_TOKEN set to the new token, to delete '"
                    + name + "'.");
            return ExitCodes.OK;
        } catch (RotationException e) {
            if (e.stage() == RotationException.Stage.STILL_USED) {
                throw new CliException(ExitCodes.IN_USE, e.getMessage());
            }
            Throwable cause = e.getCause();
            int code = cause instanceof SpellApiException api && api.isTransient() ? ExitCodes.UNAVAILABLE : ExitCodes.REFUSED;
            throw new CliException(code, e.getMessage());
        }
    }

    private void write(AccessToken value) throws IOException {
        byte[] bytes = (value.reveal() + "\n").getBytes(StandardCharsets.UTF_8);
        if (stdout) {
            // A PrintStream swallows write errors: ask it, after the flush and after the close (/dev/full, a dead pipe).
            PrintStream o = ctx.out();
            o.write(bytes);
            o.flush();
            if (o.checkError()) {
                throw new IOException("writing standard output failed");
            }
            o.close(); // nothing else goes to stdout; a close that fails loses what the OS still buffers
            if (o.checkError()) {
                throw new IOException("closing standard output failed");
            }
            return;
        }
        Path file = out.toAbsolutePath();
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file); // Windows: the user profile's ACLs apply
        } catch (FileAlreadyExistsException e) {
            throw new IOException("the file appeared meanwhile", e);
        }
        try (OutputStream o = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            o.write(bytes);
        }
    }
}

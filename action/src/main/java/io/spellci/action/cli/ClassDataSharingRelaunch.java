package io.spellci.action.cli;

import io.spellci.action.github.WorkflowCommands;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Class-data sharing for the command line on a self-hosted runner (docs/performance.md). The JVM that runs a command
 * was started by the user's script, too late to map an archive; for a command that calls the Spell API (where the
 * archive saves far more than a second JVM's start costs) this JVM runs the same command once more in a JVM that maps
 * the archive kept in the runner's tool cache, or makes it at exit when there is none, and passes its exit code on.
 * The bookkeeping is the launcher's (action/launcher/cds.js): an archive made against a copy of the jar, named by the
 * runtime and options, renamed into place only after the JVM that wrote it has exited. What this JVM does before the
 * second one starts is kept small (no SHA-256, whose provider set-up and interpreted hashing took about 35 ms): the
 * folder is named by a CRC-32 of the jar's central directory, and the copy is used only if its central directory is
 * byte for byte the jar's. Anything in the way means "run here, as without": at most one {@code ::debug::} line on
 * standard error when RUNNER_DEBUG is 1.
 */
final class ClassDataSharingRelaunch {
    static final String VARIABLE = "SPELL_CI_CLASS_DATA_SHARING";
    /** Set on the relaunched JVM's command line, so that it never relaunches itself. */
    static final String RELAUNCHED = "spellci.cds.relaunched";
    /** Returned when this JVM should run the command itself. */
    static final int NOT_RELAUNCHED = -1;

    private static final String DIR = "spell-ci-cds";
    private static final long MIN_FREE_BYTES = 256L * 1024 * 1024;
    private static final List<String> ENV_OPTIONS = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    private static final List<String> REPEATABLE = List.of("-Xmx", "-Xms", "-Xss", "-XX:MaxRAMPercentage=",
            "-XX:InitialRAMPercentage=", "-XX:TieredStopAtLevel=", "-XX:+UseSerialGC", "-XX:+UseG1GC",
            "-XX:+UseParallelGC", "--add-opens", "--add-exports", "-Dfile.encoding=", "-ea", "-da");

    private final Map<String, String> env;
    private final PrintStream err;

    private ClassDataSharingRelaunch(Map<String, String> env, PrintStream err) {
        this.env = env;
        this.err = err;
    }

    /** Runs {@code args} in a JVM with the archive and returns its exit code, or {@link #NOT_RELAUNCHED}. */
    static int run(String[] args, Map<String, String> env, PrintStream err) {
        if (System.getProperty(RELAUNCHED) != null) {
            return NOT_RELAUNCHED;
        }
        String setting = setting(env);
        if (setting == null) {
            err.println("spell-ci: " + VARIABLE + " must be auto, true or false (auto: on for a self-hosted GitHub"
                    + " runner only); set it to one of these or remove it where it is set (the job, or the runner's"
                    + " .env file).");
            return ExitCodes.USAGE;
        }
        boolean on = setting.equals("true") || (setting.equals("auto") && "self-hosted".equals(env.get("RUNNER_ENVIRONMENT")));
        if (!on || !callsTheApi(args)) {
            return NOT_RELAUNCHED;
        }
        return new ClassDataSharingRelaunch(env, err).relaunch(args);
    }

    /** auto, true or false; null for anything else. */
    static String setting(Map<String, String> env) {
        String value = env.getOrDefault(VARIABLE, "").trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return "auto";
        }
        return value.equals("auto") || value.equals("true") || value.equals("false") ? value : null;
    }

    /**
     * Whether the command talks to the Spell API. Only those pay for a second JVM: an archive saves a validating
     * command about 150 ms and an offline one about as much as a second JVM's start costs. A wrong guess costs time,
     * never a result.
     */
    static boolean callsTheApi(String[] args) {
        if (args.length == 0) {
            return false;
        }
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h") || a.equals("--version") || a.equals("-V")) {
                return false;
            }
        }
        switch (args[0]) {
            case "check":
            case "revoke":
            case "tokens":
            case "rotate":
                return true;
            case "env":
                for (String a : args) {
                    if (a.startsWith("--validate") || a.startsWith("--ephemeral")) {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    private int relaunch(String[] args) {
        String toolCache = env.get("RUNNER_TOOL_CACHE");
        if (toolCache == null || toolCache.isEmpty()) {
            return off("RUNNER_TOOL_CACHE is not set");
        }
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            // Java's command line there passes through the ANSI code page, which a tool cache path may not fit.
            return off("not on Windows");
        }
        Path home = Path.of(System.getProperty("java.home"));
        Path java = home.resolve("bin").resolve("java");
        Path base = home.resolve("lib").resolve("server").resolve("classes.jsa");
        if (!Files.isRegularFile(base)) {
            return off(home + " has no class-data sharing archive of its own (lib/server/classes.jsa)");
        }
        Optional<List<String>> options = jvmOptions();
        if (options.isEmpty()) {
            return off("this JVM's options cannot be read or are not for a second JVM (an agent, a debugger, or"
                    + " class-data sharing options of their own)");
        }
        try {
            Path jar = Path.of(System.getProperty("java.class.path"));
            byte[] directory = centralDirectory(jar);
            if (directory == null) {
                return off(jar + " is not a plain zip file");
            }
            Path dir = Path.of(toolCache, DIR, "cli-" + crc32(directory) + "-" + Files.size(jar));
            StringBuilder key = new StringBuilder().append(home).append('\n')
                    .append(System.getProperty("java.runtime.version")).append('\n')
                    .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"));
            for (Path f : List.of(base, home.resolve("lib").resolve("modules"))) {
                key.append('\n').append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis());
            }
            for (String o : options.get()) {
                key.append('\n').append(o);
            }
            for (String name : ENV_OPTIONS) {
                key.append('\n').append(name).append('=').append(env.getOrDefault(name, ""));
            }
            // Named by a CRC-32 only: an archive the JVM finds not to fit this runtime is ignored, never misused.
            Path archive = dir.resolve(crc32(key.toString().getBytes(StandardCharsets.UTF_8)) + ".jsa");
            Path marker = dir.resolve(archive.getFileName() + ".ok");
            Path copy = dir.resolve("spell-ci.jar");
            Files.createDirectories(dir);
            ensureJarCopy(jar, directory, copy);
            List<String> command = new ArrayList<>();
            command.add(java.toString());
            command.addAll(options.get());
            if (valid(marker, archive, copy)) {
                command.add("-XX:SharedArchiveFile=" + archive);
                command.add("-Xlog:cds*=off");
                int code = start(command, copy, args);
                debug("class-data sharing: used " + archive);
                return code;
            }
            if (Files.getFileStore(dir).getUsableSpace() < MIN_FREE_BYTES) {
                return off("less than 256 MB free in " + dir);
            }
            Path tmp = tempName(archive);
            Files.createFile(tmp); // proves the folder takes new files before a JVM is asked to
            Path statusFile = Path.of(tmp + ".status");
            command.add("-XX:ArchiveClassesAtExit=" + tmp);
            command.add("-D" + Main.EXIT_STATUS_FILE + "=" + statusFile);
            command.add("-Xlog:cds*=off");
            int status;
            try {
                status = start(command, copy, args);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            // From here on the command has run: whatever fails, its exit code is returned, it never runs again here.
            return finishArchive(status, statusFile, tmp, archive, marker, copy, dir);
        } catch (IOException | RuntimeException e) {
            return off(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * After a JVM that wrote an archive at exit: the command's exit code, and the archive renamed into place only if
     * that JVM ended as the command did (a JVM killed while writing leaves a file that must not be used).
     */
    private int finishArchive(int status, Path statusFile, Path tmp, Path archive, Path marker, Path copy, Path dir) {
        String text = readQuietly(statusFile);
        int recorded = -1;
        if (text != null && !text.isBlank() && text.trim().chars().allMatch(Character::isDigit) && text.trim().length() < 4) {
            recorded = Integer.parseInt(text.trim());
        }
        try {
            Files.deleteIfExists(statusFile);
            if (recorded < 0 || recorded != status) {
                // A JVM that cannot finish writing the archive exits with 1 after the command's work; anything else
                // (a signal, no record) is the JVM's own status, and the file is not trusted.
                throw new IOException("the JVM ended with " + status + (recorded < 0 ? "" : ", the command with " + recorded));
            }
            if (Files.size(tmp) == 0) {
                throw new IOException("the JVM wrote no archive");
            }
            Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path markerTmp = tempName(marker);
            Files.writeString(markerTmp, stamp(archive, copy));
            Files.move(markerTmp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            debug("class-data sharing: made " + archive + " for later commands");
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException ignored) {
                // left for the next command that makes one; never the command's concern
            }
            debug("class-data sharing: no archive made in " + dir + " (" + e.getMessage() + ")");
        }
        return status == 1 && recorded >= 0 ? recorded : status;
    }

    /** The options this JVM was started with (before {@code -jar}), when a second JVM may have them too. */
    private Optional<List<String>> jvmOptions() {
        for (String name : ENV_OPTIONS) {
            // A second JVM would apply them again and print its own "Picked up ..." line on stderr.
            if (!env.getOrDefault(name, "").isBlank()) {
                return Optional.empty();
            }
        }
        String[] a = arguments();
        if (a == null) {
            return Optional.empty();
        }
        String jar = System.getProperty("java.class.path");
        for (int i = 0; i + 1 < a.length; i++) {
            if (a[i].equals("-jar") && Path.of(a[i + 1]).toAbsolutePath().equals(Path.of(jar).toAbsolutePath())) {
                List<String> options = List.of(a).subList(0, i);
                for (String o : options) {
                    if (notRepeatable(o)) {
                        return Optional.empty();
                    }
                }
                return Optional.of(options);
            }
        }
        return Optional.empty();
    }

    /** This JVM's command line without the program: /proc on Linux (ProcessHandle's costs about 10 ms), else that. */
    private static String[] arguments() {
        try {
            String[] all = Files.readString(Path.of("/proc/self/cmdline")).split("\0");
            return Arrays.copyOfRange(all, 1, all.length);
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().arguments().orElse(null);
        }
    }

    /**
     * Only options a second JVM may repeat without a visible difference: memory, properties (not ours), the JIT's
     * tier, module access, and a log whose file is per process (%p). Anything else (an agent, a debugger, a flag
     * that prints, a recording or log into one file, sharing options of its own) keeps the command in this JVM.
     */
    private static boolean notRepeatable(String option) {
        if (option.startsWith("-D")) {
            return option.startsWith("-Dspellci.");
        }
        if (option.startsWith("-Xlog:")) {
            return !option.contains("file=") || !option.contains("%p");
        }
        for (String prefix : REPEATABLE) {
            if (option.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    /** Runs the command in the second JVM with this one's standard streams, stopping it if this JVM is stopped. */
    private static int start(List<String> command, Path copy, String[] args) throws IOException {
        command.add("-D" + RELAUNCHED + "=true");
        command.add("-jar");
        command.add(copy.toString());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        Thread stopper = new StopChild(child);
        try {
            Runtime.getRuntime().addShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // this JVM is already being stopped: the child is waited for below, then this JVM ends
        }
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroy();
            return ExitCodes.ERROR;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // this JVM is already shutting down; the hook stops the child
            }
        }
    }

    /** A JVM stopped by a signal (the job cancelled) stops the command it relaunched, and waits briefly for it. */
    private static final class StopChild extends Thread {
        private final Process child;

        StopChild(Process child) {
            this.child = child;
        }

        @Override
        public void run() {
            child.destroy();
            try {
                child.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean valid(Path marker, Path archive, Path copy) {
        String recorded = readQuietly(marker);
        try {
            return recorded != null && recorded.equals(stamp(archive, copy));
        } catch (IOException e) {
            return false;
        }
    }

    /** A file we renamed into place, still as we left it, against the same jar copy. */
    private static String stamp(Path archive, Path copy) throws IOException {
        return Files.size(archive) + " " + Files.getLastModifiedTime(archive).toMillis() + " " + Files.size(copy) + " "
                + Files.getLastModifiedTime(copy).toMillis() + "\n";
    }

    /**
     * A copy of the jar whose central directory (every entry's name, sizes and CRC-32) is the jar's, byte for byte. A
     * new copy is linked into place only if none is there, so that a concurrent command never replaces the copy its
     * archive depends on; a different one (another build of the same size and CRC-32) is replaced.
     */
    private static void ensureJarCopy(Path jar, byte[] directory, Path copy) throws IOException {
        if (sameJar(copy, jar, directory)) {
            return;
        }
        Path tmp = tempName(copy);
        try {
            Files.copy(jar, tmp);
            try {
                Files.createLink(copy, tmp);
            } catch (FileAlreadyExistsException e) {
                if (!sameJar(copy, jar, directory)) {
                    Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (UnsupportedOperationException | IOException e) {
                Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING); // a file system without hard links
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean sameJar(Path copy, Path jar, byte[] directory) {
        try {
            return Files.isRegularFile(copy) && Files.size(copy) == Files.size(jar)
                    && Arrays.equals(centralDirectory(copy), directory);
        } catch (IOException e) {
            return false;
        }
    }

    /** A zip's central directory and end record, or null for anything but a plain zip (zip64, no end record). */
    static byte[] centralDirectory(Path zip) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(zip.toFile(), "r")) {
            long size = file.length();
            byte[] tail = new byte[(int) Math.min(size, 22 + 0xffff)]; // the end record: 22 bytes and a comment
            file.seek(size - tail.length);
            file.readFully(tail);
            for (int end = tail.length - 22; end >= 0; end--) {
                if (tail[end] != 'P' || tail[end + 1] != 'K' || tail[end + 2] != 5 || tail[end + 3] != 6) {
                    continue;
                }
                long cdSize = uint32(tail, end + 12);
                long cdOffset = uint32(tail, end + 16);
                if (cdOffset == 0xffffffffL || cdOffset + cdSize != size - tail.length + end || cdSize < 46) {
                    return null;
                }
                byte[] directory = new byte[(int) cdSize + tail.length - end];
                file.seek(cdOffset);
                file.readFully(directory, 0, (int) cdSize);
                System.arraycopy(tail, end, directory, (int) cdSize, tail.length - end);
                return uint32(directory, 0) == 0x02014b50L ? directory : null;
            }
            return null;
        }
    }

    private static long uint32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static String crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        String hex = Long.toHexString(crc.getValue());
        return "00000000".substring(hex.length()) + hex;
    }

    private static Path tempName(Path file) {
        // Unique, not secret: the pid and a random number keep two JVMs at once from sharing a name.
        return Path.of(file + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL) + ".tmp");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    private int off(String why) {
        debug("class-data sharing off: " + why);
        return NOT_RELAUNCHED;
    }

    private void debug(String message) {
        if ("1".equals(env.get("RUNNER_DEBUG"))) {
            err.println("::debug::" + WorkflowCommands.escapeData("spell-ci: " + message));
        }
    }
}

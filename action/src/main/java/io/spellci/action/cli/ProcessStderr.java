package io.spellci.action.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The process's own standard error (UTF-8), which can tell a {@code 2> file} redirect from the runner's pipe. */
final class ProcessStderr extends PrintStream {

    ProcessStderr() {
        super(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    }

    /** True when fd 2 is a regular file (Linux {@code /proc/self/fd}, macOS {@code /dev/fd}); unknown elsewhere: false. */
    boolean isRegularFile() {
        for (String link : new String[] {"/proc/self/fd/2", "/dev/fd/2"}) {
            Path fd = Path.of(link);
            if (Files.exists(fd, LinkOption.NOFOLLOW_LINKS)) {
                return Files.isRegularFile(fd);
            }
        }
        return false;
    }
}

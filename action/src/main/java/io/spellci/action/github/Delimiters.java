package io.spellci.action.github;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/**
 * Fresh heredoc delimiters, {@code ghadelimiter_<random UUID>} as the toolkit makes them. The 16 random bytes come
 * from {@code /dev/urandom} on POSIX systems (the same source the JDK's NativePRNG reads, without the tens of
 * milliseconds of setting up java.security on the start-up path), else from {@link UUID#randomUUID()}. Not on
 * Windows: there {@code /dev/urandom} names a file in a folder {@code dev} at the root of the current drive, which
 * anybody may have put there.
 */
final class Delimiters {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final java.io.File DEV_URANDOM = new java.io.File("/dev/urandom");

    private Delimiters() {
    }

    static String next() {
        return GithubEnvFile.DELIMITER_PREFIX + randomUuid();
    }

    static String randomUuid() {
        return randomUuid(java.io.File.separatorChar, DEV_URANDOM);
    }

    /** With {@code separator} the platform's file separator: '/' on POSIX systems, '\\' on Windows. */
    static String randomUuid(char separator, java.io.File source) {
        byte[] bytes = new byte[16];
        if (separator != '/' || !fromDevUrandom(source, bytes)) {
            return UUID.randomUUID().toString();
        }
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        StringBuilder b = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                b.append('-');
            }
            b.append(HEX[(bytes[i] >> 4) & 0xf]).append(HEX[bytes[i] & 0xf]);
        }
        return b.toString();
    }

    private static boolean fromDevUrandom(java.io.File source, byte[] bytes) {
        if (!source.exists()) {
            return false;
        }
        try (InputStream in = new FileInputStream(source)) {
            return in.readNBytes(bytes, 0, bytes.length) == bytes.length;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}

package io.spellci.action.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassDataSharingRelaunchTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "''        | auto", "auto | auto", " TRUE  | true", "False | false", "yes | null", "off | null"})
    void theVariableIsAutoTrueOrFalse(String value, String expected) {
        assertThat(ClassDataSharingRelaunch.setting(Map.of(ClassDataSharingRelaunch.VARIABLE, value))).isEqualTo(expected);
        assertThat(ClassDataSharingRelaunch.setting(Map.of())).isEqualTo("auto");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "check --owner acme | true", "tokens list | true", "revoke --name x | true", "rotate --start | true",
        "env --owner acme --validate | true", "env --ephemeral=true | true", "env --owner acme | false",
        "check --help | false", "--version | false", "fake-api | false", "demo | false"})
    void onlyCommandsThatCallTheApiAreRelaunched(String args, boolean expected) {
        assertThat(ClassDataSharingRelaunch.callsTheApi(args.split(" "))).isEqualTo(expected);
        assertThat(ClassDataSharingRelaunch.callsTheApi(new String[0])).isFalse();
    }

    @Test
    void theCentralDirectoryFollowsEveryEntryAndIsNullForAnythingButAZip() throws IOException {
        byte[] a = ClassDataSharingRelaunch.centralDirectory(zip("a.jar", "one"));
        assertThat(a).isNotNull().isEqualTo(ClassDataSharingRelaunch.centralDirectory(zip("b.jar", "one")));
        // Same names and sizes, one byte changed: the entry's CRC-32 differs.
        assertThat(ClassDataSharingRelaunch.centralDirectory(zip("c.jar", "onx"))).isNotEqualTo(a);
        assertThat(ClassDataSharingRelaunch.centralDirectory(Files.writeString(dir.resolve("d.jar"), "PK not a zip")))
                .isNull();
    }

    private Path zip(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry("Main.class");
            entry.setTime(0);
            zip.putNextEntry(entry);
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }
}

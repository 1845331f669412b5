package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** What a new user pastes from the docs, run as pasted through the real jar (issue 15). */
@EnabledOnOs({OS.LINUX, OS.MAC})
class PastedExamplesJarIT {
    static final String TOKEN = "pasted-secret-token-0123456789ab";

    @TempDir
    Path dir;

    static String docBlock(String doc, String firstLine) throws IOException {
        String text = Files.readString(Jar.ROOT.resolve(doc), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("```[a-z]*\\n(" + Pattern.quote(firstLine) + "\\n.*?)```", Pattern.DOTALL)
                .matcher(text);
        assertThat(block.find()).as(doc + " has the example starting " + firstLine).isTrue();
        return block.group(1);
    }

    /** A shell in {@code dir} where {@code java -jar spell-ci.jar} is the jar under test, as in the docs. */
    Jar.Result bash(Map<String, String> env, String script) throws IOException {
        Path jar = dir.resolve("spell-ci.jar");
        if (!Files.exists(jar)) {
            Files.copy(Jar.JAR, jar);
        }
        return Jar.exec(List.of("bash", "-c", "cd '" + dir + "' && " + script), env, null);
    }

    static void assertNoFileHolds(Path dir, String... secrets) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".jar")).toList()) {
                String content = Files.readString(file, StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as(file + " holds no token").doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void theCliDocsPerJobTokenExampleMasksOnTheRunnersLogAndWritesNoTokenToAFile() throws IOException {
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("alice", "a@example.com", "acme"))
                .token("alice", "ci", TOKEN).start()) {
            Map<String, String> env = Jar.baseEnv();
            env.put("GITHUB_ACTIONS", "true");
            env.put("SPELL_TOKEN", TOKEN);
            env.put("SPELL_API_URL", fake.url());
            String example = docBlock("docs/cli.md", "# bash: a per-job token, deleted when the script ends"
                    + " (the per-job token may delete itself)");
            // The job: uses the exported per-job token, then the script ends and the trap deletes it.
            Jar.Result r = bash(env, example + "java -jar spell-ci.jar check --owner acme\n");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(fake.requests()).filteredOn(q -> q.method().equals("POST")).hasSize(1);
            String name = Files.readString(dir.resolve("spell-ci.name")).strip();
            assertThat(name).matches("ci-cli-local-tmp[0-9]+h-[a-z0-9]{8}");
            assertThat(fake.tokenNames("alice")).as("the trap deleted the per-job token").containsExactly("ci");
            // The runner reads stderr: both masks are there, so the log masks the per-job token too.
            Matcher masks = Pattern.compile("::add-mask::(\\S+)").matcher(r.stderr());
            List<String> masked = masks.results().map(m -> m.group(1)).distinct().toList();
            assertThat(masked).hasSize(2).contains(TOKEN);
            assertNoFileHolds(dir, masked.toArray(String[]::new));
        }
    }

    @Test
    void underGithubActionsMaskCommandsAreNeverWrittenToAFile() throws IOException {
        try (FakeSpellApi fake = FakeSpellApi.builder().user(FakeUser.of("alice", "a@example.com", "acme"))
                .token("alice", "ci", TOKEN).start()) {
            Map<String, String> env = Jar.baseEnv();
            env.put("GITHUB_ACTIONS", "true");
            env.put("SPELL_TOKEN", TOKEN);
            env.put("SPELL_API_URL", fake.url());
            // The old example of docs/cli.md.
            Jar.Result r = bash(env, "java -jar spell-ci.jar env --owner acme --ephemeral 2> spell-ci.log");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.stdout()).isEmpty();
            String log = Files.readString(dir.resolve("spell-ci.log"));
            assertThat(log).contains("standard error is redirected to a file", "::add-mask::", "drop the 2> redirect");
            assertThat(fake.requests()).as("no call, no per-job token").isEmpty();
            assertNoFileHolds(dir, TOKEN);
            assertThat(r.stderr()).doesNotContain(TOKEN);

            // Outside GitHub Actions there are no masks, and a log file is the user's business.
            env.remove("GITHUB_ACTIONS");
            Jar.Result plain = bash(env, "java -jar spell-ci.jar env --owner acme 2> spell-ci.log");
            assertThat(plain.exitCode()).isZero();
        }
    }
}

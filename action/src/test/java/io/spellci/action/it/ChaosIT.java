package io.spellci.action.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.action.testing.RunnerLog;
import io.spellci.action.testing.StepRun;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many jobs of main + post with validation and a per-job token, through the real jar, against a fake that meets
 * each request with a seeded random fault (429, 5xx, dropped connections, lost answers, truncated bodies, slow
 * answers, non-JSON 2xx, HTTP/1.0 closes), on a server that is by turns keep-alive (with a short idle timeout),
 * closing silently after each answer, and HTTP/1.0. {@code bench/chaos.sh} runs more jobs and other seeds; the figures go to
 * stdout either way. Properties: chaos.jobs, chaos.seed, chaos.rate.
 */
class ChaosIT {
    static final String TOKEN = "chaos-parent-token-0123456789abcdef";
    /** A per-job name with its life (6 or 120 hours), which the post step of a later run sweeps once that passed. */
    static final Pattern PER_JOB = Pattern.compile("ci-gha-[a-z0-9-]*-tmp(6|120)h-[a-z0-9]{8}");

    @TempDir
    Path dir;

    @Test
    void underRandomFaultsEveryJobEndsCleanlyAndNoTokenIsLeftAliveUnnamed() {
        int jobs = Integer.getInteger("chaos.jobs", 10);
        long seed = Long.getLong("chaos.seed", 20261201L);
        double rate = Double.parseDouble(System.getProperty("chaos.rate", "0.25"));
        List<String> issued = Collections.synchronizedList(new ArrayList<>());
        SecureRandom random = new SecureRandom();
        Instant old = Instant.now().minus(30, ChronoUnit.DAYS);
        // The user's other tokens: none may ever be deleted, not even the other front end's old per-build token.
        List<String> others = List.of("ci", "laptop", "ci-gha-notes", "ci-jenkins-train-7-tmp-abcdefgh");
        FakeSpellApi.Builder builder = FakeSpellApi.builder().user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", TOKEN)
                .token("alice", "laptop", "chaos-laptop-token-000000000000", old)
                .token("alice", "ci-gha-notes", "chaos-notes-token-0000000000000", old)
                .token("alice", "ci-jenkins-train-7-tmp-abcdefgh", "chaos-jenkins-token-00000000000", old)
                .tokenGenerator(() -> {
                    byte[] bytes = new byte[24];
                    random.nextBytes(bytes);
                    String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                    issued.add(value);
                    return value;
                })
                .idleTimeout(java.time.Duration.ofMillis(100)) // shorter than any client's keep-alive
                .randomFaults(seed, rate);
        int successes = 0;
        int cleanFailures = 0;
        Set<String> warned = new HashSet<>();
        List<Long> millis = new ArrayList<>();
        try (FakeSpellApi fake = builder.start()) {
            for (int job = 0; job < jobs; job++) {
                Path jobDir = dir.resolve("job-" + job);
                try {
                    java.nio.file.Files.createDirectories(jobDir);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                Jar.Steps steps = new Jar.Steps(jobDir).input("token", TOKEN).input("owner", "acme")
                        .input("api-url", fake.url()).input("validate", "true").input("ephemeral", "true")
                        .input("timeout-seconds", "30").env("GITHUB_RUN_ID", String.valueOf(10_000 + job));
                // A third of the jobs meet an HTTP/1.0 server, a third one that closes silently after each answer.
                fake.connectionMode(FakeSpellApi.ConnectionMode.values()[job % 3]);
                long started = System.nanoTime();
                StepRun main = steps.main();
                StepRun post = steps.post(main);
                millis.add((System.nanoTime() - started) / 1_000_000);
                String what = "job " + job + " (seed " + seed + "): " + main.stdout() + main.stderr() + post.stdout();

                if (main.exitCode() == 0) {
                    successes++;
                    assertThat(main.env()).as(what).containsKeys("SPELL_TOKEN", "SPELL_OWNER");
                    assertThat(main.env().get("SPELL_TOKEN")).as(what).isNotEqualTo(TOKEN);
                } else {
                    cleanFailures++;
                    assertThat(main.exitCode()).as(what).isEqualTo(1);
                    assertThat(main.log().errors()).as(what).isNotEmpty();
                    assertThat(main.rawEnv()).as(what + ": nothing half-written").isEmpty();
                }
                assertThat(post.exitCode()).as(what + ": post never fails a job").isZero();
                assertThat(post.log().errors()).as(what).isEmpty();
                for (StepRun run : List.of(main, post)) {
                    for (RunnerLog.Annotation warning : run.log().warnings()) {
                        Matcher names = PER_JOB.matcher(warning.message());
                        while (names.find()) {
                            warned.add(names.group());
                        }
                    }
                    run.assertNoLeak(TOKEN);
                    for (String value : List.copyOf(issued)) {
                        run.assertNoLeak(value); // only GITHUB_ENV may hold a per-job token, and it is not checked here
                    }
                }
            }
            fake.resetFaults();
            List<String> left = fake.tokenNames("alice");
            assertThat(left).as("the user's other tokens").containsAll(others);
            List<String> perJobLeft = left.stream().filter(name -> !others.contains(name)).toList();
            assertThat(perJobLeft).as("every per-job token still alive is one spell-ci's sweep removes")
                    .allSatisfy(name -> assertThat(name).matches(PER_JOB));
            assertThat(warned).as("every per-job token still alive was named in a warning").containsAll(perJobLeft);

            Collections.sort(millis);
            System.out.printf(Locale.ROOT, "chaos: %s, seed %d, fault rate %.2f, %d jobs: %d succeeded, %d failed cleanly,"
                    + " %d per-job tokens left alive (all named in a warning), %d requests; main+post p50 %d ms,"
                    + " p95 %d ms%n", System.getProperty("spellci.jar"), seed, rate, jobs, successes, cleanFailures, perJobLeft.size(),
                    fake.requests().size(), millis.get(millis.size() / 2),
                    millis.get(Math.min(millis.size() - 1, (int) Math.ceil(millis.size() * 0.95) - 1)));
        }
        assertThat(successes + cleanFailures).isEqualTo(jobs);
    }
}

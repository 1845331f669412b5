package io.jenkins.plugins.spell.hygiene;

import io.jenkins.plugins.spell.SpellConfiguration;
import io.jenkins.plugins.spell.SpellTestSupport;
import io.jenkins.plugins.spell.SpellTokenCredentialsImpl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.util.Secret;
import io.spellci.fakeapi.FakeClock;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeUser;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** A fake Spell API on a clock the test moves (shared with the hygiene check), and a record of the plugin's log. */
final class HygieneTestSupport implements AutoCloseable {
    static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    /** Values the fake gives to tokens made through the API (successors, per-build tokens). */
    static final String CREATED_VALUE_PREFIX = "sp3ll-successor-v4lue-";

    final FakeClock clock = new FakeClock(START);
    final FakeSpellApi fake;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Logger pluginLogger = Logger.getLogger("io.jenkins.plugins.spell");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(record.getLevel() + " " + record.getMessage()
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    /** alice (member of acme) with her stored token "ci", made {@code ageDays} ago. */
    HygieneTestSupport(int ageDays) {
        AtomicInteger created = new AtomicInteger();
        fake = FakeSpellApi.builder()
                .clock(clock)
                .user(FakeUser.of(SpellTestSupport.USER, "alice@example.com", SpellTestSupport.OWNER))
                .token(SpellTestSupport.USER, "ci", SpellTestSupport.TOKEN, START.minus(Duration.ofDays(ageDays)))
                .tokenGenerator(() -> CREATED_VALUE_PREFIX + created.incrementAndGet())
                .build()
                .start();
        SpellTokenHygiene.clock = clock;
        SpellTokenHygiene.pause = Duration.ZERO;
        SpellTestSupport.useFakeApi(fake);
        pluginLogger.setLevel(Level.ALL);
        pluginLogger.addHandler(handler);
    }

    static SpellTokenCredentialsImpl credential(String id, String tokenName) {
        SpellTokenCredentialsImpl c = new SpellTokenCredentialsImpl(CredentialsScope.GLOBAL, id, "Spell CI token",
                Secret.fromString(SpellTestSupport.TOKEN), SpellTestSupport.OWNER);
        c.setTokenName(tokenName);
        return c;
    }

    /** One full check now, as the periodic work runs it; returns what it printed. */
    static String check() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        SpellTokenHygiene.get().check(new hudson.util.StreamTaskListener(out, java.nio.charset.StandardCharsets.UTF_8));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static SpellTokenHygieneMonitor monitor() {
        return jenkins.model.Jenkins.get().getExtensionList(hudson.model.AdministrativeMonitor.class)
                .get(SpellTokenHygieneMonitor.class);
    }

    /** Requests the fake got for one method and path suffix, e.g. ("DELETE", "access_tokens/ci"). */
    long requests(String method, String pathEnd) {
        return fake.requests().stream().filter(q -> q.method().equals(method) && q.path().endsWith(pathEnd)).count();
    }

    void advanceHours(long hours) {
        clock.advance(Duration.ofHours(hours));
    }

    void advanceDays(long days) {
        clock.advance(Duration.ofDays(days));
    }

    /** No value of any token (stored or made by the fake) in the plugin's log, in {@code texts}, or in clear under JENKINS_HOME. */
    void assertNoTokenValue(File home, String... texts) throws IOException {
        List<String> all = new ArrayList<>(log);
        all.addAll(List.of(texts));
        for (String text : all) {
            assertFalse(text.contains(SpellTestSupport.TOKEN), "stored token in: " + text);
            assertFalse(text.contains(CREATED_VALUE_PREFIX), "created token in: " + text);
        }
        assertEquals(Set.of(), SpellTestSupport.grep(home, SpellTestSupport.TOKEN));
        assertEquals(Set.of(), SpellTestSupport.grep(home, CREATED_VALUE_PREFIX));
    }

    @Override
    public void close() {
        pluginLogger.removeHandler(handler);
        SpellTokenHygiene.clock = Clock.systemUTC();
        SpellTokenHygiene.pause = Duration.ofMillis(250);
        fake.close();
    }
}

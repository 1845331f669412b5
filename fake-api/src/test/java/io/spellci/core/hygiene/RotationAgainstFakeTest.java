package io.spellci.core.hygiene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.hygiene.RotationException.Stage;
import io.spellci.fakeapi.FakeClock;
import io.spellci.fakeapi.FakeSpellApi;
import io.spellci.fakeapi.FakeToken;
import io.spellci.fakeapi.FakeUser;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** core's Rotation against the fake Spell API: the sequence, and that each failure leaves a working token stored. */
class RotationAgainstFakeTest {
    static final String OLD = "alice-old-token-value-0001";
    static final String NEW_PREFIX = "alice-new-token-value-";
    final FakeClock clock = FakeClock.at("2026-12-01T10:00:00Z");
    final AccessToken old = AccessToken.of(OLD);
    final Owner acme = Owner.of("acme");
    final List<String> lines = new ArrayList<>();
    FakeSpellApi fake;
    SpellApi api;
    Rotation rotation;

    @BeforeEach
    void start() {
        AtomicInteger n = new AtomicInteger();
        fake = FakeSpellApi.builder().clock(clock)
                .user(FakeUser.of("alice", "alice@example.com", "acme"))
                .token("alice", "ci", OLD, Instant.parse("2026-06-01T00:00:00Z"))
                .tokenGenerator(() -> NEW_PREFIX + n.incrementAndGet())
                .build().start();
        api = SpellApi.builder().apiUrl(ApiUrl.of(fake.url()))
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)))
                .build();
        rotation = new Rotation(api, new Rotation.Listener() {
            @Override
            public void info(String line) {
                lines.add(line);
            }

            @Override
            public void warn(String line) {
                lines.add("WARN " + line);
            }
        });
    }

    @AfterEach
    void stop() {
        api.close();
        fake.close();
    }

    void assertNoValueIn(String text) {
        assertThat(text).doesNotContain(OLD).doesNotContain(NEW_PREFIX);
        assertThat(String.join("\n", lines)).doesNotContain(OLD).doesNotContain(NEW_PREFIX);
    }

    @Test
    void rotatesStoresThenDeletesTheOld() throws Exception {
        AtomicReference<CreatedToken> stored = new AtomicReference<>();
        Rotation.Result result = rotation.rotate(old, "ci", acme, s -> {
            assertThat(fake.tokenNames("alice")).containsExactly("ci", "ci-r20261201"); // old still there on store
            stored.set(s);
        }, clock.instant());
        assertThat(result.newName()).isEqualTo("ci-r20261201");
        assertThat(result.oldDeleted()).isTrue();
        assertThat(fake.tokenNames("alice")).containsExactly("ci-r20261201");
        assertThat(fake.hasToken(OLD)).isFalse();
        assertThat(fake.hasToken(stored.get().token().reveal())).isTrue();
        assertNoValueIn(result.toString() + stored.get());
    }

    @Test
    void aFailingCreateChangesNothing() {
        fake.failNextOf(1, 403, "POST");
        RotationException e = catchThrowableOfType(RotationException.class,
                () -> rotation.rotate(old, "ci", acme, s -> { throw new AssertionError("not stored"); }, clock.instant()));
        assertThat(e.stage()).isEqualTo(Stage.CREATE);
        assertThat(e).hasMessageContaining("'ci' still works");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertNoValueIn(e.getMessage());
    }

    @Test
    void aFailingStoreDeletesTheNewToken() {
        RotationException e = catchThrowableOfType(RotationException.class,
                () -> rotation.rotate(old, "ci", acme, s -> { throw new IOException("disk full " + s.token().reveal()); },
                        clock.instant()));
        assertThat(e.stage()).isEqualTo(Stage.STORE);
        assertThat(e).hasMessageContaining("disk full ***").hasMessageContaining("was deleted again");
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertThat(fake.hasToken(OLD)).isTrue();
        assertNoValueIn(e.getMessage());
    }

    @Test
    void aFailingDeleteOfTheOldWarnsWithItsNameAndKeepsTheNew() throws Exception {
        fake.failNextOf(1, 403, "DELETE");
        Rotation.Result result = rotation.rotate(old, "ci", acme, s -> { }, clock.instant());
        assertThat(result.oldDeleted()).isFalse();
        assertThat(lines).anyMatch(l -> l.startsWith("WARN the old token 'ci' could not be deleted"));
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "ci-r20261201");
        assertNoValueIn(result.toString());
    }

    @Test
    void aNewTokenThatDoesNotWorkForTheOwnerIsDeletedAgain() {
        RotationException e = catchThrowableOfType(RotationException.class,
                () -> rotation.rotate(old, "ci", Owner.of("other-org"), s -> { }, clock.instant()));
        assertThat(e.stage()).isEqualTo(Stage.CREATE);
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        assertNoValueIn(e.getMessage());
    }

    @Test
    void aSecondPrepareSaysTheSuccessorExistsAndMakesNoThirdToken() throws Exception {
        rotation.prepare(old, "ci", acme, clock.instant());
        RotationException e = catchThrowableOfType(RotationException.class,
                () -> rotation.prepare(old, "ci", acme, clock.instant()));
        assertThat(e.stage()).isEqualTo(Stage.SUCCESSOR_EXISTS);
        assertThat(e).hasMessageContaining("'ci-r20261201'");
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "ci-r20261201");
    }

    @Test
    void aWrongTokenNameIsRefusedBeforeAnythingIsMade() {
        fake.addToken("alice", "laptop", "alice-laptop-value-0003", Instant.parse("2026-01-01T00:00:00Z"));
        fake.setLastUsedAt("alice", "laptop", Instant.parse("2026-11-01T00:00:00Z"));
        RotationException e = catchThrowableOfType(RotationException.class,
                () -> rotation.prepare(old, "laptop", acme, clock.instant()));
        assertThat(e.stage()).isEqualTo(Stage.CHECK);
        RotationException missing = catchThrowableOfType(RotationException.class,
                () -> rotation.prepare(old, "nope", acme, clock.instant()));
        assertThat(missing).hasMessageContaining("'nope' is not among");
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "laptop");
    }

    @Test
    void stepTwoDeletesOnlyATokenThatHasASuccessor() throws Exception {
        RotationException none = catchThrowableOfType(RotationException.class,
                () -> rotation.deleteOld(old, "ci", true));
        assertThat(none.stage()).isEqualTo(Stage.DELETE_OLD);
        assertThat(fake.tokenNames("alice")).containsExactly("ci");
        Rotation.Prepared prepared = rotation.prepare(old, "ci", acme, clock.instant());
        rotation.deleteOld(prepared.successor().token(), "ci", true);
        assertThat(fake.tokens("alice")).extracting(FakeToken::name).containsExactly("ci-r20261201");
    }
}

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
    void rotatesAndStoresButLeavesTheOldWorkingAsAPendingDelete() throws Exception {
        AtomicReference<CreatedToken> stored = new AtomicReference<>();
        Rotation.Result result = rotation.rotate(old, "ci", acme, s -> {
            assertThat(fake.tokenNames("alice")).containsExactly("ci", "ci-r20261201"); // old still there on store
            stored.set(s);
        }, clock.instant());
        assertThat(result.newName()).isEqualTo("ci-r20261201");
        // A running build (or a copy elsewhere) holds the old value: it must keep working.
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "ci-r20261201");
        assertThat(api.whoami(old).userName()).isEqualTo("alice");
        PendingDelete pending = result.pendingDelete();
        assertThat(pending.tokenName()).isEqualTo("ci");
        assertThat(pending.successorName()).isEqualTo("ci-r20261201");
        assertThat(pending.rotatedAt()).isEqualTo(clock.instant());
        assertThat(fake.hasToken(stored.get().token().reveal())).isTrue();
        assertNoValueIn(result.toString() + stored.get() + pending);
    }

    @Test
    void aBuildHoldingTheOldTokenKeepsItUntilItEndedAndTheGracePassed() throws Exception {
        Rotation.Result result = rotation.rotate(old, "ci", acme, s -> { }, clock.instant());
        AccessToken successor = AccessToken.of(NEW_PREFIX + "1");
        PendingDelete pending = result.pendingDelete();
        Duration grace = PendingDelete.DEFAULT_GRACE;
        // the build that bound the credential before the rotation runs 30 hours and uses the old token all along
        for (int hour = 1; hour <= 30; hour++) {
            clock.advance(Duration.ofHours(1));
            api.whoami(old);
            PendingDelete.Decision d = pending.decide(api.listTokens(successor), true, grace, clock.instant());
            assertThat(d.action()).isEqualTo(PendingDelete.Action.WAIT_FOR_HOLDERS);
        }
        Instant ended = clock.instant();
        clock.advance(Duration.ofHours(23));
        PendingDelete.Decision waiting = pending.decide(api.listTokens(successor), false, ended, grace, clock.instant());
        assertThat(waiting.action()).isEqualTo(PendingDelete.Action.WAIT_FOR_GRACE);
        assertThat(waiting.deleteFrom()).isEqualTo(ended.plus(grace));
        clock.advance(Duration.ofHours(1));
        PendingDelete.Decision now = pending.decide(api.listTokens(successor), false, ended, grace, clock.instant());
        assertThat(now.delete()).isTrue();
        rotation.deleteOld(successor, pending.tokenName(), false);
        assertThat(fake.tokenNames("alice")).containsExactly("ci-r20261201");
        assertThat(pending.decide(api.listTokens(successor), false, grace, clock.instant()).action())
                .isEqualTo(PendingDelete.Action.FORGET);
    }

    @Test
    void aTokenStillUsedElsewhereIsNeverDeletedAndSaysWhenItWasLastUsed() throws Exception {
        Rotation.Result result = rotation.rotate(old, "ci", acme, s -> { }, clock.instant());
        AccessToken successor = AccessToken.of(NEW_PREFIX + "1");
        for (int day = 1; day <= 10; day++) {
            clock.advance(Duration.ofHours(20));
            api.whoami(old); // a GitHub secret nobody updated
            Instant used = clock.instant();
            clock.advance(Duration.ofHours(3));
            PendingDelete.Decision d = result.pendingDelete().decide(api.listTokens(successor), false,
                    PendingDelete.DEFAULT_GRACE, clock.instant());
            assertThat(d.action()).isEqualTo(PendingDelete.Action.STILL_USED);
            assertThat(d.lastUsedAt()).isEqualTo(used);
            assertThat(d.describe("ci")).contains("still used by something outside, last used " + used);
        }
        assertThat(fake.tokenNames("alice")).contains("ci");
    }

    @Test
    void theTokenNameOfAnotherBusyTokenNeverGetsThatTokenDeleted() throws Exception {
        // "laptop" is another token of alice, used a minute ago: the old 5-minute rule took it for this one
        fake.addToken("alice", "laptop", "alice-laptop-value-0003", Instant.parse("2026-01-01T00:00:00Z"));
        AccessToken laptop = AccessToken.of("alice-laptop-value-0003");
        clock.advance(Duration.ofMinutes(-1));
        api.whoami(laptop);
        clock.advance(Duration.ofMinutes(1));
        Rotation.Result result = rotation.rotate(old, "laptop", acme, s -> { }, clock.instant());
        assertThat(fake.tokenNames("alice")).contains("laptop", "ci");
        for (int check = 1; check <= 12; check++) { // three days of checks every 6 hours, laptop busy all along
            clock.advance(Duration.ofHours(5));
            api.whoami(laptop);
            clock.advance(Duration.ofHours(1));
            PendingDelete.Decision d = result.pendingDelete().decide(api.listTokens(old), false,
                    PendingDelete.DEFAULT_GRACE, clock.instant());
            assertThat(d.action()).as("check " + check).isEqualTo(PendingDelete.Action.STILL_USED);
            assertNoValueIn(d.describe("laptop"));
        }
        assertThat(fake.tokenNames("alice")).contains("laptop", "ci");
        assertThat(api.whoami(laptop).userName()).isEqualTo("alice");
    }

    @Test
    void finishRefusesWhileTheOldTokenIsUsedAfterItsSuccessorWasMadeUnlessForced() throws Exception {
        Rotation.Prepared prepared = rotation.prepare(old, "ci", acme, clock.instant());
        AccessToken successor = prepared.successor().token();
        clock.advance(Duration.ofMinutes(5));
        api.whoami(old); // a job still running with the old value
        Instant used = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        RotationException e = catchThrowableOfType(RotationException.class, () -> rotation.finish(successor, "ci", false));
        assertThat(e.stage()).isEqualTo(Stage.STILL_USED);
        assertThat(e).hasMessageContaining("'ci' was last used " + used).hasMessageContaining("--force")
                .satisfies(x -> assertThat(x.getMessage()).doesNotContain("this very call"));
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "ci-r20261201");
        assertNoValueIn(e.getMessage());
        rotation.finish(successor, "ci", true);
        assertThat(fake.tokenNames("alice")).containsExactly("ci-r20261201");
    }

    @Test
    void finishRunWithTheOldTokenSaysThatItsOwnCallCounts() throws Exception {
        rotation.prepare(old, "ci", acme, clock.instant());
        clock.advance(Duration.ofMinutes(5));
        RotationException e = catchThrowableOfType(RotationException.class, () -> rotation.finish(old, "ci", false));
        assertThat(e.stage()).isEqualTo(Stage.STILL_USED);
        assertThat(e).hasMessageContaining("run --finish with the new token");
        assertThat(fake.tokenNames("alice")).containsExactly("ci", "ci-r20261201");
        assertNoValueIn(e.getMessage());
    }

    @Test
    void finishDeletesAnOldTokenUnusedSinceItsSuccessorWasMade() throws Exception {
        Rotation.Prepared prepared = rotation.prepare(old, "ci", acme, clock.instant());
        clock.advance(Duration.ofHours(1));
        rotation.finish(prepared.successor().token(), "ci", false);
        assertThat(fake.tokenNames("alice")).containsExactly("ci-r20261201");
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
    void anUnknownTokenNameIsRefusedBeforeAnythingIsMade() {
        fake.addToken("alice", "laptop", "alice-laptop-value-0003", Instant.parse("2026-01-01T00:00:00Z"));
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

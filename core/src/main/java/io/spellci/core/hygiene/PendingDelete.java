package io.spellci.core.hygiene;

import io.spellci.core.api.TokenInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An old token that a rotation replaced and that waits to be deleted: never at once, because running jobs (and copies
 * elsewhere: another controller, a CI secret) may still hold it. It is deleted only when nothing that held it before
 * the rotation is still running and its {@code last_used_at} has not moved for a grace period. Names and dates only,
 * never a value. A plain immutable class, not a record, so that Jenkins' XStream can persist it.
 */
public final class PendingDelete {
    /** How long the old token must stay unused before it is deleted, unless a front end's setting says otherwise. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    /**
     * Uses of the old token this soon after the rotation are the rotation's own calls (it lists and creates with the
     * old token); later ones are someone else's. Only the report depends on it: the grace always runs from the last use.
     */
    public static final Duration OWN_USE = Duration.ofSeconds(10);

    private final String tokenName;
    private final Instant tokenCreatedAt;
    private final String successorName;
    private final Instant rotatedAt;
    private final Instant lastUsedAtRotation;

    /**
     * @param tokenName the old token's name
     * @param tokenCreatedAt its {@code created_at}, so that a new token given the same name later is never deleted
     * @param successorName the token that replaced it
     * @param rotatedAt when the successor was stored
     * @param lastUsedAtRotation the old token's {@code last_used_at} as listed at the rotation, or null (never used)
     */
    public PendingDelete(String tokenName, Instant tokenCreatedAt, String successorName, Instant rotatedAt,
            Instant lastUsedAtRotation) {
        this.tokenName = Objects.requireNonNull(tokenName, "tokenName");
        this.tokenCreatedAt = Objects.requireNonNull(tokenCreatedAt, "tokenCreatedAt");
        this.successorName = Objects.requireNonNull(successorName, "successorName");
        this.rotatedAt = Objects.requireNonNull(rotatedAt, "rotatedAt");
        this.lastUsedAtRotation = lastUsedAtRotation;
    }

    /** The pending delete of {@code old} (as listed before the rotation), replaced by {@code successorName}. */
    public static PendingDelete of(TokenInfo old, String successorName, Instant rotatedAt) {
        return new PendingDelete(old.name(), old.createdAt(), successorName, rotatedAt, old.lastUsedAt());
    }

    public String tokenName() {
        return tokenName;
    }

    public Instant tokenCreatedAt() {
        return tokenCreatedAt;
    }

    public String successorName() {
        return successorName;
    }

    public Instant rotatedAt() {
        return rotatedAt;
    }

    /** Null when the old token had never been used at the rotation. */
    public Instant lastUsedAtRotation() {
        return lastUsedAtRotation;
    }

    /** What to do with the pending delete now. */
    public enum Action {
        /** Delete the old token by name now. */
        DELETE,
        /** The old token is gone (or its name now belongs to a newer token): forget this pending delete. */
        FORGET,
        /** Something that held it before the rotation is still running: wait. */
        WAIT_FOR_HOLDERS,
        /** Used after the rotation, by something outside what the caller tracks: wait, and say so. */
        STILL_USED,
        /** Not used since the rotation, but the grace period has not passed yet: wait. */
        WAIT_FOR_GRACE
    }

    /**
     * @param lastUsedAt the old token's {@code last_used_at} now (null: never used or gone)
     * @param deleteFrom the earliest time it may be deleted if it stays unused; null for {@link Action#FORGET}
     */
    public record Decision(Action action, Instant lastUsedAt, Instant deleteFrom) {
        public boolean delete() {
            return action == Action.DELETE;
        }

        /** One line for people, with names and dates only, e.g. for a CLI; front ends with message bundles use the parts. */
        public String describe(String tokenName) {
            return switch (action) {
                case DELETE -> "'" + tokenName + "' has not been used since " + lastUseText() + ": deleting it";
                case FORGET -> "'" + tokenName + "' is gone already";
                case WAIT_FOR_HOLDERS -> "'" + tokenName + "' is kept while jobs that had it before the rotation run";
                case STILL_USED -> "'" + tokenName + "' is still used by something outside, last used " + lastUsedAt
                        + "; delete it by hand when you have replaced it there";
                case WAIT_FOR_GRACE -> "'" + tokenName + "' is unused since the rotation; it is deleted from "
                        + deleteFrom + " if it stays unused";
            };
        }

        private String lastUseText() {
            return lastUsedAt == null ? "the rotation" : lastUsedAt.toString();
        }
    }

    /**
     * The decision rule. {@code listing} is a fresh {@code access_tokens} listing of the user; {@code holdersRunning}
     * the caller's knowledge that a job which bound the credential before {@link #rotatedAt} is still running.
     */
    public Decision decide(List<TokenInfo> listing, boolean holdersRunning, Duration grace, Instant now) {
        return decide(listing, holdersRunning, null, grace, now);
    }

    /**
     * As {@link #decide(List, boolean, Duration, Instant)}; {@code holdersEndedAt} (null: unknown or none) is when the
     * last pre-rotation holder ended, so that its own last uses are not reported as {@link Action#STILL_USED}.
     */
    public Decision decide(List<TokenInfo> listing, boolean holdersRunning, Instant holdersEndedAt, Duration grace,
            Instant now) {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(now, "now");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace is negative");
        }
        TokenInfo current = TokenAudit.find(listing, tokenName);
        if (current == null || !current.createdAt().equals(tokenCreatedAt)) {
            return new Decision(Action.FORGET, null, null);
        }
        Instant lastUsed = current.lastUsedAt();
        Instant quietSince = lastUsed != null && lastUsed.isAfter(rotatedAt) ? lastUsed : rotatedAt;
        Instant deleteFrom = quietSince.plus(grace);
        if (holdersRunning) {
            return new Decision(Action.WAIT_FOR_HOLDERS, lastUsed, deleteFrom);
        }
        if (now.isBefore(deleteFrom)) {
            Instant ours = holdersEndedAt != null && holdersEndedAt.isAfter(rotatedAt) ? holdersEndedAt : rotatedAt;
            boolean usedOutside = lastUsed != null && lastUsed.isAfter(ours.plus(OWN_USE));
            return new Decision(usedOutside ? Action.STILL_USED : Action.WAIT_FOR_GRACE, lastUsed, deleteFrom);
        }
        return new Decision(Action.DELETE, lastUsed, deleteFrom);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingDelete p && tokenName.equals(p.tokenName) && tokenCreatedAt.equals(p.tokenCreatedAt)
                && successorName.equals(p.successorName) && rotatedAt.equals(p.rotatedAt)
                && Objects.equals(lastUsedAtRotation, p.lastUsedAtRotation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokenName, tokenCreatedAt, successorName, rotatedAt, lastUsedAtRotation);
    }

    @Override
    public String toString() {
        return "PendingDelete[" + tokenName + " -> " + successorName + ", rotated " + rotatedAt + "]";
    }
}

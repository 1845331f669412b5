package io.spellci.core.hygiene;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.ephemeral.EphemeralTokenName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of token hygiene that every front end applies alike: a token too old, never used or unused for long,
 * or a per-job token whose clean-up never ran. Works on names and dates only; token values never pass here.
 *
 * @param maxAge a token older than this needs rotating; zero turns the rule off
 * @param unusedFor a token unused (or never used) for longer than this is probably forgotten; zero turns it off
 * @param perJobLife how long a per-job token (any of {@link EphemeralTokenName#PREFIXES}) may be needed; past that
 *     it was left behind
 */
public record TokenAudit(Duration maxAge, Duration unusedFor, PerJobLife perJobLife) {

    /** What the Jenkins plugin, the action and the CLI use unless told otherwise: 90 days, 30 days, default lives. */
    public static final TokenAudit DEFAULT = new TokenAudit(Duration.ofDays(90), Duration.ofDays(30), PerJobLife.DEFAULT);

    public TokenAudit {
        maxAge = requireNotNegative(maxAge, "max age");
        unusedFor = requireNotNegative(unusedFor, "unused days");
        Objects.requireNonNull(perJobLife, "perJobLife");
    }

    /** Days as given by a user (0 = off), refused when negative with the field named. */
    public static Duration days(long days, String field) {
        if (days < 0) {
            throw new InvalidInputException(field, "is " + days + ", a negative number of days",
                    "give 0 to turn the rule off, or a number of days such as 90");
        }
        return Duration.ofDays(days);
    }

    private static Duration requireNotNegative(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new InvalidInputException(field, "is negative", "give 0 to turn the rule off, or a positive duration");
        }
        return value;
    }

    /** Why a token needs attention. */
    public enum Finding {
        /** The API answered 401 for it: revoked, deleted or mistyped. Nothing else can be known. */
        REJECTED("rejected by the Spell API (revoked, deleted or mistyped)", "create a new token and store it"),
        TOO_OLD("older than the maximum age", "rotate it"),
        NEVER_USED("never used", "delete it if nothing needs it"),
        UNUSED("not used for a long time", "delete it if nothing needs it"),
        LEFTOVER("a per-job token past its life, whose clean-up never ran", "sweep it");

        private final String text;
        private final String fix;

        Finding(String text, String fix) {
            this.text = text;
            this.fix = fix;
        }

        /** A short phrase for people, e.g. "older than the maximum age". */
        public String text() {
            return text;
        }

        /** What to do about it, e.g. "rotate it". */
        public String fix() {
            return fix;
        }
    }

    /**
     * One token as the audit sees it.
     *
     * @param age time since creation at the audit
     * @param idle time since last use, or since creation when never used
     */
    public record Result(TokenInfo token, Duration age, Duration idle, Set<Finding> findings) {
        public Result {
            // enum order, always: Set.copyOf would iterate in an order that changes from one JVM to the next
            findings = findings.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(findings));
        }

        public boolean needsAttention() {
            return !findings.isEmpty();
        }

        public boolean leftover() {
            return findings.contains(Finding.LEFTOVER);
        }
    }

    /** Every token of the list with its findings, in the list's order. */
    public List<Result> audit(List<TokenInfo> tokens, Instant now) {
        List<Result> results = new ArrayList<>(tokens.size());
        for (TokenInfo token : tokens) {
            results.add(audit(token, now));
        }
        return results;
    }

    /** One token's findings at {@code now}. */
    public Result audit(TokenInfo token, Instant now) {
        Objects.requireNonNull(now, "now");
        Duration age = nonNegative(Duration.between(token.createdAt(), now));
        Instant lastUse = token.neverUsed() ? token.createdAt() : token.lastUsedAt();
        Duration idle = nonNegative(Duration.between(lastUse, now));
        Set<Finding> findings = EnumSet.noneOf(Finding.class);
        Optional<Instant> lifeEnds = perJobLife.end(token);
        if (lifeEnds.isPresent()) {
            // A per-job token lives for one job; age and use rules would only repeat this one.
            if (now.isAfter(lifeEnds.get())) {
                findings.add(Finding.LEFTOVER);
            }
        } else {
            if (!maxAge.isZero() && age.compareTo(maxAge) > 0) {
                findings.add(Finding.TOO_OLD);
            }
            if (!unusedFor.isZero() && idle.compareTo(unusedFor) > 0) {
                findings.add(token.neverUsed() ? Finding.NEVER_USED : Finding.UNUSED);
            }
        }
        return new Result(token, age, idle, findings);
    }

    /** The finding for a token the API refused (401): its dates cannot be read with it. */
    public static Set<Finding> rejected() {
        return Set.of(Finding.REJECTED);
    }

    /** True for names made by spell-ci's per-job tokens under one of its prefixes. */
    public static boolean isPerJob(String name) {
        for (String prefix : EphemeralTokenName.PREFIXES) {
            if (EphemeralTokenName.isOurs(name, prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The token called {@code name} in the list, or null. */
    public static TokenInfo find(List<TokenInfo> tokens, String name) {
        for (TokenInfo token : tokens) {
            if (token.name().equals(name)) {
                return token;
            }
        }
        return null;
    }

    /** "3 days", "5 hours", "12 minutes": how the front ends print an age. */
    public static String describe(Duration duration) {
        long days = duration.toDays();
        if (days >= 1) {
            return days + (days == 1 ? " day" : " days");
        }
        long hours = duration.toHours();
        if (hours >= 1) {
            return hours + (hours == 1 ? " hour" : " hours");
        }
        long minutes = duration.toMinutes();
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}

package io.spellci.core.ephemeral;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.hygiene.SweepRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-job tokens: made with the user's long-lived token at the start of a job, deleted by name at its end,
 * so what the job's steps see dies with the job. Only the name needs remembering between the two.
 */
public final class EphemeralTokens {
    /** Names tried when a create fails in a way that may have created the token anyway. */
    static final int CREATE_TRIES = 3;

    private final SpellApi api;
    private final AccessToken parent;

    public EphemeralTokens(SpellApi api, AccessToken parent) {
        this.api = Objects.requireNonNull(api, "api");
        this.parent = Objects.requireNonNull(parent, "parent");
    }

    /**
     * Told about every per-job token that may exist, so a front end can name it to the user: before its create is
     * sent, and when a token that may exist could not be deleted. Names are not secret; values never pass here.
     */
    public interface Listener {
        /** Says nothing: only for tests and callers with nobody to tell. */
        Listener NONE = new Listener() {
        };

        /** Called before the create of {@code name} is sent: from now on a token of that name may exist. */
        default void creating(String name) {
        }

        /** A token of that name may exist and its delete failed: the user must hear of it. */
        default void mayBeLeftAlive(String name, SpellApiException why) {
        }
    }

    /**
     * Creates a token named by {@code template} (prefix, life, Jenkins' controller) from {@code context}. A create that may have reached the
     * server without an answer is not repeated under the same name: that name is deleted (it may exist,
     * its value unknown to anyone) and a fresh one is tried. Every name whose delete failed goes to
     * {@code listener.mayBeLeftAlive}, on success and on failure alike.
     */
    public CreatedToken create(EphemeralTokenName.Template template, List<String> context, Listener listener)
            throws SpellApiException {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(listener, "listener");
        for (String part : context) {
            if (parent.isFoundIn(part)) {
                // Names are listed in clear by Spell and printed by every front end.
                throw new InvalidInputException("token name", "would contain the access token",
                        "leave the token out of the per-job token's name parts");
            }
        }
        SpellApiException last = null;
        for (int i = 0; i < CREATE_TRIES; i++) {
            if (i > 0 && Thread.currentThread().isInterrupted()) {
                break; // a stopped build: clean up, make no more
            }
            String name = template.newName(context);
            listener.creating(name);
            try {
                return api.createToken(parent, name);
            } catch (SpellApiException e) {
                last = e;
                if (e.kind() == SpellApiException.Kind.BAD_RESPONSE) {
                    // Answered 2xx: the token exists, but nobody can use its value; do not leave it alive.
                    compensate(name, listener);
                    throw e;
                }
                if (!e.outcomeUnknown()) {
                    throw e;
                }
                compensate(name, listener);
            }
        }
        throw last;
    }

    /**
     * Deletes a per-job token by name; one that is gone already counts as deleted. Names not made by
     * {@link EphemeralTokenName} are refused: this must never delete a person's long-lived token.
     */
    public void delete(String name) throws SpellApiException {
        deleteIfPresent(name);
    }

    /** {@link #delete}, telling whether the token was there: false when the API had no token of that name (404). */
    public boolean deleteIfPresent(String name) throws SpellApiException {
        if (parent.isFoundIn(name)) {
            throw new InvalidInputException("token name", "is or contains the access token",
                    "give the name of the per-job token to delete, as spell-ci printed it when creating it");
        }
        if (!EphemeralTokenName.isEphemeral(name)) {
            throw new InvalidInputException("token name", "'" + name + "' is not a per-job token made by spell-ci"
                    + " (those end in -tmp<hours>h- or -tmp- and 8 letters or digits)", "give a per-job token's name; delete other"
                    + " tokens with `spell access-tokens delete <name>`");
        }
        try {
            api.deleteToken(parent, name);
            return true;
        } catch (SpellApiException e) {
            if (e.kind() != SpellApiException.Kind.NOT_FOUND) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Deletes the listed tokens that {@code rule} lets go: per-job tokens of its prefix whose life has passed (in
     * Jenkins, also recorded and ended), left by a job whose clean-up never ran. Touches no other token.
     */
    public SweepResult sweep(SweepRule rule) throws SpellApiException {
        Objects.requireNonNull(rule, "rule");
        List<String> deleted = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Map<String, SpellApiException> reasons = new LinkedHashMap<>();
        List<SweepRule.Verdict> kept = new ArrayList<>();
        for (TokenInfo info : api.listTokens(parent)) {
            SweepRule.Verdict verdict = rule.judge(info);
            if (verdict.delete()) {
                try {
                    delete(info.name());
                    deleted.add(info.name());
                } catch (SpellApiException e) {
                    failed.add(info.name());
                    reasons.put(info.name(), e);
                }
            } else if (verdict.kind() != SweepRule.Kind.NOT_OURS) {
                kept.add(verdict);
            }
        }
        return new SweepResult(deleted, failed, reasons, kept);
    }

    /**
     * Deletes a token that may exist. It goes out even on an interrupted thread (a build aborted while its token
     * was being made), which must not leave that token behind; the interrupt is kept for the caller.
     */
    private void compensate(String name, Listener listener) {
        boolean interrupted = Thread.interrupted();
        try {
            delete(name);
        } catch (SpellApiException e) {
            listener.mayBeLeftAlive(name, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What a sweep did: names deleted, names whose delete failed and why each failed (when known), and the per-job
     * tokens of its prefix it kept, each with why (within its life, another controller's, its build not ended).
     */
    public record SweepResult(List<String> deleted, List<String> failed, Map<String, SpellApiException> reasons,
            List<SweepRule.Verdict> kept) {
        public SweepResult {
            deleted = List.copyOf(deleted);
            failed = List.copyOf(failed);
            reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
            kept = List.copyOf(kept);
        }

        public SweepResult(List<String> deleted, List<String> failed) {
            this(deleted, failed, Map.of(), List.of());
        }
    }
}

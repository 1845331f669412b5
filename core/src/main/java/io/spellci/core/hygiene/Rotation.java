package io.spellci.core.hygiene;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.hygiene.RotationException.Stage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces a long-lived token by a successor: create it with the old token, check it works for the owner, have the
 * caller store it. The old token is never deleted here at once: running jobs and copies elsewhere may still hold it.
 * {@link #rotate} hands back a {@link PendingDelete} for the caller to settle later; the two-step CLI deletes it with
 * {@link #finish}, which refuses while the old token is still being used. At every step a working token stays
 * stored: a successor that could not be checked or stored is deleted again. Token values never reach a message or
 * the {@link Listener}; one rotation per credential at a time is the caller's job.
 */
public final class Rotation {

    /** Successors are named {@code <base>-r<yyyyMMdd>}, then {@code -2}, {@code -3}... when that is taken. */
    private static final Pattern SUCCESSOR_SUFFIX = Pattern.compile("^(.+)-r(\\d{8})(?:-(\\d+))?$");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    /** Spell's limit on token names (the fake's too). */
    static final int MAX_NAME_LENGTH = 255;

    private final SpellApi api;
    private final Listener listener;

    public Rotation(SpellApi api, Listener listener) {
        this.api = Objects.requireNonNull(api, "api");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Told each step in one line, with names only; for the build log, the Jenkins log or the terminal. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void info(String line) {
        }

        default void warn(String line) {
        }
    }

    /** Puts the successor where the old token was (a credential, a secret); throwing leaves the old one in place. */
    @FunctionalInterface
    public interface Store {
        void store(CreatedToken successor) throws Exception;
    }

    /** A successor made and checked, not yet stored; {@code old} is the old token as listed before the create. */
    public record Prepared(TokenInfo old, CreatedToken successor) {
        public String oldName() {
            return old.name();
        }
    }

    /**
     * What a finished rotation did: the successor is stored, the old token still works and waits in
     * {@code pendingDelete}, which the caller persists and settles with {@link PendingDelete#decide}.
     */
    public record Result(String oldName, String newName, Instant rotatedAt, PendingDelete pendingDelete) {
    }

    /**
     * Prepare and store in one go, for stores the caller controls (a Jenkins credential). The old token is not
     * deleted: the result's pending delete says when it may be.
     */
    public Result rotate(AccessToken current, String currentName, Owner owner, Store store, Instant now)
            throws RotationException {
        Objects.requireNonNull(store, "store");
        Prepared prepared = prepare(current, currentName, owner, now);
        String newName = prepared.successor().name();
        try {
            store.store(prepared.successor());
        } catch (Exception e) {
            String cleanup = deleteQuietly(current, newName);
            String why = prepared.successor().token().redact(current.redact(message(e))); // a store may echo input
            throw new RotationException(Stage.STORE, "storing the new token '" + newName + "' failed (" + why
                    + "); " + cleanup + " The old token '" + currentName + "' still works and is still stored.", e);
        }
        listener.info("stored the new token '" + newName + "'; the old token '" + currentName + "' still works and"
                + " is deleted once nothing uses it any more");
        return new Result(currentName, newName, now, PendingDelete.of(prepared.old(), newName, now));
    }

    /**
     * Step one: makes and checks the successor of {@code currentName} (the token {@code current} must be that
     * token). Refuses when a successor exists already, so a repeated call never makes a third token.
     */
    public Prepared prepare(AccessToken current, String currentName, Owner owner, Instant now)
            throws RotationException {
        requireName(currentName, current);
        Objects.requireNonNull(owner, "owner");
        List<TokenInfo> tokens;
        try {
            tokens = api.listTokens(current);
        } catch (SpellApiException e) {
            throw new RotationException(Stage.CHECK, "could not list the tokens: " + e.getMessage()
                    + " Nothing was changed.", e);
        }
        TokenInfo self = TokenAudit.find(tokens, currentName);
        if (self == null) {
            throw new RotationException(Stage.CHECK, "token name '" + currentName + "' is not among this user's"
                    + " tokens: set it to the name `spell access-tokens list` shows for this token. Nothing was"
                    + " changed.", null);
        }
        Optional<TokenInfo> existing = successorOf(tokens, currentName);
        if (existing.isPresent()) {
            String name = existing.get().name();
            throw new RotationException(Stage.SUCCESSOR_EXISTS, "token '" + currentName + "' already has a successor, '"
                    + name + "' (created " + existing.get().createdAt() + "); no new token was made. Store that one and"
                    + " delete '" + currentName + "', or delete '" + name + "' with `spell access-tokens delete " + name
                    + "` and rotate again.", null);
        }
        Set<String> taken = new HashSet<>();
        tokens.forEach(t -> taken.add(t.name()));
        String newName = successorName(currentName, now, taken);
        listener.info("creating the new token '" + newName + "' to replace '" + currentName + "'");
        CreatedToken created;
        try {
            created = api.createToken(current, newName);
        } catch (SpellApiException e) {
            String cleanup = e.outcomeUnknown() || e.kind() == SpellApiException.Kind.BAD_RESPONSE
                    ? " " + deleteQuietly(current, newName) : "";
            throw new RotationException(Stage.CREATE, "creating the new token '" + newName + "' failed: "
                    + e.getMessage() + cleanup + " The old token '" + currentName + "' still works and is still"
                    + " stored.", e);
        }
        try {
            api.verify(created.token(), owner);
        } catch (SpellApiException | InvalidInputException e) {
            String cleanup = deleteQuietly(current, created.name());
            throw new RotationException(Stage.CREATE, "the new token '" + created.name() + "' does not work for owner '"
                    + owner.name() + "': " + e.getMessage() + " " + cleanup + " The old token '" + currentName
                    + "' still works and is still stored.", e);
        }
        listener.info("the new token '" + created.name() + "' works for owner '" + owner.name() + "'");
        return new Prepared(self, created);
    }

    /**
     * Step two of the two-step rotation: deletes {@code oldName}, authenticated with {@code token} (the successor),
     * only when it has a successor and, unless {@code force}, when nothing used it after that successor was made
     * ({@link Stage#STILL_USED}, naming the last use, otherwise).
     */
    public void finish(AccessToken token, String oldName, boolean force) throws RotationException {
        requireName(oldName, token);
        List<TokenInfo> tokens;
        try {
            tokens = api.listTokens(token);
        } catch (SpellApiException e) {
            throw new RotationException(Stage.DELETE_OLD, "could not list the tokens: " + e.getMessage()
                    + " Nothing was deleted.", e);
        }
        TokenInfo old = TokenAudit.find(tokens, oldName);
        if (old == null) {
            throw new RotationException(Stage.DELETE_OLD, "there is no token '" + oldName + "' (any more):"
                    + " nothing to delete.", null);
        }
        Optional<TokenInfo> successor = successorOf(tokens, oldName);
        if (successor.isEmpty()) {
            throw new RotationException(Stage.DELETE_OLD, "token '" + oldName + "' has no successor: make one"
                    + " first (rotate without --finish); nothing was deleted.", null);
        }
        Optional<Instant> used = usedAfter(old, successor.get());
        if (used.isPresent() && !force) {
            // This listing marked the calling token used: when the old one is the newest use, it may be the caller.
            Instant successorUse = successor.get().lastUsedAt();
            String hint = successorUse == null || !used.get().isBefore(successorUse)
                    ? " If SPELL_TOKEN holds the old token, this very call used it: run --finish with the new token."
                    : "";
            throw new RotationException(Stage.STILL_USED, "token '" + oldName + "' was last used " + used.get()
                    + ", after its successor '" + successor.get().name() + "' was made (" + successor.get().createdAt()
                    + "): something still uses it. Give that place the new token too, then finish again; --force"
                    + " deletes it anyway. Nothing was deleted." + hint, null);
        }
        deleteOld(token, oldName, false);
    }

    /**
     * The old token's last use when it came after {@code successor} was made (beyond the rotation's own calls,
     * {@link PendingDelete#OWN_USE}); empty when it has not been used since.
     */
    public static Optional<Instant> usedAfter(TokenInfo old, TokenInfo successor) {
        Instant last = old.lastUsedAt();
        return last != null && last.isAfter(successor.createdAt().plus(PendingDelete.OWN_USE))
                ? Optional.of(last) : Optional.empty();
    }

    /**
     * Deletes {@code oldName}, authenticated with {@code token}. With {@code requireSuccessor}, refuses
     * unless the old token has a successor, so that the user's only token is never deleted by mistake.
     */
    public void deleteOld(AccessToken token, String oldName, boolean requireSuccessor) throws RotationException {
        requireName(oldName, token);
        try {
            if (requireSuccessor) {
                List<TokenInfo> tokens = api.listTokens(token);
                if (TokenAudit.find(tokens, oldName) == null) {
                    throw new RotationException(Stage.DELETE_OLD, "there is no token '" + oldName + "' (any more):"
                            + " nothing to delete.", null);
                }
                if (successorOf(tokens, oldName).isEmpty()) {
                    throw new RotationException(Stage.DELETE_OLD, "token '" + oldName + "' has no successor: make one"
                            + " first (rotate without --finish); nothing was deleted.", null);
                }
            }
            api.deleteToken(token, oldName);
            listener.info("deleted the old token '" + oldName + "'");
        } catch (SpellApiException e) {
            if (e.kind() == SpellApiException.Kind.NOT_FOUND) {
                listener.info("the old token '" + oldName + "' was gone already");
                return;
            }
            throw new RotationException(Stage.DELETE_OLD, "deleting the old token '" + oldName + "' failed: "
                    + e.getMessage(), e);
        }
    }

    /** The successor's name: the base of {@code name} (without an earlier {@code -r<date>}) plus today's date, unique. */
    public static String successorName(String name, Instant now, Collection<String> taken) {
        String base = base(name);
        String day = LocalDate.ofInstant(now, ZoneOffset.UTC).format(DAY);
        int room = MAX_NAME_LENGTH - day.length() - 2 - 4;
        if (base.length() > room) {
            base = base.substring(0, room);
        }
        String candidate = base + "-r" + day;
        for (int n = 2; taken.contains(candidate) || candidate.equals(name); n++) {
            candidate = base + "-r" + day + "-" + n;
        }
        return candidate;
    }

    /** The name without a successor suffix: {@code ci-r20261201-2} and {@code ci} both have base {@code ci}. */
    static String base(String name) {
        Matcher m = SUCCESSOR_SUFFIX.matcher(name);
        return m.matches() ? m.group(1) : name;
    }

    /** A token made by a rotation of {@code name}: same base, made after it. */
    public static Optional<TokenInfo> successorOf(List<TokenInfo> tokens, String name) {
        TokenInfo self = TokenAudit.find(tokens, name);
        String base = base(name);
        return tokens.stream()
                .filter(t -> !t.name().equals(name))
                .filter(t -> SUCCESSOR_SUFFIX.matcher(t.name()).matches() && base(t.name()).equals(base))
                .filter(t -> self == null || !t.createdAt().isBefore(self.createdAt()))
                .findFirst();
    }

    private String deleteQuietly(AccessToken token, String name) {
        try {
            api.deleteToken(token, name);
            listener.info("deleted the new token '" + name + "' again");
            return "The new token '" + name + "' was deleted again.";
        } catch (SpellApiException e) {
            if (e.kind() == SpellApiException.Kind.NOT_FOUND) {
                return "No token '" + name + "' was left behind.";
            }
            listener.warn("the new token '" + name + "' may be left behind: " + e.getMessage());
            return "The new token '" + name + "' may be left behind (" + e.getMessage() + "): delete it with"
                    + " `spell access-tokens delete " + name + "`.";
        }
    }

    private static void requireName(String name, AccessToken token) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("token name", "is empty",
                    "set it to the name `spell access-tokens list` shows for this token");
        }
        if (token != null) {
            token.requireNotIn(name, "token name", "give the token's name, never its value");
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

package io.spellci.core.hygiene;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.CreatedToken;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import io.spellci.core.hygiene.RotationException.Stage;
import java.time.Duration;
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
 * caller store it, then delete the old one by name. At every step a working token stays stored: a successor that
 * could not be checked or stored is deleted again, and a failed delete of the old token only warns. Token values
 * never reach a message or the {@link Listener}; one rotation per credential at a time is the caller's job.
 */
public final class Rotation {

    /** Successors are named {@code <base>-r<yyyyMMdd>}, then {@code -2}, {@code -3}... when that is taken. */
    private static final Pattern SUCCESSOR_SUFFIX = Pattern.compile("^(.+)-r(\\d{8})(?:-(\\d+))?$");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    /** Spell's limit on token names (the fake's too). */
    static final int MAX_NAME_LENGTH = 255;
    /**
     * The named token must have been used about when this rotation listed the tokens (with the token being rotated):
     * a Token name that belongs to another token must not get that other token deleted.
     */
    static final Duration SAME_TOKEN_SLACK = Duration.ofMinutes(5);

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

    /** A successor made and checked, not yet stored. */
    public record Prepared(String oldName, CreatedToken successor) {
    }

    /**
     * What a finished rotation did.
     *
     * @param oldDeleteError why the old token could not be deleted (it still works; delete it by name), or null
     */
    public record Result(String oldName, String newName, Instant rotatedAt, String oldDeleteError) {
        public boolean oldDeleted() {
            return oldDeleteError == null;
        }
    }

    /** Everything in one go, for stores the caller controls (a Jenkins credential): prepare, store, delete the old. */
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
        listener.info("stored the new token '" + newName + "'");
        String error = null;
        try {
            deleteOld(prepared.successor().token(), currentName, false);
        } catch (RotationException e) {
            error = e.getMessage();
            listener.warn("the old token '" + currentName + "' could not be deleted and still works: " + error
                    + " Delete it with `spell access-tokens delete " + currentName + "`.");
        }
        return new Result(currentName, newName, now, error);
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
        if (!looksLikeCaller(self, tokens)) {
            throw new RotationException(Stage.CHECK, "token name '" + currentName + "' seems to belong to another"
                    + " token of this user (it was not used by this call): set it to the name of this very token, or"
                    + " it would be deleted. Nothing was changed.", null);
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
        return new Prepared(currentName, created);
    }

    /**
     * Step two: deletes {@code oldName}, authenticated with {@code token}. With {@code requireSuccessor}, refuses
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

    private static boolean looksLikeCaller(TokenInfo self, List<TokenInfo> tokens) {
        if (self.lastUsedAt() == null) {
            return false;
        }
        Instant newest = self.lastUsedAt();
        for (TokenInfo t : tokens) {
            if (t.lastUsedAt() != null && t.lastUsedAt().isAfter(newest)) {
                newest = t.lastUsedAt();
            }
        }
        return !self.lastUsedAt().plus(SAME_TOKEN_SLACK).isBefore(newest);
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

package io.spellci.fakeapi;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A Spell user known to a {@link FakeSpellApi}: the data that {@code GET v1/users/me} returns.
 *
 * <p>Organizations become {@code memberships} with the role {@code member}. A user that is
 * {@linkplain #admin() an admin} may act for any owner (the fake only reports the flag; the
 * owner check is the client's job).
 *
 * @param userName the user name, also an owner the user may act for; required, no whitespace or {@code /}
 * @param email the e-mail address; required
 * @param admin whether the user is a Spell admin ({@code is_admin})
 * @param organizations names of the organizations the user belongs to, in order, without duplicates
 * @param fullName the optional full name ({@code full_name}), or {@code null}
 * @param createdAt when the user was created, or {@code null} for "when the fake is built"
 */
public record FakeUser(String userName, String email, boolean admin, List<String> organizations,
                       String fullName, Instant createdAt) {

    public FakeUser {
        requireName(userName, "user_name");
        Objects.requireNonNull(email, "email");
        if (email.isBlank()) {
            throw new IllegalArgumentException("email of user '" + userName + "' is empty: give the user an e-mail address");
        }
        organizations = List.copyOf(organizations == null ? List.of() : organizations);
        for (String organization : organizations) {
            requireName(organization, "organization of user '" + userName + "'");
        }
        if (new LinkedHashSet<>(organizations).size() != organizations.size()) {
            throw new IllegalArgumentException("organizations of user '" + userName + "' repeat a name: list each organization once");
        }
    }

    /** A user with the given name, e-mail address and organizations; not an admin. */
    public static FakeUser of(String userName, String email, String... organizations) {
        return new FakeUser(userName, email, false, Arrays.asList(organizations), null, null);
    }

    /** A user named {@code userName} with the e-mail address {@code <userName>@example.com}. */
    public static FakeUser named(String userName) {
        return of(userName, userName + "@example.com");
    }

    /** This user with the admin flag set. */
    public FakeUser asAdmin() {
        return withAdmin(true);
    }

    public FakeUser withAdmin(boolean isAdmin) {
        return new FakeUser(userName, email, isAdmin, organizations, fullName, createdAt);
    }

    public FakeUser withOrganizations(String... names) {
        return new FakeUser(userName, email, admin, Arrays.asList(names), fullName, createdAt);
    }

    public FakeUser withFullName(String name) {
        return new FakeUser(userName, email, admin, organizations, name, createdAt);
    }

    public FakeUser withCreatedAt(Instant instant) {
        return new FakeUser(userName, email, admin, organizations, fullName, instant);
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " is empty: give a name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '/') {
                throw new IllegalArgumentException(what + " '" + name.strip()
                        + "' contains whitespace, a control character or '/': use a plain name");
            }
        }
    }
}

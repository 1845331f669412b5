package io.spellci.core.api;

import io.spellci.core.credentials.Owner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The user an access token belongs to, as {@code GET v1/users/me} tells. */
public record SpellUser(String userName, String email, boolean admin, List<String> organizations) {

    public SpellUser {
        Objects.requireNonNull(userName, "userName");
        email = email == null ? "" : email;
        organizations = List.copyOf(organizations);
    }

    /** The owners this user's token may act for: their own name, then their organizations. */
    public List<String> allowedOwners() {
        List<String> owners = new ArrayList<>(organizations.size() + 1);
        owners.add(userName);
        for (String organization : organizations) {
            if (!owners.contains(organization)) {
                owners.add(organization);
            }
        }
        return List.copyOf(owners);
    }

    /** Spell admins may act for any owner; everyone else for themselves and their organizations. */
    public boolean mayActFor(Owner owner) {
        return admin || allowedOwners().contains(owner.name());
    }
}

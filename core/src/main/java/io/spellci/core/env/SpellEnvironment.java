package io.spellci.core.env;

import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that decides what a front end exports: the token (secret) and the owner (public), plus
 * {@code SPELL_BASE_URL} and {@code SPELL_API_URL} (public), always: whatever default a Spell client was built
 * with (on-prem builds have their own), it then calls exactly the host spell-ci checked.
 */
public final class SpellEnvironment {
    private final List<Variable> variables;

    private SpellEnvironment(List<Variable> variables) {
        this.variables = List.copyOf(variables);
    }

    public static SpellEnvironment of(AccessToken token, Owner owner, ApiUrl apiUrl, VariableNames names) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(names, "names");
        owner.requireDistinctFrom(token);
        if (token.isFoundIn(apiUrl.toString())) {
            // Exported in clear as SPELL_BASE_URL and SPELL_API_URL; the message does not echo it.
            throw new InvalidInputException("api-url", "contains the access token",
                    "set the API URL to the Spell API's base URL; the access token goes in its own input");
        }
        List<Variable> list = new ArrayList<>(4);
        list.add(new Variable(names.token(), token.reveal(), true));
        list.add(new Variable(names.owner(), owner.name(), false));
        list.add(new Variable(SpellVariables.BASE_URL, apiUrl.toString(), false));
        list.add(new Variable(SpellVariables.API_URL, apiUrl.toString(), false));
        return new SpellEnvironment(list);
    }

    public static SpellEnvironment of(AccessToken token, Owner owner, ApiUrl apiUrl) {
        return of(token, owner, apiUrl, VariableNames.defaults());
    }

    /** In export order: token, owner, {@code SPELL_BASE_URL}, {@code SPELL_API_URL}. */
    public List<Variable> variables() {
        return variables;
    }

    /** Name to value of the variables to mask: just the token. */
    public Map<String, String> secretVariables() {
        return select(true);
    }

    /** Name to value of the variables safe to show: the owner and the API URLs. */
    public Map<String, String> publicVariables() {
        return select(false);
    }

    private Map<String, String> select(boolean secret) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Variable variable : variables) {
            if (variable.secret() == secret) {
                map.put(variable.name(), variable.value());
            }
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public String toString() {
        return "SpellEnvironment" + variables;
    }
}

package io.spellci.action.github;

import io.spellci.core.InvalidInputException;
import io.spellci.core.credentials.AccessToken;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional token hygiene inputs: {@code token-name} (the token's name in Spell) and {@code max-token-age-days}
 * (warn past this age; 0 or absent: no warning). Without a name nothing is called and nothing extra is loaded.
 *
 * @param tokenName null when not given
 * @param maxAgeDays 0 when not given
 * @param maxAgeWithoutName max-token-age-days was set without token-name: a warning, never a failed job
 */
public record TokenAgeInputs(String tokenName, int maxAgeDays, boolean maxAgeWithoutName) {

    /** The inputs, or the problems with them, naming the input and the fix; never quoting the token. */
    static TokenAgeInputs parse(Inputs in, AccessToken token, List<InvalidInputException> problems) {
        List<InvalidInputException> found = new ArrayList<>();
        String name = in.get(ActionInputs.TOKEN_NAME);
        if (token != null && token.isFoundIn(name)) {
            found.add(new InvalidInputException(ActionInputs.TOKEN_NAME, "is or contains the access token",
                    "set token-name to the token's name as `spell access-tokens list` shows it; the token goes in the"
                            + " token input only"));
            name = "";
        }
        String rawDays = in.get(ActionInputs.MAX_TOKEN_AGE_DAYS);
        int days = 0;
        if (token != null && token.isFoundIn(rawDays)) {
            found.add(new InvalidInputException(ActionInputs.MAX_TOKEN_AGE_DAYS, "contains the access token",
                    "set max-token-age-days to a number of days, and the token in the token input only"));
        } else if (!rawDays.isEmpty()) {
            try {
                days = Integer.parseInt(rawDays);
                if (days < 0 || days > 3650) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                found.add(new InvalidInputException(ActionInputs.MAX_TOKEN_AGE_DAYS, "is not a whole number of days"
                        + " between 0 and 3650", "use e.g. 90 (0 or empty: no warning)"));
            }
        }
        problems.addAll(found);
        return new TokenAgeInputs(name.isEmpty() ? null : name, days, days > 0 && name.isEmpty());
    }
}

package io.jenkins.plugins.spell;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.spellci.core.InvalidInputException;
import io.spellci.core.credentials.Owner;
import io.spellci.core.env.VariableNames;

/** Form checks shared by the binding and the step. The rules and messages are core's. */
final class SpellForms {

    private SpellForms() {}

    /**
     * Checks both variable names together (they must differ) and shows a problem on the field it concerns.
     *
     * @param field {@code "variable"} or {@code "ownerVariable"}: the field being checked
     */
    static FormValidation checkVariables(
            @CheckForNull Item item, @CheckForNull String variable, @CheckForNull String ownerVariable, String field) {
        if (!SpellCredentialsListing.mayList(item)) {
            return FormValidation.ok();
        }
        try {
            VariableNames.of(variable, ownerVariable);
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            boolean aboutOwner = e.field().startsWith("owner");
            boolean checkingOwner = field.equals("ownerVariable");
            return aboutOwner == checkingOwner ? FormValidation.error(e.getMessage()) : FormValidation.ok();
        }
    }

    /** The optional owner override: blank keeps the credential's owner. */
    static FormValidation checkOwnerOverride(@CheckForNull Item item, @CheckForNull String value) {
        if (!SpellCredentialsListing.mayList(item) || Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        try {
            Owner.of(value, "owner");
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}

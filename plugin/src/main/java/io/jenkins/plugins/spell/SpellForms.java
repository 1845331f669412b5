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
     * Checks both variable names together, as core does at bind time (each must be a safe name, and they
     * must differ); core's message names the field it is about.
     */
    static FormValidation checkVariables(
            @CheckForNull Item item, @CheckForNull String variable, @CheckForNull String ownerVariable) {
        if (!SpellCredentialsListing.mayList(item)) {
            return FormValidation.ok();
        }
        try {
            VariableNames.of(variable, ownerVariable);
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
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

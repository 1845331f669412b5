package io.jenkins.plugins.spell;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.spellci.core.InvalidInputException;
import io.spellci.core.credentials.Owner;
import io.spellci.core.env.VariableNames;
import net.sf.json.JSONObject;

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

    /**
     * The {@code validate} choices of the step's and the binding's forms. A checkbox could only say yes or no, so
     * every saved form froze the global default of that day into the job; the first choice leaves it unset.
     */
    static ListBoxModel validateItems() {
        ListBoxModel items = new ListBoxModel();
        items.add(Messages.SpellForms_validateGlobal(), "");
        items.add(Messages.SpellForms_validateYes(), "true");
        items.add(Messages.SpellForms_validateNo(), "false");
        return items;
    }

    /** Stapler would bind the form's "" to {@code false}; not chosen is no value at all. */
    static JSONObject dropUnsetValidate(JSONObject formData) {
        for (String optional : new String[] {"validate", "longestBuildHours"}) {
            Object value = formData.opt(optional);
            if (value instanceof String text && text.isBlank()) {
                formData.remove(optional); // an empty field: the global setting, not a value
            }
        }
        return formData;
    }
}

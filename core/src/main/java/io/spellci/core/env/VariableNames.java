package io.spellci.core.env;

import io.spellci.core.InvalidInputException;
import java.util.Locale;
import java.util.Set;

/**
 * The names under which the token and the owner are exported; front ends let users rename them.
 * Names that would let a value hijack a program loader or shell are refused.
 */
public record VariableNames(String token, String owner) {
    /** Variables that load code into programs the job runs: a token there would be executed or break the job. */
    private static final Set<String> FORBIDDEN = Set.of("NODE_OPTIONS", "LD_PRELOAD", "LD_LIBRARY_PATH",
            "LD_AUDIT", "DYLD_INSERT_LIBRARIES", "DYLD_LIBRARY_PATH", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS", "BASH_ENV", "ENV", "PATH", "PYTHONPATH", "PYTHONSTARTUP", "PERL5OPT", "RUBYOPT",
            "PS4", "PROMPT_COMMAND", "HOME", "SHELL", "IFS",
            // Windows (names are case-insensitive there): the shell, what runs as a program, where DLLs and modules load
            "COMSPEC", "PATHEXT", "SYSTEMROOT", "WINDIR", "PSMODULEPATH", "SYSTEMDRIVE", "TEMP", "TMP", "USERPROFILE",
            "APPDATA", "LOCALAPPDATA", "PROGRAMDATA", "PROGRAMFILES");

    private static final VariableNames DEFAULTS = new VariableNames(SpellVariables.TOKEN, SpellVariables.OWNER);

    public VariableNames {
        check(token, "token variable");
        check(owner, "owner variable");
        if (token.equalsIgnoreCase(owner)) {
            throw new InvalidInputException("owner variable", "is the same name as the token variable (" + owner + ")",
                    "give the two variables different names, e.g. SPELL_TOKEN and SPELL_OWNER");
        }
        for (String reserved : new String[] {SpellVariables.BASE_URL, SpellVariables.API_URL}) {
            if (token.equalsIgnoreCase(reserved) || owner.equalsIgnoreCase(reserved)) {
                throw new InvalidInputException(token.equalsIgnoreCase(reserved) ? "token variable" : "owner variable",
                        "is " + reserved + ", which spell-ci sets to the API URL",
                        "choose another name, e.g. SPELL_TOKEN or SPELL_OWNER");
            }
        }
    }

    public static VariableNames defaults() {
        return DEFAULTS;
    }

    /** Names given by a user; a null or blank one keeps its default. Trims. */
    public static VariableNames of(String token, String owner) {
        return new VariableNames(
                token == null || token.isBlank() ? SpellVariables.TOKEN : token.strip(),
                owner == null || owner.isBlank() ? SpellVariables.OWNER : owner.strip());
    }

    private static void check(String name, String field) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException(field, "is empty", "leave it out to use the default, or give a name");
        }
        if (!isPortableName(name)) {
            throw new InvalidInputException(field, "is not a valid environment variable name (" + printable(name) + ")",
                    "use letters, digits and _ only, not starting with a digit, e.g. SPELL_TOKEN");
        }
        if (FORBIDDEN.contains(name.toUpperCase(Locale.ROOT))) {
            throw new InvalidInputException(field, "is " + name + ", which programs read as code or search paths",
                    "choose a name of your own, e.g. SPELL_TOKEN");
        }
    }

    /** {@code [A-Za-z_][A-Za-z0-9_]*}, checked by hand: a regex costs a CI step's start-up more than it is worth. */
    private static boolean isPortableName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    private static String printable(String name) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}

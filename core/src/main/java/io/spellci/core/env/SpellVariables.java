package io.spellci.core.env;

/** The variables Spell's Python client and CLI read. */
public final class SpellVariables {
    /** The access token, sent as the Bearer token. Secret. */
    public static final String TOKEN = "SPELL_TOKEN";
    /** The owner to act for; Spell's client refuses a token without it. */
    public static final String OWNER = "SPELL_OWNER";
    /** The API base URL for the Python client's {@code from_environment()}. */
    public static final String BASE_URL = "SPELL_BASE_URL";
    /** The API base URL for the Spell CLI. */
    public static final String API_URL = "SPELL_API_URL";

    private SpellVariables() {
    }
}

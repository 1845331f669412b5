package io.jenkins.plugins.spell.hygiene;

import java.util.List;

/**
 * One credential that needs attention, as the monitor lists it: where it is, whose token, how old, last use, what is
 * wrong and what to do. Ids, names and dates only.
 */
public final class SpellHygieneEntry {
    private final String key;
    private final String credentialId;
    private final String store;
    /** Relative to the root URL, e.g. {@code manage/credentials/store/system/domain/_/credential/spell-ci/}. */
    private final String link;
    private final String owner;
    private final String tokenName;
    private final String age;
    private final String lastUse;
    private final List<String> problems;
    private final String todo;

    SpellHygieneEntry(String key, String credentialId, String store, String link, String owner, String tokenName,
            String age, String lastUse, List<String> problems, String todo) {
        this.key = key;
        this.credentialId = credentialId;
        this.store = store;
        this.link = link;
        this.owner = owner;
        this.tokenName = tokenName;
        this.age = age;
        this.lastUse = lastUse;
        this.problems = new java.util.ArrayList<>(problems); // XStream cannot write the JDK's immutable lists
        this.todo = todo;
    }

    public String getKey() {
        return key;
    }

    public String getCredentialId() {
        return credentialId;
    }

    public String getStore() {
        return store;
    }

    public String getLink() {
        return link;
    }

    public String getOwner() {
        return owner;
    }

    public String getTokenName() {
        return tokenName;
    }

    public String getAge() {
        return age;
    }

    public String getLastUse() {
        return lastUse;
    }

    public List<String> getProblems() {
        return problems;
    }

    public String getTodo() {
        return todo;
    }

    @Override
    public String toString() {
        return credentialId + " (" + store + "): " + String.join(", ", problems) + "; " + todo;
    }
}

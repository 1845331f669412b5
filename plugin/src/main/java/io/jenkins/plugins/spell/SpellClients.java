package io.jenkins.plugins.spell;

import io.jenkins.plugins.okhttp.api.JenkinsOkHttpClient;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.Identity;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import okhttp3.OkHttpClient;

/** Builds core's {@link SpellApi} on OkHttp clients that follow Jenkins' proxy settings. */
final class SpellClients {

    /** The user agent says {@code spell-ci/<version> (jenkins)}. */
    static final String FRONT_END = "jenkins";

    /** One base client, so every derived client shares its connection pool and dispatcher. */
    private static final OkHttpClient BASE = new OkHttpClient();

    private SpellClients() {}

    /**
     * A client for {@code apiUrl}. {@link JenkinsOkHttpClient#newClientBuilder} is called each time so that
     * a proxy changed in "Manage Jenkins" applies to the next call.
     */
    static SpellApi open(ApiUrl apiUrl) {
        return SpellApi.builder()
                .apiUrl(apiUrl)
                .frontEnd(FRONT_END)
                .httpClient(JenkinsOkHttpClient.newClientBuilder(BASE).build())
                .build();
    }

    static Identity verify(ApiUrl apiUrl, AccessToken token, Owner owner) throws SpellApiException {
        try (SpellApi api = open(apiUrl)) {
            return api.verify(token, owner);
        }
    }
}

package io.jenkins.plugins.spell;

import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

import io.jenkins.plugins.okhttp.api.JenkinsOkHttpClient;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.Identity;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.credentials.Owner;
import java.time.Duration;
import okhttp3.OkHttpClient;

/** Builds core's {@link SpellApi} on OkHttp clients that follow Jenkins' proxy settings. */
@Restricted(NoExternalUse.class)
public final class SpellClients {

    /** The user agent says {@code spell-ci/<version> (jenkins)}. */
    static final String FRONT_END = "jenkins";

    /** One base client, so every derived client shares its connection pool and dispatcher. */
    private static final OkHttpClient BASE = new OkHttpClient();

    private SpellClients() {}

    /**
     * A client for {@code apiUrl}. {@link JenkinsOkHttpClient#newClientBuilder} is called each time so that
     * a proxy changed in "Manage Jenkins" applies to the next call.
     */
    public static SpellApi open(ApiUrl apiUrl) {
        return SpellApi.builder()
                .apiUrl(apiUrl)
                .frontEnd(FRONT_END)
                .httpClient(JenkinsOkHttpClient.newClientBuilder(BASE).build())
                .build();
    }

    /**
     * A client for the background check (pass {@link RetryPolicy#backgroundCheck()}: it stops at the first failure
     * anyway) and for clean-up calls that must not hold up a build's end.
     */
    public static SpellApi openShort(ApiUrl apiUrl, RetryPolicy policy) {
        return SpellApi.builder()
                .apiUrl(apiUrl)
                .frontEnd(FRONT_END)
                .httpClient(JenkinsOkHttpClient.newClientBuilder(BASE).build())
                .retryPolicy(policy)
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * The message of a failed call; when it went to the default URL, where Spell's hosted API no longer answers,
     * it also says where an administrator sets the URL of their own Spell API.
     */
    static String explain(ApiUrl apiUrl, SpellApiException e) {
        return apiUrl.isDefault()
                ? Messages.SpellClients_defaultUrl(e.getMessage(), ApiUrl.DEFAULT_NO_LONGER_ANSWERS)
                : e.getMessage();
    }

    static Identity verify(ApiUrl apiUrl, AccessToken token, Owner owner) throws SpellApiException {
        try (SpellApi api = open(apiUrl)) {
            return api.verify(token, owner);
        }
    }
}

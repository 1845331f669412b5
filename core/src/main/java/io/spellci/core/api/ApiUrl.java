package io.spellci.core.api;

import io.spellci.core.InvalidInputException;
import io.spellci.core.host.HostName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The Spell API's base URL; requests go to {@code <base>/v1/...}. The hosted service is gone, so it is
 * always configurable. Plain {@code http://} is refused except on loopback: the token would travel in clear.
 */
public final class ApiUrl {
    /** The last Spell client's (0.48.9) default, {@code spell/deployment_constants.py}; 0.41.x used api.spell.ml. */
    public static final String DEFAULT = "https://api.spell.run";

    /**
     * A fact front ends add to a failed call made to {@link #DEFAULT}: it is Spell's own address, but the hosted
     * service no longer answers there, so whoever sees the failure must point spell-ci at their Spell API.
     */
    public static final String DEFAULT_NO_LONGER_ANSWERS =
            "Spell's hosted API at " + DEFAULT + " no longer answers";

    private static final ApiUrl DEFAULT_URL = new ApiUrl(URI.create(DEFAULT));

    private final URI uri;

    private ApiUrl(URI uri) {
        this.uri = uri;
    }

    public static ApiUrl defaultUrl() {
        return DEFAULT_URL;
    }

    public static ApiUrl of(String raw) {
        return of(raw, "api-url");
    }

    /**
     * The URL from a setting every front end reads the same way (an option, an environment variable, an action
     * input): not set ({@code null}) means the default; set but blank is refused, naming {@code source}, since it is
     * what an unset CI variable expands to, and the default would send the token to an API nobody chose.
     */
    public static ApiUrl ofSetting(String raw, String source) {
        if (raw == null) {
            return DEFAULT_URL;
        }
        if (raw.isBlank()) {
            throw new InvalidInputException(source, "is empty", "give the Spell API's base URL (e.g. " + DEFAULT
                    + ") or leave " + source + " out; an empty value is refused rather than replaced by a default,"
                    + " so that the access token never goes to another API by accident");
        }
        return of(raw, source);
    }

    /**
     * Parses a base URL given as the input called {@code field}; blank means the default (a form field left empty,
     * as in Jenkins' configuration). Front ends reading a setting that may be absent use {@link #ofSetting}.
     */
    public static ApiUrl of(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_URL;
        }
        String text = raw.strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, "is not a URL (" + e.getReason() + ")",
                    "set it to the Spell API's base URL, e.g. " + DEFAULT);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new InvalidInputException(field, "must start with https://",
                    "set it to the Spell API's base URL, e.g. " + DEFAULT);
        }
        if (uri.getRawUserInfo() != null) {
            // Never echo the URL here: its user-info part may be a password.
            throw new InvalidInputException(field, "contains a user name or password before the host",
                    "remove the user-info part; spell-ci authenticates with the access token only");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new InvalidInputException(field, "has no host",
                    "set it to the Spell API's base URL, e.g. " + DEFAULT);
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            // java.net.URI takes any digits; OkHttp would refuse them later with a bare "Invalid URL port".
            throw new InvalidInputException(field, "has a port outside 1 to 65535 (" + uri.getPort() + ")",
                    "give the API's real port or none, e.g. " + DEFAULT);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // Not echoed: a query string is where people put other secrets.
            throw new InvalidInputException(field, "has a query (?...) or fragment (#...)",
                    "set it to the base URL alone, e.g. " + DEFAULT);
        }
        if (scheme.equals("http") && !HostName.isLoopback(host)) {
            throw new InvalidInputException(field, "uses plain http:// for a host that is not loopback (" + host + ")",
                    "use https:// so the access token does not travel in clear (http:// is accepted only for"
                            + " loopback hosts: localhost, 127.0.0.0/8 and ::1, e.g. a local fake API)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith("/v1") || path.equals("/v1")) {
            throw new InvalidInputException(field, "ends in /v1 (" + text + ")",
                    "leave /v1 out: spell-ci adds it, so set the base URL, e.g. " + DEFAULT);
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String normalized = scheme + "://" + hostPart.toLowerCase(Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path;
        return normalized.equals(DEFAULT) ? DEFAULT_URL : new ApiUrl(URI.create(normalized));
    }

    public boolean isDefault() {
        return this == DEFAULT_URL || uri.equals(DEFAULT_URL.uri);
    }

    public URI uri() {
        return uri;
    }

    public String host() {
        return uri.getHost();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiUrl other && uri.equals(other.uri);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    /** The normalized base URL, without a trailing slash. */
    @Override
    public String toString() {
        return uri.toString();
    }
}

package io.spellci.core.net;

import io.spellci.core.InvalidInputException;
import io.spellci.core.host.HostName;
import io.spellci.core.host.IpLiteral;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP proxy the environment names for one URL scheme, as curl and Python's requests read it: {@code https_proxy}
 * or {@code HTTPS_PROXY} for https API URLs, {@code http_proxy} or {@code HTTP_PROXY} for http ones, and
 * {@code no_proxy} / {@code NO_PROXY} ({@link NoProxy}). The lower-case variable wins when both are set; an empty one
 * counts as unset. A proxy is {@code http://[user:password@]host[:port]} (port 80 by default) or the same without
 * {@code http://}; user and password are percent-decoded. Loopback hosts are never proxied.
 *
 * <p>Pure JDK, so that reading it loads no HTTP client. No message and no {@code toString} holds the credentials
 * or the variable's raw value.
 */
public final class ProxySettings {
    private static final ProxySettings NONE = new ProxySettings(null, null, 0, null, null, NoProxy.none(), null);

    private final String variable;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final NoProxy noProxy;
    private final String noProxyVariable;

    private ProxySettings(String variable, String host, int port, String user, String password, NoProxy noProxy,
            String noProxyVariable) {
        this.variable = variable;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.noProxy = noProxy;
        this.noProxyVariable = noProxyVariable;
    }

    /** No proxy: every connection is direct. */
    public static ProxySettings none() {
        return NONE;
    }

    /**
     * The proxy for API URLs of {@code scheme} ({@code https} or {@code http}) from {@code env}; only that scheme's
     * variable is read, so a broken {@code HTTP_PROXY} does not fail calls to an https API.
     *
     * @throws InvalidInputException naming the variable when the proxy is not an http:// proxy address
     */
    public static ProxySettings fromEnvironment(Map<String, String> env, String scheme) {
        Objects.requireNonNull(env, "env");
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("https") && !s.equals("http")) {
            throw new IllegalArgumentException("scheme must be http or https, was " + scheme);
        }
        String proxyVariable = pick(env, s + "_proxy");
        String noProxyVariable = pick(env, "no_proxy");
        if (proxyVariable == null) {
            return NONE;
        }
        NoProxy noProxy = noProxyVariable == null ? NoProxy.none() : NoProxy.parse(env.get(noProxyVariable));
        return parse(proxyVariable, env.get(proxyVariable), noProxy, noProxyVariable);
    }

    /** The lower-case name if set and not blank, else the upper-case one if so, else null. */
    private static String pick(Map<String, String> env, String lower) {
        String upper = lower.toUpperCase(Locale.ROOT);
        if (!isBlank(env.get(lower))) {
            return lower;
        }
        return isBlank(env.get(upper)) ? null : upper;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    static ProxySettings parse(String variable, String raw, NoProxy noProxy, String noProxyVariable) {
        String fix = "set " + variable + " to the proxy's address, e.g. http://proxy.example.com:3128 or"
                + " http://user:password@proxy.example.com:3128";
        String text = raw.strip();
        int schemeEnd = text.indexOf("://");
        if (schemeEnd >= 0) {
            String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (scheme.startsWith("socks")) {
                throw new InvalidInputException(variable, "names a SOCKS proxy, which spell-ci does not support",
                        "use the address of an HTTP proxy instead, e.g. http://proxy.example.com:3128");
            }
            if (scheme.equals("https")) {
                throw new InvalidInputException(variable, "starts with https://, a TLS connection to the proxy"
                        + " itself, which spell-ci does not support", "use the proxy's http:// address, e.g."
                        + " http://proxy.example.com:3128 (calls to an https API stay encrypted end to end through"
                        + " the proxy's tunnel)");
            }
            if (!scheme.equals("http")) {
                String shown = scheme.matches("[a-z][a-z0-9+.-]{0,15}") ? " (" + scheme + "://)" : "";
                throw new InvalidInputException(variable, "is not an http:// proxy address" + shown, fix);
            }
            text = text.substring(schemeEnd + 3);
        }
        int slash = text.indexOf('/');
        String authority = slash < 0 ? text : text.substring(0, slash);
        String path = slash < 0 ? "" : text.substring(slash);
        if (path.indexOf('@') >= 0) {
            throw new InvalidInputException(variable, "has a / in its user name or password",
                    "percent-encode it as %2F (and @ as %40, : as %3A, % as %25)");
        }
        if (!path.isEmpty() && !path.equals("/")) {
            // Not echoed: the value may hold a password. A path is typically a PAC file's URL.
            throw new InvalidInputException(variable, "has a path after the host (a PAC file's URL is not a proxy"
                    + " address)", fix);
        }
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), variable);
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1), variable);
            if (user.isEmpty()) {
                throw new InvalidInputException(variable, "has a password but no user name before the host",
                        "write the credentials as http://user:password@host:port");
            }
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new InvalidInputException(variable, "has an IPv6 address without its closing ]", fix);
            }
            host = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (IpLiteral.parse(host) == null || host.indexOf(':') < 0) {
                throw new InvalidInputException(variable, "has an invalid IPv6 address in [ ]", fix);
            }
            if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new InvalidInputException(variable, "has text after the IPv6 address that is not a :port", fix);
            }
            host = "[" + host.toLowerCase(Locale.ROOT) + "]";
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty()) {
                throw new InvalidInputException(variable, "has no host", fix);
            }
            if (!host.matches("[A-Za-z0-9._-]+")) {
                throw new InvalidInputException(variable, "has a host with characters a host name cannot have"
                        + " (a space, or a user name or password that needs percent-encoding?)", fix
                        + "; percent-encode @ : / % and spaces in the user name and password");
            }
            host = host.toLowerCase(Locale.ROOT);
        }
        int port = 80;
        if (portText != null) {
            if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
                throw new InvalidInputException(variable, "has a port that is not a number from 1 to 65535", fix);
            }
            port = Integer.parseInt(portText);
        }
        return new ProxySettings(variable, host, port, user, password, noProxy, noProxyVariable);
    }

    /** RFC 3986 percent-decoding as UTF-8; unlike URLDecoder, '+' stays '+'. */
    private static String decode(String text, String variable) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '%') {
                out.write(bytes[i]);
                continue;
            }
            int high = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
            int low = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
            if (high < 0 || low < 0) {
                throw new InvalidInputException(variable, "has a % in its user name or password that is not"
                        + " followed by two hex digits", "percent-encode the credentials: % as %25, @ as %40,"
                        + " : as %3A, / as %2F");
            }
            out.write(high * 16 + low);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Whether a proxy is configured for this scheme at all. */
    public boolean isSet() {
        return variable != null;
    }

    /** The environment variable the proxy came from, as spelt there ({@code https_proxy} or {@code HTTPS_PROXY}). */
    public String variable() {
        return variable;
    }

    /** The NO_PROXY variable that was read, or null. */
    public String noProxyVariable() {
        return noProxyVariable;
    }

    /** The proxy's host: a name, an IPv4 address or an IPv6 address in brackets. Null when {@link #isSet()} is false. */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean hasCredentials() {
        return user != null;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** The proxy as it may be printed: {@code http://host:port}, without user name or password. */
    public String proxyUrl() {
        return isSet() ? "http://" + host + ":" + port : "";
    }

    /** Loopback hosts and NO_PROXY matches are reached directly; so is everything when no proxy is set. */
    public boolean isDirect(String targetHost, int targetPort) {
        return !isSet() || HostName.isLoopback(targetHost) || noProxy.matches(targetHost, targetPort);
    }

    /** Why a connection to the target goes where it goes, for the log and error messages; "" without a proxy. */
    public String describeRoute(String targetHost, int targetPort) {
        if (!isSet()) {
            return "";
        }
        if (HostName.isLoopback(targetHost)) {
            return "directly, as " + targetHost + " is a loopback host (never proxied)";
        }
        if (noProxy.matches(targetHost, targetPort)) {
            return "directly, as " + targetHost + " matches " + noProxyVariable;
        }
        return "via the proxy " + proxyUrl() + " from " + variable
                + (hasCredentials() ? " (with the user name and password given there)" : "");
    }

    @Override
    public String toString() {
        return isSet() ? "ProxySettings[" + proxyUrl() + " from " + variable + (hasCredentials() ? ", credentials"
                : "") + ", " + noProxy + "]" : "ProxySettings[none]";
    }
}

package io.spellci.core.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.Authenticator;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * Applies {@link ProxySettings} and {@link TrustedCertificates} to an OkHttp client: a proxy selector (loopback and
 * NO_PROXY hosts direct), a proxy authenticator that answers only the proxy's 407 (never a server's 401), the extra
 * CAs, and an interceptor that rewrites network errors to say which proxy was used and what to fix. The rewritten
 * exceptions keep their JDK type (ConnectException, SocketTimeoutException...), which decides retries.
 */
public final class OkHttpNetwork {
    private OkHttpNetwork() {
    }

    public static void apply(OkHttpClient.Builder http, ProxySettings proxy, TrustedCertificates certificates) {
        ProxySettings settings = proxy == null ? ProxySettings.none() : proxy;
        if (settings.isSet()) {
            // Unresolved: the proxy's name is looked up when connecting, through the client's Dns like any host.
            Proxy endpoint = new Proxy(Proxy.Type.HTTP,
                    InetSocketAddress.createUnresolved(unbracket(settings.host()), settings.port()));
            http.proxySelector(new EnvironmentProxySelector(settings, endpoint));
            http.proxyAuthenticator(new ProxyCredentials(settings, endpoint));
        }
        X509TrustManager trust = certificates == null ? null : certificates.trustManager();
        if (trust != null) {
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {trust}, null);
                http.sslSocketFactory(tls.getSocketFactory(), trust);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not set up TLS with the extra CAs: " + e, e);
            }
        }
        http.addInterceptor(new Diagnosis(settings, certificates));
    }

    private static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The proxy for every host but loopback and NO_PROXY matches. */
    static final class EnvironmentProxySelector extends ProxySelector {
        private final ProxySettings settings;
        private final Proxy endpoint;

        EnvironmentProxySelector(ProxySettings settings, Proxy endpoint) {
            this.settings = settings;
            this.endpoint = endpoint;
        }

        @Override
        public List<Proxy> select(URI uri) {
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            if (uri.getHost() == null || settings.isDirect(uri.getHost(), port)) {
                return List.of(Proxy.NO_PROXY);
            }
            return List.of(endpoint);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException e) {
            // One proxy only: nothing to fall back to, and the error says which proxy failed.
        }
    }

    /**
     * Basic credentials from the proxy variable, for our proxy's 407 only (OkHttp also asks before a CONNECT, to
     * send them at once). Once refused, it gives up instead of sending them again.
     */
    static final class ProxyCredentials implements Authenticator {
        private final ProxySettings settings;
        private final Proxy endpoint;

        ProxyCredentials(ProxySettings settings, Proxy endpoint) {
            this.settings = settings;
            this.endpoint = endpoint;
        }

        @Override
        public Request authenticate(Route route, Response response) {
            if (!settings.hasCredentials() || route == null || !endpoint.equals(route.proxy())
                    || response.code() != 407) {
                return null;
            }
            Request request = response.request();
            if (request.header("Proxy-Authorization") != null) {
                return null;
            }
            return request.newBuilder().header("Proxy-Authorization",
                    Credentials.basic(settings.user(), settings.password(), StandardCharsets.UTF_8)).build();
        }
    }

    /** Rewrites a failed call's IOException to name the proxy (without credentials) and the fix. */
    static final class Diagnosis implements Interceptor {
        private final ProxySettings proxy;
        private final TrustedCertificates certificates;

        Diagnosis(ProxySettings proxy, TrustedCertificates certificates) {
            this.proxy = proxy;
            this.certificates = certificates;
        }

        @Override
        public Response intercept(Chain chain) throws IOException {
            try {
                return chain.proceed(chain.request());
            } catch (IOException e) {
                if (chain.call().isCanceled() || "interrupted".equals(e.getMessage())) {
                    throw e; // a stopped job, not the network: SpellApi must still recognise it
                }
                throw explain(e, chain.request().url());
            }
        }

        IOException explain(IOException e, HttpUrl url) {
            String host = url.host();
            String target = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + url.port();
            boolean viaProxy = proxy.isSet() && !proxy.isDirect(host, url.port());
            String message = String.valueOf(e.getMessage());
            String from = viaProxy ? "the proxy " + proxy.proxyUrl() + " from " + proxy.variable() : "";
            if (viaProxy && message.equals("Failed to authenticate with proxy")) {
                String text = proxy.hasCredentials()
                        ? from + " refused the user name and password given there (HTTP 407 Proxy Authentication"
                                + " Required): check them, percent-encoding @ : / % in them (@ as %40); spell-ci"
                                + " offers Basic authentication only"
                        : from + " requires a user name and password (HTTP 407 Proxy Authentication Required): put"
                                + " them in " + proxy.variable() + " as http://USER:PASSWORD@" + proxy.host() + ":"
                                + proxy.port() + ", percent-encoding @ : / % in them";
                return cause(new ProxyRefusedException(text), e);
            }
            if (viaProxy && message.startsWith("Unexpected response code for CONNECT: ")) {
                String status = message.substring("Unexpected response code for CONNECT: ".length()).strip();
                return cause(new ProxyRefusedException(from + " refused to open a tunnel to " + target + " (HTTP " + status
                        + " to CONNECT): ask the proxy's admin to allow " + target + ", or, if the API is reachable"
                        + " without the proxy, add " + host + " to NO_PROXY"), e);
            }
            if (untrusted(e)) {
                String whose = certificates != null && !certificates.isEmpty()
                        ? "neither the JVM's nor one in " + certificates.field() : "not one of the JVM's";
                String fix = certificates != null ? certificates.untrustedFix()
                        : "if the API, or a TLS-inspecting proxy on the way, uses a private CA, trust that CA";
                return cause(new SSLHandshakeException("the TLS certificate of " + host + " does not chain to a"
                        + " trusted CA (" + whose + (viaProxy ? "; reached via " + from : "") + "): " + fix), e);
            }
            String route = proxy.describeRoute(host, url.port());
            return route.isEmpty() ? e : sameKind(e, message + " (" + route + ")");
        }

        /**
         * PKIX found no trusted CA for the chain (an unknown private or self-signed CA, or one of the same name with
         * another key), as opposed to an expired certificate or a wrong host name.
         */
        private static boolean untrusted(IOException e) {
            if (!(e instanceof SSLHandshakeException)) {
                return false;
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException invalid
                        && invalid.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
                    return true;
                }
            }
            return false;
        }

        /** The same JDK type with a new message; an OkHttp-specific type is kept as it is. */
        private static IOException sameKind(IOException e, String message) {
            IOException copy;
            if (e instanceof SocketTimeoutException) {
                copy = new SocketTimeoutException(message);
            } else if (e instanceof InterruptedIOException) {
                copy = new InterruptedIOException(message);
            } else if (e instanceof NoRouteToHostException) {
                copy = new NoRouteToHostException(message);
            } else if (e instanceof ConnectException) {
                copy = new ConnectException(message);
            } else if (e instanceof UnknownHostException) {
                copy = new UnknownHostException(message);
            } else if (e instanceof SSLHandshakeException) {
                copy = new SSLHandshakeException(message);
            } else if (e instanceof SSLPeerUnverifiedException) {
                copy = new SSLPeerUnverifiedException(message);
            } else if (e instanceof SSLException) {
                copy = new SSLException(message);
            } else if (e.getClass() == IOException.class) {
                copy = new IOException(message);
            } else {
                return e;
            }
            return cause(copy, e);
        }

        private static IOException cause(IOException e, IOException cause) {
            e.initCause(cause);
            return e;
        }
    }
}

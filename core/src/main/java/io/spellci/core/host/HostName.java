package io.spellci.core.host;

import java.util.Arrays;
import java.util.Locale;

/**
 * What spell-ci knows about a host as written in a URL or in {@code NO_PROXY}, before any lookup: its normal form and
 * whether it is loopback. One rule for the API URL (plain {@code http://} only to loopback) and the proxy (loopback
 * never proxied), so that a host one of them treats as local the other does too. Pure JDK and below both packages, so
 * that checking an API URL loads no network classes.
 */
public final class HostName {
    private static final byte[] IPV6_LOOPBACK = IpLiteral.parse("::1");

    private HostName() {
    }

    /** Lower case, without IPv6 brackets and without the trailing dots of a fully qualified name. */
    public static String normalize(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /**
     * localhost, *.localhost, 127.0.0.0/8 and ::1, in any spelling ({@code [0::1]}, {@code ::ffff:127.0.0.1},
     * {@code localhost.}); names are never resolved, so {@code 127.0.0.1.example.com} is not loopback.
     */
    public static boolean isLoopback(String host) {
        String h = normalize(host);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        byte[] address = IpLiteral.parse(h);
        if (address == null) {
            return false;
        }
        return address.length == 4 ? address[0] == 127 : Arrays.equals(address, IPV6_LOOPBACK);
    }
}

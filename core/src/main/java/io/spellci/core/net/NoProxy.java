package io.spellci.core.net;

import io.spellci.core.host.HostName;
import io.spellci.core.host.IpLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts that {@code NO_PROXY} sends directly, by curl's rules: comma-separated, spaces ignored; {@code *} alone
 * matches every host; {@code example.com}, {@code .example.com} and {@code *.example.com} all match example.com and
 * every host under it; {@code host:port} matches that port only; IPv4 and IPv6 addresses ({@code ::1},
 * {@code [::1]:8443}) and CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}) match API URLs whose host is such an
 * address. Host names are never resolved to check an address or a range. An entry that is none of these (a URL, a
 * Windows {@code <local>}) matches nothing, as in curl: NO_PROXY is shared with other tools and must not fail a job.
 * Pure JDK, so that parsing it loads no HTTP client.
 */
public final class NoProxy {
    private static final NoProxy EMPTY = new NoProxy(false, List.of());

    private final boolean all;
    private final List<Entry> entries;

    /** One rule: a domain (lower case, no leading or trailing dot) or an address with a prefix; port -1 = any. */
    private record Entry(String domain, byte[] address, int prefixBits, int port) {
    }

    private NoProxy(boolean all, List<Entry> entries) {
        this.all = all;
        this.entries = entries;
    }

    public static NoProxy none() {
        return EMPTY;
    }

    /** Parses a NO_PROXY value; null or blank matches nothing. */
    public static NoProxy parse(String value) {
        if (value == null || value.isBlank()) {
            return EMPTY;
        }
        boolean all = false;
        List<Entry> entries = new ArrayList<>();
        for (String part : value.split(",")) {
            String entry = part.strip();
            if (entry.equals("*")) {
                all = true;
            } else if (!entry.isEmpty()) {
                Entry parsed = entry(entry.toLowerCase(Locale.ROOT));
                if (parsed != null) {
                    entries.add(parsed);
                }
            }
        }
        return new NoProxy(all, List.copyOf(entries));
    }

    private static Entry entry(String text) {
        String host = text;
        int port = -1;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1));
                if (port < 0) {
                    return null;
                }
            } else if (rest.startsWith("/")) {
                host = host + rest;
            } else if (!rest.isEmpty()) {
                return null;
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            // One colon: host:port (an IPv6 address has at least two).
            host = text.substring(0, text.indexOf(':'));
            port = port(text.substring(text.indexOf(':') + 1));
            if (port < 0) {
                return null;
            }
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            byte[] network = IpLiteral.parse(host.substring(0, slash));
            int bits = port(host.substring(slash + 1), 0, network == null ? 0 : network.length * 8);
            return network == null || bits < 0 ? null : new Entry(null, network, bits, port);
        }
        byte[] address = IpLiteral.parse(host);
        if (address != null) {
            return new Entry(null, address, address.length * 8, port);
        }
        String domain = host;
        if (domain.startsWith("*.")) {
            domain = domain.substring(1);
        }
        while (domain.startsWith(".")) {
            domain = domain.substring(1);
        }
        while (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (domain.isEmpty() || !domain.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
            return null;
        }
        return new Entry(domain, null, 0, port);
    }

    private static int port(String text) {
        return port(text, 1, 65535);
    }

    private static int port(String text, int min, int max) {
        if (!text.matches("\\d{1,5}")) {
            return -1;
        }
        int value = Integer.parseInt(text);
        return value < min || value > max ? -1 : value;
    }

    /** Whether a connection to {@code host} (a name or an address literal, brackets allowed) on {@code port} is direct. */
    public boolean matches(String host, int port) {
        if (all) {
            return true;
        }
        if (entries.isEmpty()) {
            return false;
        }
        String h = HostName.normalize(host);
        byte[] address = IpLiteral.parse(h);
        for (Entry entry : entries) {
            if (entry.port != -1 && entry.port != port) {
                continue;
            }
            if (entry.domain != null) {
                if (address == null && (h.equals(entry.domain) || h.endsWith("." + entry.domain))) {
                    return true;
                }
            } else if (address != null && IpLiteral.inRange(address, entry.address, entry.prefixBits)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return !all && entries.isEmpty();
    }

    @Override
    public String toString() {
        return all ? "NoProxy[*]" : "NoProxy[" + entries.size() + " entries]";
    }
}

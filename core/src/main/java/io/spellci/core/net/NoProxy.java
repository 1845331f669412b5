package io.spellci.core.net;

import java.util.ArrayList;
import java.util.Arrays;
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
            byte[] network = Ip.parse(host.substring(0, slash));
            int bits = port(host.substring(slash + 1), 0, network == null ? 0 : network.length * 8);
            return network == null || bits < 0 ? null : new Entry(null, network, bits, port);
        }
        byte[] address = Ip.parse(host);
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
        String h = normalize(host);
        byte[] address = Ip.parse(h);
        for (Entry entry : entries) {
            if (entry.port != -1 && entry.port != port) {
                continue;
            }
            if (entry.domain != null) {
                if (address == null && (h.equals(entry.domain) || h.endsWith("." + entry.domain))) {
                    return true;
                }
            } else if (address != null && Ip.inRange(address, entry.address, entry.prefixBits)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return !all && entries.isEmpty();
    }

    /**
     * localhost, *.localhost, 127.0.0.0/8 and ::1 (in any spelling, also as ::ffff:127.x.y.z): never proxied, as the
     * API URL rules allow plain http only there and a local fake API must work whatever the job's proxy.
     */
    public static boolean isLoopback(String host) {
        String h = normalize(host);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        byte[] address = Ip.parse(h);
        if (address == null) {
            return false;
        }
        if (address.length == 4) {
            return address[0] == 127;
        }
        byte[] one = new byte[16];
        one[15] = 1;
        return Arrays.equals(address, one);
    }

    static String normalize(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    @Override
    public String toString() {
        return all ? "NoProxy[*]" : "NoProxy[" + entries.size() + " entries]";
    }

    /** IP literals parsed by hand: java.net.InetAddress may fall back to a DNS lookup for text it cannot parse. */
    static final class Ip {
        private Ip() {
        }

        /** 4 bytes for IPv4 (also for an IPv4-mapped IPv6 address), 16 for IPv6, null when not a literal. */
        static byte[] parse(String text) {
            if (text == null || text.isEmpty()) {
                return null;
            }
            if (text.indexOf(':') < 0) {
                return v4(text);
            }
            byte[] v6 = v6(text);
            if (v6 == null) {
                return null;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= v6[i] == 0;
            }
            if (mapped && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff) {
                return Arrays.copyOfRange(v6, 12, 16);
            }
            return v6;
        }

        static boolean inRange(byte[] address, byte[] network, int bits) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((address[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }

        private static byte[] v4(String text) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (!parts[i].matches("\\d{1,3}")) {
                    return null;
                }
                int value = Integer.parseInt(parts[i]);
                if (value > 255) {
                    return null;
                }
                bytes[i] = (byte) value;
            }
            return bytes;
        }

        private static byte[] v6(String input) {
            String text = input;
            int zone = text.indexOf('%');
            if (zone >= 0) {
                text = text.substring(0, zone);
            }
            if (!text.matches("[0-9a-f:.]+")) {
                return null;
            }
            int gap = text.indexOf("::");
            if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
                return null;
            }
            List<Integer> head = groups(gap >= 0 ? text.substring(0, gap) : text);
            List<Integer> tail = gap >= 0 ? groups(text.substring(gap + 2)) : List.of();
            if (head == null || tail == null) {
                return null;
            }
            int count = head.size() + tail.size();
            if (gap < 0 ? count != 8 : count > 7) {
                return null;
            }
            byte[] bytes = new byte[16];
            for (int i = 0; i < head.size(); i++) {
                bytes[2 * i] = (byte) (head.get(i) >> 8);
                bytes[2 * i + 1] = (byte) (int) head.get(i);
            }
            for (int i = 0; i < tail.size(); i++) {
                int at = 8 - tail.size() + i;
                bytes[2 * at] = (byte) (tail.get(i) >> 8);
                bytes[2 * at + 1] = (byte) (int) tail.get(i);
            }
            return bytes;
        }

        /** 16-bit groups; a dotted IPv4 address at the end counts as two. Null when malformed. */
        private static List<Integer> groups(String text) {
            List<Integer> groups = new ArrayList<>();
            if (text.isEmpty()) {
                return groups;
            }
            String[] parts = text.split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (i == parts.length - 1 && part.indexOf('.') >= 0) {
                    byte[] v4 = v4(part);
                    if (v4 == null) {
                        return null;
                    }
                    groups.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                    groups.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
                } else if (part.matches("[0-9a-f]{1,4}")) {
                    groups.add(Integer.parseInt(part, 16));
                } else {
                    return null;
                }
            }
            return groups;
        }
    }
}

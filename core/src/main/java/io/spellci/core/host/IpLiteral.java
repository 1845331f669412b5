package io.spellci.core.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** IP address literals parsed by hand: java.net.InetAddress may fall back to a DNS lookup for text it cannot parse. */
public final class IpLiteral {
    private IpLiteral() {
    }

    /** 4 bytes for IPv4 (also for an IPv4-mapped IPv6 address), 16 for IPv6, null when not a literal; any case. */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return v4(text);
        }
        byte[] v6 = v6(text.toLowerCase(Locale.ROOT));
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

    /** Whether {@code address} lies in {@code network}/{@code bits}; addresses of different families never do. */
    public static boolean inRange(byte[] address, byte[] network, int bits) {
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

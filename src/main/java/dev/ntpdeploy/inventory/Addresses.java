package dev.ntpdeploy.inventory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax checks for host names and IP literals, without ever asking DNS (inventories are loaded
 * on machines whose resolver may be broken, and a lookup would leak the fleet's names).
 */
public final class Addresses {

    private static final Pattern IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private Addresses() {
    }

    /** True for a DNS name (RFC 1123 labels, '_' tolerated), an IPv4 or an IPv6 literal. */
    public static boolean isHostOrIp(String s) {
        return isIpv4(s) || ipv6(s).isPresent() || isHostname(s);
    }

    public static boolean isIpv4(String s) {
        return IPV4.matcher(s).matches();
    }

    /**
     * One spelling per address, to tell when two spellings are one machine: an IPv6 literal in its
     * RFC 5952 form, a name in lower case (DNS ignores case); IPv4 literals have one spelling already.
     */
    public static String canonical(String address) {
        return ipv6(address).map(a -> ipv6Text(a.getAddress())).orElse(address.toLowerCase(Locale.ROOT));
    }

    /** Parses an IPv6 literal (no brackets, no zone); never resolves names. */
    public static Optional<Inet6Address> ipv6(String s) {
        // InetAddress parses text starting with a hex digit or ':' as a literal; anything else it looks up
        if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches() || s.charAt(0) == '.') {
            return Optional.empty();
        }
        try {
            InetAddress a = InetAddress.getByName(s); // a literal by the checks above: no lookup happens
            return a instanceof Inet6Address v6 ? Optional.of(v6) : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    static boolean isHostname(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        boolean allNumeric = true;
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
            allNumeric &= label.chars().allMatch(Character::isDigit);
        }
        return !allNumeric; // "999.1.1.1" is a bad IPv4 address, not a name
    }

    /** RFC 5952 text of an IPv6 address: lower case, longest zero run compressed. */
    static String ipv6Text(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}

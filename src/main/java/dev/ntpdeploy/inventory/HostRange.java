package dev.ntpdeploy.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host entry of an inventory as Ansible reads it (parse_address and expand_hostname_range): an
 * optional {@code :PORT} suffix ({@code [ADDRESS]:PORT} for IPv6) and ranges {@code web[01:50]},
 * {@code db-[a:f]}, {@code [1:10:2]}, several per name, expanded in order. Zero-padded bounds pad
 * every name; letters run through a-z then A-Z, as Python's string.ascii_letters.
 */
final class HostRange {

    /** One host entry expanded: its names and the port it gives them, if any. */
    record Expanded(List<String> names, OptionalInt port) {
    }

    private static final String NUMERIC = "\\[[0-9]+:[0-9]+(?::[0-9]+)?]";
    private static final String ALNUM = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?]";
    private static final Pattern RANGE = Pattern.compile(ALNUM, Pattern.CASE_INSENSITIVE);
    /** Ansible's hostname pattern once each range is replaced by one letter; possessive, so long input cannot recurse deep. */
    private static final Pattern HOSTNAME = Pattern.compile("\\w[\\w-]*+(?<![_-])(?:\\.\\w[\\w-]*+(?<![_-]))*+",
            Pattern.UNICODE_CHARACTER_CLASS);
    /** Longer is no address (DNS stops at 253), and the patterns below need not see it. */
    private static final int LONGEST = 1024;
    private static final String I4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC + ")";
    private static final Pattern IPV4 = Pattern.compile("(?:" + I4 + "\\.){3}" + I4);
    private static final Pattern BRACKETED_PORT = Pattern.compile("\\[(.+)]:([0-9]+)");
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private HostRange() {
    }

    /**
     * @param max how many names the caller can still take: a range past it is refused before it is expanded
     * @throws IllegalArgumentException a malformed range or one too large, with a message for the operator
     */
    static Expanded expand(String entry, int max) {
        String pattern = entry;
        OptionalInt port = OptionalInt.empty();
        String[] hostPort = splitPort(entry);
        if (hostPort != null && isHost(hostPort[0]) && hostPort[1].length() <= 5) {
            pattern = hostPort[0];
            port = OptionalInt.of(Integer.parseInt(hostPort[1]));
        }
        if (pattern.indexOf('[') < 0) {
            return new Expanded(List.of(pattern), port);
        }
        List<String> out = new ArrayList<>();
        expandInto(pattern, out, max);
        return new Expanded(List.copyOf(out), port);
    }

    /** Whether Ansible's parse_address (ranges allowed) reads this as one address with an optional port. */
    static boolean isAddress(String entry) {
        String[] hostPort = splitPort(entry);
        return (hostPort != null && isHost(hostPort[0])) || isHost(entry);
    }

    /**
     * {@code [HOST]:PORT}, or {@code HOST:PORT} where HOST has no ':' outside brackets (parse_address's
     * bracketed_hostport and hostport); null when the entry has no port.
     */
    private static String[] splitPort(String entry) {
        if (entry.length() > LONGEST) {
            return null;
        }
        Matcher b = BRACKETED_PORT.matcher(entry);
        if (b.matches()) {
            return new String[] {b.group(1), b.group(2)};
        }
        int colon = entry.lastIndexOf(':');
        if (colon < 0 || colon == entry.length() - 1 || !entry.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return null;
        }
        String host = entry.substring(0, colon);
        int depth = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '[') {
                if (depth > 0) {
                    return null;
                }
                depth++;
            } else if (c == ']') {
                if (depth == 0) {
                    return null;
                }
                depth--;
            } else if (c == ':' && depth == 0) {
                return null;
            }
        }
        return depth == 0 ? new String[] {host, entry.substring(colon + 1)} : null;
    }

    /** An IPv4 address, host name or IPv6 address (ranges allowed in the first two). */
    private static boolean isHost(String host) {
        if (host.isEmpty() || host.length() > LONGEST) {
            return false;
        }
        String plain = RANGE.matcher(host).replaceAll("a");
        return IPV4.matcher(host).matches() || HOSTNAME.matcher(plain).matches()
                || (host.indexOf(':') >= 0 && Addresses.ipv6(host).isPresent());
    }

    private static void expandInto(String line, List<String> out, int max) {
        int open = line.indexOf('[');
        int close = line.indexOf(']');
        if (close < 0) {
            throw new IllegalArgumentException("a host range needs a closing ']'");
        }
        if (close < open) {
            throw new IllegalArgumentException("a host range needs '[begin:end]' (a ']' comes before the '[')");
        }
        String head = line.substring(0, open);
        String tail = line.substring(close + 1);
        String[] bounds = line.substring(open + 1, close).split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new IllegalArgumentException("a host range must be [begin:end] or [begin:end:step]");
        }
        String beg = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) {
            throw new IllegalArgumentException("a host range must give its end value");
        }
        int step = 1;
        if (bounds.length == 3) {
            step = parse(bounds[2], "step");
            if (step <= 0) {
                throw new IllegalArgumentException("a host range's step must be above 0");
            }
        }
        List<String> seq = new ArrayList<>();
        int a = beg.length() == 1 ? LETTERS.indexOf(beg) : -1;
        int b = end.length() == 1 ? LETTERS.indexOf(end) : -1;
        if (a >= 0 && b >= 0) {
            if (a > b) {
                throw new IllegalArgumentException("a host range must have begin <= end");
            }
            for (int k = a; k <= b; k += step) {
                seq.add(String.valueOf(LETTERS.charAt(k)));
            }
        } else {
            int from = parse(beg, "begin");
            int to = parse(end, "end");
            boolean padded = beg.charAt(0) == '0' && beg.length() > 1;
            if (padded && beg.length() != end.length()) {
                throw new IllegalArgumentException("a zero-padded host range must give begin and end with as many digits");
            }
            long count = to < from ? 0 : ((long) to - from) / step + 1;
            if ((long) out.size() + count > max) {
                throw new IllegalArgumentException("the range makes " + Excerpt.count(count) + " hosts, over ntpdeploy's"
                        + " limit of " + Excerpt.count(Limits.HOSTS) + " hosts (split the fleet into several inventories)");
            }
            for (long k = from; k <= to; k += step) {
                String n = String.valueOf(k);
                seq.add(padded ? "0".repeat(Math.max(0, beg.length() - n.length())) + n : n);
            }
        }
        for (String part : seq) {
            String name = head + part + tail;
            if (name.indexOf('[') >= 0) {
                expandInto(name, out, max);
            } else {
                if (out.size() >= max) {
                    throw new IllegalArgumentException("the range makes more hosts than ntpdeploy's limit of "
                            + Excerpt.count(Limits.HOSTS) + " (split the fleet into several inventories)");
                }
                out.add(name);
            }
        }
    }

    private static int parse(String digits, String what) {
        if (!digits.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("a host range's " + what + " " + Excerpt.quote(digits)
                    + " is not a number or a single letter");
        }
        return Integer.parseInt(digits);
    }
}

package dev.ntpdeploy.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Ansible's host pattern grammar (inventory/manager.py), for {@code --limit} and play {@code hosts:}:
 * <ul>
 *   <li>terms separated by {@code ,} (or by {@code :} when there is no comma and the whole is not one
 *       address: {@code web:db}, {@code web:&staging}, {@code web:!db1});</li>
 *   <li>{@code &term} intersects, {@code !term} excludes; all plain terms apply first, then every
 *       {@code &}, then every {@code !}, whatever the order written (a pattern of only {@code &}/{@code !}
 *       terms starts from all);</li>
 *   <li>a term is a host name, a group name (all its hosts, nested groups' too), a glob ({@code *},
 *       {@code ?}, {@code [abc]}, {@code [!abc]}) matched against group and host names, or {@code ~REGEX}
 *       (matched from the start of the name);</li>
 *   <li>a subscript picks from a term's hosts: {@code web[0]}, {@code web[-1]}, {@code web[0:2]}
 *       (inclusive), {@code web[1:]};</li>
 *   <li>{@code @FILE} reads one term per line (blank lines skipped).</li>
 * </ul>
 * So {@code lab-h[1:3]} is hosts 1 to 3 of a group or host named {@code lab-h}, not a character class.
 * One rule is stricter than Ansible's: a plain term that matches no host or group is an error (Ansible
 * warns and runs on the rest), since a typo must not silently shrink a run.
 */
public final class HostPattern {

    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))]$");

    private final String text;
    private final String origin;
    private final List<String> terms;

    private HostPattern(String text, String origin, List<String> terms) {
        this.text = text;
        this.origin = origin;
        this.terms = terms;
    }

    /** A {@code --limit} pattern: messages start with "--limit: ". */
    public static HostPattern parse(String pattern) {
        return parse(pattern, "--limit");
    }

    /**
     * @throws IllegalArgumentException an unreadable {@code @FILE}, or a pattern with no term
     */
    public static HostPattern parse(String pattern, String origin) {
        List<String> terms = new ArrayList<>();
        for (String t : split(pattern)) {
            if (t.startsWith("@")) {
                terms.addAll(readFile(Path.of(t.substring(1)), origin));
            } else {
                terms.add(t);
            }
        }
        if (terms.isEmpty()) {
            throw new IllegalArgumentException(origin + ": " + Excerpt.quote(pattern) + " names no host or group"
                    + " (write e.g. 'all', 'web01', 'masters:!host1')");
        }
        return new HostPattern(pattern, origin, List.copyOf(terms));
    }

    /** Ansible's split_host_pattern. */
    static List<String> split(String pattern) {
        List<String> parts = new ArrayList<>();
        if (pattern.indexOf(',') >= 0) {
            parts.addAll(List.of(pattern.split(",", -1)));
        } else if (HostRange.isAddress(pattern)) {
            parts.add(pattern);
        } else {
            parts.addAll(terms(pattern));
        }
        return parts.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    /**
     * The runs of anything but whitespace, ':' and brackets, where a complete {@code [...]} counts as one
     * character (Ansible's findall regex, written as a loop so a long pattern cannot overflow the stack).
     */
    private static List<String> terms(String pattern) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            int close = c == '[' ? pattern.indexOf(']', i + 1) : -1;
            if (close > 0) {
                cur.append(pattern, i, close + 1);
                i = close + 1;
            } else if (Character.isWhitespace(c) || c == ':' || c == '[' || c == ']') {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                i++;
            } else {
                cur.append(c);
                i++;
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private static List<String> readFile(Path file, String origin) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ": cannot read the host list @" + file + ": "
                    + (Files.isDirectory(file) ? "it is a directory (give a file with one host per line)"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file" : Excerpt.plain(String.valueOf(e.getMessage()))));
        }
    }

    /**
     * The hosts the pattern selects, in Ansible's order (plain terms in the order written, each term's
     * hosts in group order), without duplicates.
     *
     * @throws IllegalArgumentException a plain term matching nothing, a subscript past the hosts, a bad regex
     */
    public List<String> select(AnsibleInventory inv) {
        List<String> plain = new ArrayList<>();
        List<String> and = new ArrayList<>();
        List<String> not = new ArrayList<>();
        for (String t : terms) {
            (t.startsWith("!") ? not : t.startsWith("&") ? and : plain).add(t);
        }
        if (plain.isEmpty()) {
            plain.add("all");
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String t : plain) {
            if (inv.hasHost(t)) {
                hosts.add(t);
                continue;
            }
            List<String> matched = matchOne(inv, t, origin);
            if (matched.isEmpty()) {
                throw new IllegalArgumentException(origin + ": " + Excerpt.quote(t) + " matches no host or group in " + inv.source()
                        + hint(inv));
            }
            hosts.addAll(matched);
        }
        for (String t : and) {
            hosts.retainAll(new LinkedHashSet<>(matchOne(inv, t.substring(1), origin)));
        }
        for (String t : not) {
            matchOne(inv, t.substring(1), origin).forEach(hosts::remove);
        }
        return List.copyOf(hosts);
    }

    /**
     * The hosts {@code --limit PATTERN} keeps, in Ansible's order.
     *
     * @throws InventoryException the pattern is invalid or a plain term in it matches nothing (one line, starting
     *                            with "--limit: ")
     */
    public static List<Host> limit(String pattern, Inventory inventory) throws InventoryException {
        try {
            return parse(pattern).select(inventory);
        } catch (IllegalArgumentException e) {
            throw new InventoryException(e.getMessage());
        }
    }

    /**
     * The bound hosts a {@code --limit} keeps: Ansible's {@code all} in its order, restricted to what this
     * pattern selects.
     */
    public List<Host> select(Inventory inventory) {
        Set<String> chosen = new LinkedHashSet<>(select(inventory.ansible()));
        Map<String, Host> byName = inventory.hosts().stream().collect(Collectors.toMap(Host::name, Function.identity()));
        return inventory.ansible().groupHosts(InventoryData.ALL).orElseThrow().stream()
                .filter(chosen::contains).map(byName::get).filter(java.util.Objects::nonNull).toList();
    }

    private static String hint(AnsibleInventory inv) {
        List<String> hosts = inv.hosts();
        return hosts.isEmpty() ? "" : " (hosts are named like " + Excerpt.quote(hosts.get(0))
                + "; a range such as web[1:3] picks hosts 1 to 3 of group 'web')";
    }

    /** Ansible's _match_one_pattern: a term without its & or ! prefix, with its subscript applied. */
    private static List<String> matchOne(AnsibleInventory inv, String term, String origin) {
        String expr = term;
        int[] sub = null;
        if (!term.startsWith("~")) {
            Matcher m = SUBSCRIPT.matcher(term);
            if (m.matches()) {
                expr = m.group(1);
                if (m.group(2) != null) {
                    sub = new int[] {Integer.parseInt(m.group(2))};
                } else {
                    int start = Integer.parseInt(m.group(3));
                    int end = m.group(5).isEmpty() ? -1 : Integer.parseInt(m.group(5));
                    sub = end == 0 ? new int[] {start} : new int[] {start, end};
                }
            }
        }
        List<String> hosts = enumerate(inv, expr, origin);
        if (sub == null || hosts.isEmpty()) {
            return hosts;
        }
        int n = hosts.size();
        if (sub.length == 1) {
            int i = sub[0] < 0 ? n + sub[0] : sub[0];
            return i < 0 || i >= n ? List.of() : List.of(hosts.get(i)); // past the end: nothing, as in Ansible
        }
        int end = sub[1] == -1 ? n - 1 : sub[1];
        int from = Math.min(sub[0], n);
        int to = Math.min(end + 1, n);
        return from >= to ? List.of() : hosts.subList(from, to);
    }

    /** Ansible's _enumerate_matches: hosts of matching groups, then (for a glob or regex, or no group) matching hosts. */
    private static List<String> enumerate(AnsibleInventory inv, String expr, String origin) {
        Pattern p = compile(expr, origin);
        boolean regex = expr.startsWith("~");
        List<String> out = new ArrayList<>();
        List<String> groups = inv.groups().stream().filter(g -> matches(p, g, regex)).toList();
        groups.forEach(g -> out.addAll(inv.groupHosts(g).orElseThrow()));
        if (groups.isEmpty() || regex || expr.chars().anyMatch(c -> c == '.' || c == '?' || c == '*' || c == '[')) {
            inv.hosts().stream().filter(h -> matches(p, h, regex)).forEach(out::add);
        }
        return out;
    }

    private static boolean matches(Pattern p, String name, boolean regex) {
        Matcher m = p.matcher(name);
        return regex ? m.lookingAt() : m.matches(); // Python's re.match: anchored at the start only
    }

    private static Pattern compile(String expr, String origin) {
        try {
            return Pattern.compile(expr.startsWith("~") ? expr.substring(1) : glob(expr));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(origin + ": invalid host pattern " + Excerpt.quote(expr) + ": "
                    + Excerpt.plain(e.getDescription()));
        }
    }

    /** Python's fnmatch.translate: * any run, ? one character, [seq] and [!seq] classes, an unclosed [ literal. */
    static String glob(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    String stuff = glob.substring(i, j).replace("\\", "\\\\").replace("[", "\\[");
                    i = j + 1;
                    if (stuff.startsWith("!")) {
                        stuff = "^" + stuff.substring(1);
                    } else if (stuff.startsWith("^")) {
                        stuff = "\\" + stuff;
                    }
                    re.append('[').append(stuff).append(']');
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code --limit}: comma-separated host names, group names and globs ({@code *}, {@code ?}, {@code [..]}),
 * like Ansible's; an item starting with {@code !} excludes. "all" matches every host. An included
 * item that matches nothing is an error (a typo must not silently shrink the run).
 */
public final class LimitPattern {

    private static final Pattern ALL = glob("all");

    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final List<String> includeText;

    private LimitPattern(List<Pattern> include, List<Pattern> exclude, List<String> includeText) {
        this.include = include;
        this.exclude = exclude;
        this.includeText = includeText;
    }

    public static LimitPattern parse(String spec) {
        List<Pattern> inc = new ArrayList<>();
        List<Pattern> exc = new ArrayList<>();
        List<String> incText = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            if (item.startsWith("!")) {
                exc.add(glob(item.substring(1)));
            } else {
                inc.add(glob(item));
                incText.add(item);
            }
        }
        if (inc.isEmpty()) {
            inc.add(glob("all"));
            incText.add("all");
        }
        return new LimitPattern(inc, exc, incText);
    }

    /** The selected hosts in inventory order. */
    public List<Host> select(Inventory inventory) {
        for (int i = 0; i < include.size(); i++) {
            Pattern p = include.get(i);
            if (inventory.hosts().stream().noneMatch(h -> matches(p, h))) {
                throw new IllegalArgumentException("--limit: '" + includeText.get(i)
                        + "' matches no host or group in " + inventory.source()
                        + " (hosts are named like '" + inventory.hosts().get(0).name() + "')");
            }
        }
        return inventory.hosts().stream()
                .filter(h -> include.stream().anyMatch(p -> matches(p, h)))
                .filter(h -> exclude.stream().noneMatch(p -> matches(p, h)))
                .toList();
    }

    private static boolean matches(Pattern p, Host h) {
        return p.pattern().equals(ALL.pattern()) || p.matcher(h.name()).matches()
                || h.groups().stream().anyMatch(g -> p.matcher(g).matches());
    }

    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inClass = false;
        for (char ch : glob.toCharArray()) {
            if (inClass) {
                if (ch == ']') {
                    inClass = false;
                    re.append(']');
                } else if (ch == '\\' || ch == '[') {
                    re.append('\\').append(ch);
                } else {
                    re.append(ch);
                }
                continue;
            }
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    inClass = true;
                    re.append('[');
                }
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        if (inClass) {
            throw new IllegalArgumentException("--limit: unclosed '[' in '" + glob + "'");
        }
        return Pattern.compile(re.toString());
    }
}

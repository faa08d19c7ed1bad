package dev.ntpdeploy.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates the value of each variable ntpdeploy reads. Every value that can reach
 * ntp.conf or a shell is checked here; messages name the place, the variable, the value and the fix.
 */
final class VarParser {

    /** A variable as declared: its name, where the name is written, and its value. */
    record Var(String key, SourcePos keyPos, YamlNode value) {
    }

    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9@._-]{0,127}");
    private static final Set<String> EXTRA_FORBIDDEN = Set.of("includefile", "driftfile");
    /** A YAML integer written in decimal: 0644 is octal 420 to YAML 1.1, so a leading zero is refused too. */
    private static final Pattern DECIMAL = Pattern.compile("[+]?(0|[1-9][0-9]*)");

    private VarParser() {
    }

    /** The typed value of a variable ntpdeploy reads, or null for any other variable. */
    static Object parse(Var v) throws InventoryException {
        return switch (v.key()) {
            case Vars.ANSIBLE_HOST, Vars.SERVER_ADDRESS -> hostOrIp(v, string(v));
            case Vars.ANSIBLE_PORT -> integer(v, 1, 65535);
            case Vars.ANSIBLE_USER, Vars.ANSIBLE_BECOME_USER -> user(v);
            case Vars.ANSIBLE_KEY -> string(v);
            case Vars.ANSIBLE_BECOME, Vars.LOCAL_CLOCK, Vars.IBURST, Vars.SERVE_OTHERS, Vars.DISABLE_COMPETITORS -> bool(v);
            case Vars.ANSIBLE_CONNECTION -> oneOf(v, List.of("ssh", "smart", "paramiko"),
                    "ntpdeploy only connects over SSH");
            case Vars.ANSIBLE_BECOME_METHOD -> oneOf(v, List.of("sudo"), "ntpdeploy only becomes root through sudo");
            case Vars.UPSTREAM -> upstreams(v);
            case Vars.LOCAL_STRATUM -> integer(v, 0, 15);
            case Vars.GROUP_PRIORITY -> integer(v, 0, 1_000_000);
            case Vars.ORPHAN_STRATUM -> integer(v, 1, 15);
            case Vars.ORPHAN_WAIT -> integer(v, 0, 86400);
            case Vars.MINPOLL, Vars.MAXPOLL -> integer(v, 3, 17);
            case Vars.ALLOW -> cidrs(v);
            case Vars.FLAVOR -> flavor(v);
            case Vars.CONF_PATH -> confPath(v);
            case Vars.SERVICE -> matching(v, UNIT, "a systemd unit name such as 'ntp' or 'ntpsec'");
            case Vars.EXTRA -> extraLines(v);
            case Vars.MAX_OFFSET_MS -> positiveNumber(v);
            case Vars.SSH_COMMON_ARGS, Vars.SSH_EXTRA_ARGS -> sshArgs(v);
            default -> null;
        };
    }

    static String string(Var v) throws InventoryException {
        YamlNode n = v.value();
        if (n instanceof YamlNode.Scalar s && !s.isNull() && s.type() != YamlNode.Scalar.Type.BOOL) {
            if (s.text().isEmpty()) {
                throw fail(v, "is an empty string (give a value, or remove the key for the default)");
            }
            return s.text();
        }
        throw fail(v, "must be a single value, not " + n.kind() + " (write e.g. '" + Excerpt.plain(v.key()) + ": VALUE')");
    }

    private static int integer(Var v, int min, int max) throws InventoryException {
        YamlNode n = v.value();
        if (n instanceof YamlNode.Scalar s && (s.type() == YamlNode.Scalar.Type.INT
                || (s.type() == YamlNode.Scalar.Type.STRING && s.text().matches("\\d+")))) {
            if (s.type() == YamlNode.Scalar.Type.INT && !DECIMAL.matcher(s.text()).matches()) {
                // YAML 1.1 also types 0x16, 0644 (octal), 1_000 and 1:30 as integers: say which number is meant
                throw fail(v, "must be a whole number from " + min + " to " + max + " written in decimal, not " + describe(n));
            }
            String digits = s.text().replaceFirst("^\\+?0*(?=\\d)", "");
            long value = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
            if (value < min || value > max) {
                throw fail(v, "is " + Excerpt.plain(s.text()) + ", out of range (use a whole number from " + min
                        + " to " + max + ")");
            }
            return (int) value;
        }
        throw fail(v, "must be a whole number from " + min + " to " + max + ", not " + describe(n));
    }

    /** Ansible's boolean(): what its connection and become code read as true or false. */
    private static final Set<String> TRUE_WORDS = Set.of("y", "yes", "on", "1", "true", "t");
    private static final Set<String> FALSE_WORDS = Set.of("n", "no", "off", "0", "false", "f");

    /**
     * A boolean as Ansible's connection reads it (its boolean(): true/yes/on/y/t/1 and their opposites,
     * in any case, typed or as strings, e.g. from INI), so ntpdeploy connects as Ansible would. Ansible
     * reads anything else as false; ntpdeploy refuses it, since a typo must not switch sudo off.
     */
    private static boolean bool(Var v) throws InventoryException {
        YamlNode n = v.value();
        if (n instanceof YamlNode.Scalar s && !s.isNull()) {
            Object value = s.value();
            if (value instanceof Boolean b) {
                return b;
            }
            String word = value instanceof Double d && (d == 0.0 || d == 1.0) ? String.valueOf(d.intValue())
                    : String.valueOf(value).strip().toLowerCase(Locale.ROOT);
            if (TRUE_WORDS.contains(word)) {
                return true;
            }
            if (FALSE_WORDS.contains(word)) {
                return false;
            }
        }
        throw fail(v, "must be true or false, not " + describe(n));
    }

    private static double positiveNumber(Var v) throws InventoryException {
        YamlNode n = v.value();
        if (n instanceof YamlNode.Scalar s && (s.type() == YamlNode.Scalar.Type.INT || s.type() == YamlNode.Scalar.Type.FLOAT
                || s.type() == YamlNode.Scalar.Type.STRING)) {
            try {
                double d = s.value() instanceof Number num ? num.doubleValue() : Double.parseDouble(s.text());
                if (d > 0 && Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw fail(v, "must be a number of milliseconds above 0, not " + describe(n));
    }

    private static String user(Var v) throws InventoryException {
        return matching(v, USER, "a login name such as 'root' or 'deploy'");
    }

    private static String matching(Var v, Pattern p, String expected) throws InventoryException {
        String s = string(v);
        if (!p.matcher(s).matches()) {
            throw fail(v, Excerpt.quote(s) + " is not " + expected + " (fix the value)");
        }
        return s;
    }

    private static String oneOf(Var v, List<String> allowed, String why) throws InventoryException {
        String s = string(v);
        if (!allowed.contains(s)) {
            throw fail(v, Excerpt.quote(s) + " is not supported: " + why + " (use " + String.join(" or ", allowed)
                    + ", or remove the key)");
        }
        return s;
    }

    /** The declared flavor, empty for auto. */
    private static Optional<Flavor> flavor(Var v) throws InventoryException {
        String s = string(v);
        try {
            return Flavor.fromWord(s);
        } catch (IllegalArgumentException e) {
            throw fail(v, Excerpt.quote(s) + " is not a flavor (use " + Flavor.words() + ")");
        }
    }

    private static String confPath(Var v) throws InventoryException {
        String s = matching(v, SAFE_PATH, "an absolute path of letters, digits and ./_-@+ such as /etc/ntp.conf");
        if (s.endsWith("/") || ("/" + s + "/").contains("/../") || ("/" + s + "/").contains("/./")) {
            throw fail(v, Excerpt.quote(s) + " must name a file without '.' or '..' parts (e.g. /etc/ntp.conf)");
        }
        return s;
    }

    private static final Pattern PROXY_JUMP_OPTION = Pattern.compile("(?i)proxyjump(?:=|\\s+)(.*)");
    private static final Pattern IDENTITIES_ONLY_OPTION = Pattern.compile("(?i)identitiesonly(?:=|\\s+)(.*)");
    private static final Pattern JUMP = Pattern.compile("(?:([^@]+)@)?(\\[[^\\]]+]|[^:@\\[\\]]+)(?::([0-9]{1,5}))?");

    /**
     * ansible_ssh_common_args / ansible_ssh_extra_args, limited to what ntpdeploy honours: {@code -o ProxyJump=SPEC}
     * ({@code -oProxyJump=SPEC}, {@code -o 'ProxyJump SPEC'}), {@code -J SPEC} and {@code -o IdentitiesOnly=yes|no};
     * anything else is refused by name, since ignoring an option the operator relies on (a different known_hosts, a
     * ProxyCommand) would connect otherwise than ssh does. An option's first value wins, as in ssh; ProxyJump
     * {@code none} means direct.
     */
    private static SshArgs sshArgs(Var v) throws InventoryException {
        String text = v.value() instanceof YamlNode.Scalar s && (s.isNull() || s.text().isEmpty()) ? "" : string(v);
        List<Shlex.Token> words;
        try {
            words = Shlex.split(text);
        } catch (IllegalArgumentException e) {
            throw fail(v, "cannot be read as ssh's arguments: " + e.getMessage() + " (close the quote)");
        }
        Optional<JumpHost> jump = null;
        Optional<Boolean> identitiesOnly = Optional.empty();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i).text();
            String spec;
            String option;
            if (w.equals("-J") || w.equals("-o")) {
                if (i + 1 == words.size()) {
                    throw fail(v, "ends with " + w + " and no value (write e.g. '-o ProxyJump=admin@bastion:22')");
                }
                String arg = words.get(++i).text();
                option = w.equals("-o") ? arg : null;
                spec = w.equals("-J") ? arg : null;
            } else if (w.startsWith("-J")) {
                option = null;
                spec = w.substring(2);
            } else if (w.startsWith("-o")) {
                option = w.substring(2);
                spec = null;
            } else {
                throw fail(v, "has " + Excerpt.quote(w) + ", which ntpdeploy does not honour (only -o ProxyJump=[USER@]HOST[:PORT]"
                        + " and -J are read from it; remove the rest, or set it in ntpdeploy's own options)");
            }
            if (option != null) {
                java.util.regex.Matcher only = IDENTITIES_ONLY_OPTION.matcher(option.strip());
                if (only.matches()) {
                    Boolean value = switch (only.group(1).strip().toLowerCase(java.util.Locale.ROOT)) {
                        case "yes", "true" -> true;
                        case "no", "false" -> false;
                        default -> throw fail(v, "has IdentitiesOnly " + Excerpt.quote(only.group(1).strip())
                                + ", not yes or no");
                    };
                    if (identitiesOnly.isEmpty()) {
                        identitiesOnly = Optional.of(value);
                    }
                    continue;
                }
                spec = proxyJumpOption(v, option);
            }
            if (jump == null) {
                jump = jumpHost(v, spec);
            }
        }
        return new SshArgs(jump == null ? Optional.empty() : Optional.of(jump), identitiesOnly);
    }

    private static String proxyJumpOption(Var v, String option) throws InventoryException {
        java.util.regex.Matcher m = PROXY_JUMP_OPTION.matcher(option.strip());
        if (!m.matches()) {
            String name = option.split("[=\\s]", 2)[0];
            throw fail(v, "sets ssh option " + Excerpt.quote(name) + ", which ntpdeploy does not honour (only -o ProxyJump,"
                    + " -J and -o IdentitiesOnly are read; host keys are always checked against --known-hosts)");
        }
        return m.group(1).strip();
    }

    private static Optional<JumpHost> jumpHost(Var v, String spec) throws InventoryException {
        if (spec.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        if (spec.contains(",")) {
            throw fail(v, "has ProxyJump " + Excerpt.quote(spec) + " with several hops; ntpdeploy takes one jump host"
                    + " (write -o ProxyJump=[USER@]HOST[:PORT])");
        }
        java.util.regex.Matcher m = JUMP.matcher(spec);
        if (m.matches()) {
            String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
            int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
            boolean userOk = m.group(1) == null || USER.matcher(m.group(1)).matches();
            if (Addresses.isHostOrIp(host) && port >= 1 && port <= 65535 && userOk) {
                return Optional.of(new JumpHost(Optional.ofNullable(m.group(1)), host, port));
            }
        }
        throw fail(v, "has ProxyJump " + Excerpt.quote(spec) + ", not [USER@]HOST[:PORT] (write e.g."
                + " -o ProxyJump=admin@bastion.example.net:22)");
    }

    private static String hostOrIp(Var v, String s) throws InventoryException {
        if (!Addresses.isHostOrIp(s)) {
            throw fail(v, Excerpt.quote(s) + " is not a host name or IP address (write e.g. ntp1.example.net or 192.168.84.61)");
        }
        return s;
    }

    /** A list of scalars; empty for an empty value. Each item keeps its own position. */
    private static List<YamlNode.Scalar> scalarList(Var v, String example) throws InventoryException {
        YamlNode n = v.value();
        if (n instanceof YamlNode.Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(n instanceof YamlNode.Sequence seq)) {
            throw fail(v, "must be a list, not " + describe(n) + " (write e.g. '" + Excerpt.plain(v.key()) + ": [" + example + "]')");
        }
        List<YamlNode.Scalar> out = new ArrayList<>();
        for (YamlNode item : seq.items()) {
            if (!(item instanceof YamlNode.Scalar s) || s.isNull() || s.text().isEmpty()) {
                throw new InventoryException(item.pos() + ": an item of " + Excerpt.quote(v.key()) + " must be a single value, not "
                        + describe(item) + " (write e.g. '" + Excerpt.plain(v.key()) + ": [" + example + "]')");
            }
            out.add(s);
        }
        return out;
    }

    private static List<String> upstreams(Var v) throws InventoryException {
        Set<String> out = new LinkedHashSet<>();
        for (YamlNode.Scalar s : scalarList(v, "0.pool.ntp.org, 192.168.1.1")) {
            if (!Addresses.isHostOrIp(s.text())) {
                throw itemError(s, v, "is not a host name or IP address (write one server per item, e.g. 0.centos.pool.ntp.org)");
            }
            if (!out.add(s.text())) {
                throw itemError(s, v, "appears twice (remove the duplicate)");
            }
        }
        return List.copyOf(out);
    }

    private static List<Cidr> cidrs(Var v) throws InventoryException {
        List<Cidr> out = new ArrayList<>();
        Set<Cidr> seen = new HashSet<>();
        for (YamlNode.Scalar s : scalarList(v, "192.168.84.0/24")) {
            Cidr c = Cidr.parse(s.text()).orElse(null);
            if (c == null) {
                String hint = Addresses.isIpv4(s.text()) ? "write " + s.text() + "/32 for one host"
                        : Addresses.ipv6(s.text()).isPresent() ? "write " + Excerpt.plain(s.text()) + "/128 for one host"
                        : "write a network as ADDRESS/PREFIX, e.g. 192.168.84.0/24 or fd00::/64";
                throw itemError(s, v, "is not a CIDR (" + hint + ")");
            }
            if (c.hasHostBits()) {
                throw itemError(s, v, "has host bits set beyond /" + c.prefix() + " (did you mean " + c.normalized() + "?)");
            }
            if (!seen.add(c)) {
                throw itemError(s, v, "appears twice (remove the duplicate)");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    /**
     * ntp_extra lines go into ntp.conf verbatim, so refuse what would break what ntpdeploy renders:
     * a second driftfile, and includefile (it pulls in a file ntpdeploy neither sees nor validates).
     * Control characters were refused when the file was read.
     */
    private static List<String> extraLines(Var v) throws InventoryException {
        List<String> out = new ArrayList<>();
        for (YamlNode.Scalar s : scalarList(v, "'tinker panic 0'")) {
            String line = s.text();
            String first = line.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (line.isBlank()) {
                throw new InventoryException(s.pos() + ": a blank line in " + Excerpt.quote(v.key()) + " (remove it)");
            }
            if (EXTRA_FORBIDDEN.contains(first)) {
                throw new InventoryException(s.pos() + ": '" + first + "' in " + Excerpt.quote(v.key()) + " is not allowed ("
                        + (first.equals("driftfile") ? "ntpdeploy writes the driftfile line itself for the flavor"
                        : "ntpdeploy cannot check an included file: put its lines in ntp_extra instead") + ")");
            }
            if (line.length() > 1024) {
                throw new InventoryException(s.pos() + ": a line of " + Excerpt.quote(v.key()) + " is longer than 1024 characters"
                        + " (ntpd's line limit: split it)");
            }
            out.add(line);
        }
        return List.copyOf(out);
    }

    private static String describe(YamlNode n) {
        if (n instanceof YamlNode.Scalar s && !s.isNull()) {
            return Excerpt.quote(s.text());
        }
        return n.kind();
    }

    private static InventoryException itemError(YamlNode.Scalar item, Var v, String what) {
        return new InventoryException(item.pos() + ": " + Excerpt.quote(item.text()) + " in " + Excerpt.quote(v.key()) + " " + what);
    }

    static InventoryException fail(Var v, String what) {
        return new InventoryException(v.value().pos() + ": " + Excerpt.quote(v.key()) + " " + what);
    }
}

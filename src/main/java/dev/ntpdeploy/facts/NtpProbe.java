package dev.ntpdeploy.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one shell command run per host per verification round, and the parser of what it prints.
 * One round trip gives the billboard, rv, the daemon's age, who owns UDP 123, the config's hash and
 * recent CONFIG/error/panic log lines, in sections delimited by {@code @@ntpdeploy:NAME@@} lines.
 *
 * <p>Budget: ntpq's own {@code timeout} command (classic and NTPsec, as ntpstat uses it) cuts each
 * unanswered request to 2 s instead of 5 (a non-answering daemon costs ~4 s instead of ~10 s), and
 * rv is skipped when the billboard already failed. Log reading is bounded to 1 s. Run it without a pty
 * (a tty widens NTPsec's columns) and privileged (process names in {@code ss}, the journal).
 */
public final class NtpProbe {

    static final String MARK = "@@ntpdeploy:";
    private static final Pattern SECTION = Pattern.compile("^@@ntpdeploy:([a-z0-9_.]+)@@$");
    private static final Pattern SS_PROC = Pattern.compile("\\(\\(\"([^\"]+)\"");
    private static final Pattern NETSTAT_PROC = Pattern.compile("\\d+/(\\S+)\\s*$");
    private static final Pattern OWNER_PID = Pattern.compile("pid=(\\d+)|\\s(\\d+)/\\S+\\s*$");
    private static final Pattern HEX64 = Pattern.compile("^([0-9a-f]{64})\\b");

    private NtpProbe() {
    }

    /** The POSIX sh command for a host whose ntpd reads {@code confPath} (quoted here, any content is safe). */
    public static String command(String confPath) {
        String conf = shellQuote(confPath);
        return String.join("\n",
                "LC_ALL=C; export LC_ALL",
                "if command -v timeout >/dev/null 2>&1; then T1='timeout 1'; else T1=''; fi",
                "sec() { echo '" + MARK + "'\"$1\"'@@'; }",
                "sec peers",
                "if command -v ntpq >/dev/null 2>&1; then",
                "  p=$(ntpq -n -c 'timeout 2000' -c peers 2>&1); rc=$?",
                "else p='ntpq: command not found'; rc=127; fi",
                "printf '%s\\n' \"$p\"",
                "sec peers.rc; echo $rc",
                "sec rv",
                "case \"$p\" in",
                "  *'timed out'*|*'Socket error'*|*'Connection refused'*|*'not found'*) echo '***Request skipped: ntpq -p failed';;",
                "  *) r=$(ntpq -c 'timeout 2000' -c rv 2>&1); rc=$?; printf '%s\\n' \"$r\"; sec rv.rc; echo $rc;;",
                "esac",
                "sec ntpd; ps -o pid=,etimes= -C ntpd 2>/dev/null",
                "sec chronyd; ps -o pid= -C chronyd 2>/dev/null",
                "sec udp123",
                "if command -v ss >/dev/null 2>&1; then echo tool=ss; ss -Hulpn 'sport = :123' 2>/dev/null;",
                "elif command -v netstat >/dev/null 2>&1; then echo tool=netstat; netstat -ulpn 2>/dev/null | grep ':123 ';",
                "else echo tool=none; fi",
                "sec conf",
                "if [ -e " + conf + " ]; then sha256sum -- " + conf + " 2>&1 || echo unreadable; else echo missing; fi",
                "sec log",
                "{ if command -v journalctl >/dev/null 2>&1; then $T1 journalctl -q --no-pager -n 300 "
                        + "-u ntpsec -u ntp -u ntpd 2>/dev/null; fi",
                "  for f in /var/log/ntpsec/ntpd.log /var/log/ntp.log /var/log/syslog /var/log/messages; do",
                "    [ -r \"$f\" ] && $T1 tail -n 500 \"$f\" | grep ntpd; done; } 2>/dev/null"
                        + " | grep -E 'CONFIG|[Ee]rror|[Pp]anic' | tail -n 20",
                "sec end",
                "");
    }

    /** Parses what {@link #command} printed on one host. */
    public static HostObservation parse(String stdout) {
        Map<String, List<String>> sections = sections(stdout == null ? "" : stdout);
        String peersText = String.join("\n", sections.getOrDefault("peers", List.of()));
        NtpqPeers peers = sections.containsKey("peers")
                ? NtpqPeers.parse(peersText, exitCode(sections.get("peers.rc")))
                : new Unparseable("probe printed no peers section", stdout);
        List<String> rvLines = sections.getOrDefault("rv", List.of());
        SystemVarsReading rv;
        if (rvLines.size() == 1 && rvLines.get(0).startsWith("***Request skipped")) {
            rv = peers instanceof NtpqFailed f ? f : new NtpqFailed(NtpqError.NO_REPLY, rvLines.get(0));
        } else if (!sections.containsKey("rv")) {
            rv = new Unparseable("probe printed no rv section", stdout);
        } else {
            rv = SystemVars.parse(String.join("\n", rvLines), exitCode(sections.get("rv.rc")));
        }
        boolean chronyd = sections.getOrDefault("chronyd", List.of()).stream().anyMatch(l -> l.strip().matches("\\d+"));
        List<String> udp = sections.getOrDefault("udp123", List.of());
        List<String> owners = new ArrayList<>();
        List<Long> ownerPids = new ArrayList<>();
        for (String line : udp) {
            Matcher m = SS_PROC.matcher(line);
            Matcher n = NETSTAT_PROC.matcher(line);
            String owner = m.find() ? m.group(1) : n.find() ? n.group(1) : null;
            if (owner != null && !owners.contains(owner)) {
                owners.add(owner);
            }
            Matcher pid = OWNER_PID.matcher(line);
            if (owner != null && owner.startsWith("ntpd") && pid.find()) {
                ownerPids.add(Long.parseLong(pid.group(1) != null ? pid.group(1) : pid.group(2)));
            }
        }
        List<Long> uptimes = ntpdUptimes(sections.getOrDefault("ntpd", List.of()), udp, ownerPids);
        List<String> conf = sections.getOrDefault("conf", List.of());
        String confLine = conf.isEmpty() ? "" : conf.get(0).strip();
        Matcher hm = HEX64.matcher(confLine);
        Optional<String> sha = hm.find() ? Optional.of(hm.group(1)) : Optional.empty();
        boolean present = !confLine.equals("missing") && !conf.isEmpty();
        List<String> log = sections.getOrDefault("log", List.of()).stream().filter(l -> !l.isBlank()).toList();
        return new HostObservation(peers, rv, uptimes, chronyd, owners, sha, present, log,
                sections.containsKey("end"));
    }

    /**
     * Elapsed seconds of the ntpd that serves this host. {@code ps -C} sees every ntpd of the machine, which in a
     * namespace lab is every lab host's: when the socket table is readable, nothing on UDP 123 means no ntpd here,
     * and a known owner pid picks its process.
     */
    private static List<Long> ntpdUptimes(List<String> ps, List<String> udp, List<Long> ownerPids) {
        Map<Long, Long> byPid = new LinkedHashMap<>();
        for (String line : ps) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && f[0].matches("\\d+") && f[1].matches("\\d+")) {
                byPid.put(Long.parseLong(f[0]), Long.parseLong(f[1]));
            }
        }
        boolean tableKnown = !udp.isEmpty() && !udp.get(0).equals("tool=none");
        boolean anySocket = udp.stream().anyMatch(l -> l.contains(":123 "));
        if (tableKnown && !anySocket) {
            return List.of();
        }
        List<Long> owned = ownerPids.stream().distinct().filter(byPid::containsKey).map(byPid::get).toList();
        return owned.isEmpty() ? List.copyOf(byPid.values()) : owned;
    }

    private static Map<String, List<String>> sections(String stdout) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : stdout.replace("\r", "").split("\n", -1)) {
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                current = new ArrayList<>();
                out.put(m.group(1), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        out.values().forEach(l -> {
            while (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
                l.remove(l.size() - 1);
            }
        });
        return out;
    }

    private static int exitCode(List<String> lines) {
        if (lines == null || lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return -1;
        }
        return Integer.parseInt(lines.get(0).strip());
    }

    /** Single-quotes a value for POSIX sh: 'it'\''s'. */
    public static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}

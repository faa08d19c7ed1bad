package dev.ntpdeploy.facts;

import dev.ntpdeploy.transport.RemoteCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one shell command run per host per verification round, and the parser of what it prints.
 * One round trip gives the billboard, rv, the daemon's age, who owns UDP 123, the config's hash and
 * recent CONFIG/error/panic log lines, in sections delimited by {@code @@ntpdeploy:NAME@@} lines.
 *
 * <p>Budget: billboard and rv come from one ntpq call (NTPsec's Python ntpq costs ~0.13 CPU-s per start, which
 * is most of the probe's cost on a small host). ntpq's own {@code timeout} command (classic and NTPsec) cuts
 * each unanswered request to 1 s instead of 5; ntpq tries twice, so a non-answering daemon costs ~4 s for both
 * requests instead of ~20 s. A local daemon answers in well under a millisecond. Log reading is bounded to 1 s.
 * Run it without a pty (a tty widens NTPsec's columns) and privileged (process names in {@code ss}, the journal).
 */
public final class NtpProbe {

    static final String MARK = "@@ntpdeploy:";
    private static final Pattern SECTION = Pattern.compile("^@@ntpdeploy:([a-z0-9_.]+)@@$");
    private static final Pattern SS_PROC = Pattern.compile("\\(\\(\"([^\"]+)\"");
    private static final Pattern NETSTAT_PROC = Pattern.compile("\\d+/(\\S+)\\s*$");
    /** A pid, as ss (pid=N) or netstat (N/name) prints it; more than 18 digits is no pid (and would overflow). */
    private static final Pattern OWNER_PID = Pattern.compile("pid=(\\d{1,18})\\b|\\s(\\d{1,18})/\\S+\\s*$");
    private static final Pattern HEX64 = Pattern.compile("^([0-9a-f]{64})\\b");

    private NtpProbe() {
    }

    /** The POSIX sh command for a host whose ntpd reads {@code confPath} (quoted here, any content is safe). */
    public static String command(String confPath) {
        String conf = RemoteCommand.quote(confPath);
        return String.join("\n",
                "LC_ALL=C; export LC_ALL",
                "if command -v timeout >/dev/null 2>&1; then T1='timeout 1'; else T1=''; fi",
                "sec() { echo '" + MARK + "'\"$1\"'@@'; }",
                "sec ntpq",
                "if command -v ntpq >/dev/null 2>&1; then",
                "  ntpq -n -c 'timeout 1000' -c peers -c rv 2>&1; rc=$?; echo; sec ntpq.rc; echo $rc",
                "else echo 'ntpq: command not found'; sec ntpq.rc; echo 127; fi",
                // each daemon with its network namespace, and this shell's ($$) to compare with; a ps without
                // the netns column (busybox, old procps) fails at once and the plain list is taken instead
                "sec procs; echo \"self $$\"; ps -o pid=,etimes=,netns=,comm= -p $$ -C ntpd,chronyd 2>/dev/null"
                        + " || ps -o pid=,etimes=,comm= -C ntpd,chronyd 2>/dev/null",
                "sec udp123",
                "if command -v ss >/dev/null 2>&1; then echo tool=ss; ss -Hulpn 'sport = :123' 2>/dev/null;",
                "elif command -v netstat >/dev/null 2>&1; then echo tool=netstat; netstat -ulpn 2>/dev/null | grep ':123 ';",
                "else echo tool=none; fi",
                "sec conf",
                "if [ -e " + conf + " ]; then sha256sum -- " + conf + " 2>&1 || echo unreadable; else echo missing; fi",
                // seconds since the file last changed, on the host's clock (ConfigAge compares it with ntpd's age)
                "sec confage",
                "[ -e " + conf + " ] && echo $(( $(date +%s) - $(stat -c %Y -- " + conf + ") ))",
                "sec log",
                "{ if command -v journalctl >/dev/null 2>&1; then $T1 journalctl -q --no-pager -n 300 "
                        + "-u ntpsec -u ntp -u ntpd 2>/dev/null; fi",
                "  for f in /var/log/ntpsec/ntpd.log /var/log/ntp.log /var/log/syslog /var/log/messages; do",
                "    [ -r \"$f\" ] && $T1 tail -n 500 \"$f\"; done; } 2>/dev/null"
                        // ntpd's lines since the running daemon started (an error fixed by a later restart is
                        // history), CONFIG/error/panic ones, the last 20: one awk, as each process costs
                        + " | awk '!/ntpd/ { next } /: Starting|Command line:/ { n = 0 }"
                        + " /CONFIG|[Ee]rror|[Pp]anic/ { l[++n] = $0 }"
                        + " END { for (i = n > 20 ? n - 19 : 1; i <= n; i++) print l[i] }'",
                "sec end",
                "");
    }

    /** Whether this output comes from {@link #command} at all (it got as far as its first section). */
    public static boolean started(String stdout) {
        return stdout != null && stdout.contains(MARK + "ntpq@@");
    }

    /** Parses what {@link #command} printed on one host. */
    public static HostObservation parse(String stdout) {
        if (stdout == null) {
            stdout = "";
        }
        Map<String, List<String>> sections = sections(stdout);
        List<String> ntpq = sections.get("ntpq");
        int rc = exitCode(sections.get("ntpq.rc"));
        NtpqPeers peers;
        SystemVarsReading rv;
        if (ntpq == null) {
            peers = new Unparseable("probe printed no ntpq section", stdout);
            rv = new Unparseable("probe printed no ntpq section", stdout);
        } else {
            int split = rvStart(ntpq);
            peers = NtpqPeers.parse(String.join("\n", ntpq.subList(0, split)), rc);
            if (split < ntpq.size()) {
                rv = SystemVars.parse(String.join("\n", ntpq.subList(split, ntpq.size())), rc);
            } else {
                // the billboard failed and rv with it, or the output was cut short: rv shares the billboard's cause
                rv = peers instanceof NtpqFailed f ? f
                        : new Unparseable("ntpq printed no system variables after the billboard", stdout);
            }
        }
        Map<Long, Long> ntpdAges = new LinkedHashMap<>(); // pid -> elapsed seconds
        boolean chronyd = false;
        for (Proc p : procsOfThisHost(sections.getOrDefault("procs", List.of()))) {
            if (p.comm().equals("ntpd")) {
                ntpdAges.put(p.pid(), p.ageSeconds());
            } else if (p.comm().equals("chronyd")) {
                chronyd = true;
            }
        }
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
        List<Long> uptimes = ntpdUptimes(ntpdAges, udp, ownerPids);
        List<String> conf = sections.getOrDefault("conf", List.of());
        String confLine = conf.isEmpty() ? "" : conf.get(0).strip();
        Matcher hm = HEX64.matcher(confLine);
        Optional<String> sha = hm.find() ? Optional.of(hm.group(1)) : Optional.empty();
        boolean present = !confLine.equals("missing") && !conf.isEmpty();
        List<String> log = sections.getOrDefault("log", List.of()).stream().filter(l -> !l.isBlank()).toList();
        List<String> age = sections.getOrDefault("confage", List.of());
        OptionalLong confAge = !age.isEmpty() && age.get(0).strip().matches("-?\\d{1,18}")
                ? OptionalLong.of(Long.parseLong(age.get(0).strip())) : OptionalLong.empty();
        return new HostObservation(peers, rv, uptimes, chronyd, owners, sha, present, log,
                sections.containsKey("end"), confAge);
    }

    /**
     * Elapsed seconds of the ntpd that serves this host. {@code ps -C} sees every ntpd of the machine, which in a
     * namespace lab is every lab host's: when the socket table is readable, nothing on UDP 123 means no ntpd here,
     * and a known owner pid picks its process.
     */
    /** One {@code ps} line: pid, elapsed seconds, network namespace inode ("-" unreadable, empty: not asked), name. */
    private record Proc(long pid, long ageSeconds, String netns, String comm) {
    }

    /**
     * The processes of the procs section that belong to this host: a daemon in another network namespace (a
     * container's, or another host's on a machine that runs several) cannot own this host's UDP 123, so it is
     * not this host's daemon. A namespace ps could not read, or a ps without the column, counts (cannot tell).
     */
    private static List<Proc> procsOfThisHost(List<String> lines) {
        long self = -1;
        List<Proc> procs = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && f[0].equals("self") && f[1].matches("\\d{1,18}")) {
                self = Long.parseLong(f[1]);
            } else if ((f.length == 3 || f.length == 4) && f[0].matches("\\d{1,18}") && f[1].matches("\\d{1,18}")) {
                procs.add(new Proc(Long.parseLong(f[0]), Long.parseLong(f[1]), f.length == 4 ? f[2] : "", f[f.length - 1]));
            }
        }
        long shell = self;
        String ours = procs.stream().filter(p -> p.pid() == shell).map(Proc::netns).findFirst().orElse("");
        if (!ours.matches("\\d+")) {
            return procs;
        }
        return procs.stream().filter(p -> !p.netns().matches("\\d+") || p.netns().equals(ours)).toList();
    }

    private static List<Long> ntpdUptimes(Map<Long, Long> byPid, List<String> udp, List<Long> ownerPids) {
        boolean tableKnown = !udp.isEmpty() && !udp.get(0).equals("tool=none");
        boolean anySocket = udp.stream().anyMatch(l -> l.contains(":123 "));
        if (tableKnown && !anySocket) {
            return List.of();
        }
        List<Long> owned = ownerPids.stream().distinct().filter(byPid::containsKey).map(byPid::get).toList();
        return owned.isEmpty() ? List.copyOf(byPid.values()) : owned;
    }

    /**
     * Where rv's part of one {@code ntpq -c peers -c rv} output begins: at its {@code associd=} line, or at the first
     * error after the billboard's rule (rv failed though the billboard answered); the size when there is none.
     */
    static int rvStart(List<String> lines) {
        int rule = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("associd=")) {
                return i;
            }
            if (rule < 0 && l.startsWith("=====")) {
                rule = i;
            } else if (rule >= 0 && l.startsWith("***")) {
                return i;
            }
        }
        return lines.size();
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

    /** The exit status the shell printed (0-255), or -1 when there is none or it is not one. */
    private static int exitCode(List<String> lines) {
        if (lines == null || lines.isEmpty() || !lines.get(0).strip().matches("\\d{1,3}")) {
            return -1;
        }
        int rc = Integer.parseInt(lines.get(0).strip());
        return rc <= 255 ? rc : -1;
    }
}

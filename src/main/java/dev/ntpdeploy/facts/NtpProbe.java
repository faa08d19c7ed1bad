package dev.ntpdeploy.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * verify's fact: {@code remote/ntp-probe.sh}, the one exec per host per verification round, and the parser of
 * what it prints. One round trip gives the billboard, rv, the daemon's age, who owns UDP 123, the config's hash
 * and age, and recent CONFIG/error/panic log lines (the script says how each is bounded).
 *
 * @param confPath the config file this host's daemon reads
 * @param tool     the daemon's query tool ({@code ntpq}, {@code chronyc}: {@code Flavor.queryTool}); only that tool
 *                 is run (ntpq on a chrony host with ntpsec installed costs ~4 s of timeouts and tells nothing)
 * @param master   the host is a master: its daemon's record of the hosts it served is read too ({@link ClientLog})
 */
public record NtpProbe(String confPath, String tool, boolean master) implements Fact<HostObservation> {

    /** The probe of an ntpd client. */
    public NtpProbe(String confPath) {
        this(confPath, "ntpq", false);
    }

    static final RemoteScript SCRIPT = RemoteScript.of("ntp-probe.sh");
    /** A chrony host's probe: chronyc's sections, then the same probe as an ntpd host's. */
    static final RemoteScript CHRONYC_SCRIPT = RemoteScript.of("chronyc-probe.sh+ntp-probe.sh");
    private static final Pattern SS_PROC = Pattern.compile("\\(\\(\"([^\"]+)\"");
    private static final Pattern NETSTAT_PROC = Pattern.compile("\\d+/(\\S+)\\s*$");
    /** A pid, as ss (pid=N) or netstat (N/name) prints it; more than 18 digits is no pid (and would overflow). */
    private static final Pattern OWNER_PID = Pattern.compile("pid=(\\d{1,18})\\b|\\s(\\d{1,18})/\\S+\\s*$");
    private static final Pattern HEX64 = Pattern.compile("^([0-9a-f]{64})\\b");

    @Override
    public RemoteScript script() {
        return tool.equals("chronyc") ? CHRONYC_SCRIPT : SCRIPT;
    }

    @Override
    public List<String> arguments() {
        return List.of(confPath, tool, master ? "master" : "client");
    }

    @Override
    public HostObservation process(ScriptOutput output) {
        return read(output);
    }

    /** Whether this output comes from the probe at all (it got as far as its first section). */
    public static boolean started(String stdout) {
        ScriptOutput out = ScriptOutput.parse(stdout);
        return out.has("ntpq") || out.has("chronyc.tracking");
    }

    /** {@link #process} of a captured text (the parser does not depend on the arguments). */
    public static HostObservation parse(String stdout) {
        return read(ScriptOutput.parse(stdout == null ? "" : stdout));
    }

    static HostObservation read(ScriptOutput out) {
        String stdout = out.raw();
        List<String> ntpq = out.has("ntpq") ? out.lines("ntpq") : null;
        int rc = exitCode(out.lines("ntpq.rc"));
        NtpqPeers peers;
        SystemVarsReading rv;
        if (ntpq == null) {
            String why = out.has("chronyc.tracking") ? "ntpq not run: the host is queried with chronyc"
                    : "probe printed no ntpq section";
            peers = new Unparseable(why, stdout);
            rv = new Unparseable(why, stdout);
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
        List<Long> chronydAges = new ArrayList<>();
        boolean chronyd = false;
        boolean timesyncd = false;
        for (Proc p : procsOfThisHost(out.lines("procs"))) {
            if (p.comm().equals("ntpd")) {
                ntpdAges.put(p.pid(), p.ageSeconds());
            } else if (p.comm().equals("chronyd")) {
                chronyd = true;
                chronydAges.add(p.ageSeconds());
            } else if (p.comm().equals("systemd-timesyn")) { // the kernel keeps 15 characters of the name
                timesyncd = true;
            }
        }
        List<String> udp = out.lines("udp123");
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
        List<String> conf = out.lines("conf");
        String confLine = conf.isEmpty() ? "" : conf.get(0).strip();
        Matcher hm = HEX64.matcher(confLine);
        Optional<String> sha = hm.find() ? Optional.of(hm.group(1)) : Optional.empty();
        boolean present = !confLine.equals("missing") && !conf.isEmpty();
        List<String> log = out.lines("log").stream().filter(l -> !l.isBlank()).toList();
        List<String> age = out.lines("confage");
        OptionalLong confAge = !age.isEmpty() && age.get(0).strip().matches("-?\\d{1,18}")
                ? OptionalLong.of(Long.parseLong(age.get(0).strip())) : OptionalLong.empty();
        HostObservation o = new HostObservation(peers, rv, uptimes, chronyd, owners, sha, present, log,
                out.complete(), confAge, chronyc(out), chronydAges, timesyncd);
        return clientLog(out).map(o::withClientLog).orElse(o);
    }

    /**
     * A master's client log, when the probe read one: chronyc's {@code clients}, or ntpq's MRU list (asked only
     * when ntpd answered). Its ages are made as of the probe's end, like the daemons' ages the judge compares them
     * with: the list is read early in the probe, and the rest of it can take seconds on a loaded host.
     */
    private static Optional<ClientLog> clientLog(ScriptOutput out) {
        String section;
        ClientLog log;
        if (out.has("chronyc.clients")) {
            section = "chronyc.clients";
            log = ClientLog.fromChronyc(chronycCall(out, "clients"));
        } else if (out.has("ntpq.mrulist")) {
            section = "ntpq.mrulist";
            log = ClientLog.fromMrulist(String.join("\n", out.lines(section)), exitCode(out.lines(section + ".rc")));
        } else {
            return Optional.empty();
        }
        OptionalLong read = epoch(out.lines(section + ".at"));
        OptionalLong end = epoch(out.lines("probe.at"));
        long lag = read.isPresent() && end.isPresent() ? end.getAsLong() - read.getAsLong() : 0;
        return Optional.of(lag > 0 && lag < 3600 ? log.aged(lag) : log);
    }

    private static OptionalLong epoch(List<String> lines) {
        return lines.isEmpty() || !lines.get(0).strip().matches("\\d{1,12}") ? OptionalLong.empty()
                : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
    }

    /** One {@code ps} line: pid, elapsed seconds, network namespace inode ("-" unreadable, empty: not asked), name. */
    private record Proc(long pid, long ageSeconds, String netns, String comm) {
    }

    /**
     * The processes of the procs section that belong to this host: a daemon in another network namespace (a
     * container's, or another host's on a machine that runs several) cannot own this host's UDP 123, so it is
     * not this host's daemon. A ps without the column: every process counts (cannot tell). A namespace ps could
     * not read ("-") counts only when the probe reads no other namespace either (an unprivileged probe, to which
     * root's daemons all show "-"); a probe that reads other namespaces is privileged, and its "-" is a process
     * that ended while ps read it (another lab host's daemon being restarted was once judged TWO_DAEMONS).
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
        boolean readsOthers = procs.stream().anyMatch(p -> p.netns().matches("\\d+") && !p.netns().equals(ours));
        return procs.stream().filter(p -> p.netns().equals(ours) || p.netns().equals("-") && !readsOthers).toList();
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

    /** chronyc's three calls about the host's own sync, when the probe asked chronyc (a chrony host); empty otherwise. */
    private static Optional<Chronyc> chronyc(ScriptOutput out) {
        if (!out.has("chronyc.tracking")) {
            return Optional.empty();
        }
        return Optional.of(Chronyc.parse(chronycCall(out, "tracking"), chronycCall(out, "sources"),
                chronycCall(out, "sourcestats")));
    }

    private static Chronyc.Output chronycCall(ScriptOutput out, String query) {
        return new Chronyc.Output(String.join("\n", out.lines("chronyc." + query)),
                exitCode(out.lines("chronyc." + query + ".rc")));
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

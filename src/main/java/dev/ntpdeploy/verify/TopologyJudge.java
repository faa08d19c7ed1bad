package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.NtpqError;
import dev.ntpdeploy.facts.NtpqFailed;
import dev.ntpdeploy.facts.NtpqPeers;
import dev.ntpdeploy.facts.Peer;
import dev.ntpdeploy.facts.SystemVars;
import dev.ntpdeploy.facts.Unparseable;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.NtpSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Judges the whole topology at once: masters first, then every client with its
 * masters' verdicts in hand, because from a client an unsynchronised master looks exactly like an unreachable
 * one (its replies are dropped before the reach register). Pure: no I/O, no clock; ntpd's age comes from the probe.
 */
public final class TopologyJudge {

    /** ntpd's default {@code tos orphanwait}: a LOCAL/orphan master is not selected before it. */
    static final int DEFAULT_ORPHAN_WAIT_S = 300;
    /** ntpd refuses to correct more than this without -g (panic threshold). */
    static final double PANIC_MS = 1_000_000;
    private static final int DEFAULT_POLL_S = 64;

    private final Inventory inventory;
    private final Map<String, HostInput> inputs;
    /** Set when a wait for sync ran out: grace windows are closed, nothing is pending any more. */
    private final Duration waited;
    private final Map<String, HostVerdict> masterVerdicts = new LinkedHashMap<>();

    private TopologyJudge(Inventory inventory, Map<String, HostInput> inputs, Duration waited) {
        this.inventory = inventory;
        this.inputs = inputs;
        this.waited = waited;
    }

    /**
     * @param inputs per inventory host name; hosts without an entry (outside --limit) are not judged
     */
    public static VerifyResult judge(Inventory inventory, Map<String, HostInput> inputs) {
        return new TopologyJudge(inventory, inputs, null).run();
    }

    /**
     * The final judgement after waiting {@code waited} for sync: a host still inside a grace window (STARTING,
     * SYNCING) is not in sync any more; it is judged as if its window had closed and carries a SYNC_TIMEOUT
     * finding saying how long we waited. Hosts already in sync are judged exactly as by {@link #judge}.
     */
    public static VerifyResult judgeAfterWaiting(Inventory inventory, Map<String, HostInput> inputs, Duration waited) {
        VerifyResult open = judge(inventory, inputs);
        VerifyResult closed = new TopologyJudge(inventory, inputs, waited).run();
        List<HostVerdict> out = new ArrayList<>();
        for (int i = 0; i < closed.hosts().size(); i++) {
            HostVerdict was = open.hosts().get(i);
            HostVerdict now = closed.hosts().get(i);
            if (was.verdict().pending()) {
                List<Finding> findings = new ArrayList<>(now.findings());
                findings.add(Finding.critical("SYNC_TIMEOUT", was.host() + " was still " + was.verdict()
                                + " after waiting " + seconds(waited) + " for sync (--sync-timeout): counted as not in sync",
                        "fix the causes above; if " + was.host() + " only needs longer (a local-clock master waits"
                                + " orphanwait + 2 polls), raise --sync-timeout and verify again with `--wait`",
                        List.of()));
                Verdict v = now.verdict().pending() || now.verdict() == Verdict.SERVING || now.verdict() == Verdict.SYNCED
                        ? Verdict.UNSYNCED : now.verdict();
                now = new HostVerdict(now.host(), now.role(), v, now.peer(), now.stratum(), now.offsetMs(),
                        now.jitterMs(), now.reach(), findings, now.unknown());
            }
            out.add(now);
        }
        return VerifyResult.of(out);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    /** True while the host is inside a grace window, unless the wait for sync has run out. */
    private boolean grace(boolean withinWindow) {
        return withinWindow && waited == null;
    }

    private VerifyResult run() {
        for (Host m : inventory.masters()) {
            HostInput in = inputs.get(m.name());
            if (in != null) {
                masterVerdicts.put(m.name(), judgeHost(m, in));
            }
        }
        List<HostVerdict> out = new ArrayList<>();
        for (Host h : inventory.hosts()) {
            HostInput in = inputs.get(h.name());
            if (in != null) {
                out.add(h.isMaster() ? masterVerdicts.get(h.name()) : judgeHost(h, in));
            }
        }
        return VerifyResult.of(out);
    }

    private HostVerdict judgeHost(Host h, HostInput in) {
        if (in instanceof HostInput.Unreachable u) {
            return new HostVerdict(h.name(), h.role(), Verdict.UNREACHABLE, null, null, null, null, null,
                    List.of(Finding.warning("SSH_UNREACHABLE", "cannot reach " + h.name() + " over SSH: " + u.reason(),
                            "check the host is up and its SSH address/port/key in the inventory", List.of())), true);
        }
        HostInput.Reached r = (HostInput.Reached) in;
        Ctx c = new Ctx(h, r.observation());
        configFindings(c, r);
        Optional<HostVerdict> daemon = daemonProblems(c);
        if (daemon.isPresent()) {
            return daemon.get();
        }
        if (c.sysPeer().isEmpty()) {
            c.peers.stream().filter(p -> p.reach() != 0 && Math.abs(p.offsetMs()) >= PANIC_MS).findFirst()
                    .ifPresent(p -> c.findings.add(panic(c, p)));
        }
        return h.isMaster() ? judgeMaster(c) : judgeClient(c);
    }

    /** Per-host working state while judging. */
    private static final class Ctx {
        final Host host;
        final HostObservation obs;
        final List<Finding> findings = new ArrayList<>();
        final List<Peer> peers;
        final Optional<SystemVars> rv;

        Ctx(Host host, HostObservation obs) {
            this.host = host;
            this.obs = obs;
            this.peers = obs.peers() instanceof NtpqPeers.Table t ? t.peers() : List.of();
            this.rv = obs.systemVars() instanceof SystemVars v ? Optional.of(v) : Optional.empty();
        }

        NtpSpec ntp() {
            return host.ntp();
        }

        Optional<Peer> sysPeer() {
            return peers.stream().filter(Peer::isSystemPeer).findFirst();
        }

        Integer stratum() {
            OptionalInt s = rv.map(SystemVars::stratum).orElse(OptionalInt.empty());
            if (s.isPresent()) {
                return s.getAsInt();
            }
            return sysPeer().map(p -> p.stratum() + 1).orElse(null);
        }

        long uptime() {
            return obs.ntpdUptimeSeconds().orElse(Long.MAX_VALUE);
        }

        String uptimeText() {
            return obs.ntpdUptimeSeconds().isPresent() ? "ntpd started " + uptime() + " s ago" : "ntpd's age unknown";
        }

        String service() {
            return ntp().service().orElseGet(() -> ntp().flavor().service() != null ? ntp().flavor().service() : "ntp");
        }

        String confPath() {
            return ntp().confPath().orElseGet(() -> ntp().flavor().confPath() != null ? ntp().flavor().confPath()
                    : "ntp.conf");
        }

        /** @param shown the row the verdict is about: its reach is reported; peer/offset/jitter only when it is selected */
        HostVerdict verdict(Verdict v, Peer shown, boolean unknown) {
            boolean selected = shown != null && shown.isSystemPeer();
            return new HostVerdict(host.name(), host.role(), v, selected ? shown.remote() : null, stratum(),
                    selected ? shown.offsetMs() : null, selected ? shown.jitterMs() : null,
                    shown == null ? null : shown.reach(), findings, unknown);
        }
    }

    // ---------------------------------------------------------------- common to both roles

    private void configFindings(Ctx c, HostInput.Reached r) {
        HostObservation o = c.obs;
        if (r.renderedSha256().isPresent()) {
            if (!o.configPresent()) {
                c.findings.add(Finding.critical("CONFIG_MISSING", c.confPath() + " does not exist on " + c.host.name()
                                + ": ntpd runs without the configuration ntpdeploy renders",
                        "run `ntpdeploy apply --dry-run` to see what would be written, then `ntpdeploy apply`", List.of()));
            } else if (o.configSha256().isPresent() && !o.configSha256().get().equalsIgnoreCase(r.renderedSha256().get())) {
                c.findings.add(Finding.warning("CONFIG_DRIFT", c.confPath() + " on " + c.host.name()
                                + " differs from what the inventory renders (edited on the host?)",
                        "suggest `ntpdeploy apply --dry-run` to see the difference, then `ntpdeploy apply`",
                        List.of("sha256 on host " + o.configSha256().get(), "rendered sha256 " + r.renderedSha256().get())));
            }
        }
        if (o.configPresent() && o.configChangedAfterStart()) {
            c.findings.add(Finding.warning("CONFIG_NOT_LOADED", c.confPath() + " on " + c.host.name() + " changed "
                            + o.configAgeSeconds().getAsLong() + " s ago, after ntpd started (" + c.uptime() + " s ago):"
                            + " the running daemon never read it (an interrupted apply, or an edit without a restart)",
                    "`ntpdeploy apply` (restarts ntpd where it runs an older config), or `systemctl restart " + c.service()
                            + "` on the host",
                    List.of("config changed " + o.configAgeSeconds().getAsLong() + " s ago", c.uptimeText())));
        }
        List<String> configErrors = o.logLines().stream().filter(l -> l.contains("CONFIG") && l.contains("error")).toList();
        if (!configErrors.isEmpty()) {
            c.findings.add(Finding.warning("CONFIG_REJECTED_LINES", "ntpd rejected lines of its configuration and runs"
                            + " without them: " + configErrors.get(0).replaceFirst("^.*?CONFIG: ", ""),
                    "correct the line (e.g. classic `discard` is a syntax error in NTPsec: use `limit`), then `ntpdeploy apply`",
                    configErrors));
        }
    }

    private Optional<HostVerdict> daemonProblems(Ctx c) {
        HostObservation o = c.obs;
        String name = c.host.name();
        if (o.chronydRunning() || o.udp123Owners().stream().anyMatch(s -> s.startsWith("chrony"))) {
            if (!o.ntpdRunning()) {
                c.findings.add(Finding.critical("CHRONY_UNSUPPORTED", "chronyd runs on " + name
                                + ", not ntpd: ntpdeploy manages ntpd (classic or NTPsec), chrony is not supported",
                        "stop and disable chronyd (`systemctl disable --now chronyd`), then `ntpdeploy apply`",
                        o.udp123Owners()));
                return Optional.of(c.verdict(Verdict.NTPD_DOWN, null, false));
            }
            c.findings.add(Finding.critical("TWO_DAEMONS", "both ntpd and chronyd run on " + name
                            + ": only one can own UDP 123" + owners(o),
                    "stop and disable chronyd (`systemctl disable --now chronyd`), then `systemctl restart " + c.service() + "`",
                    o.udp123Owners()));
        }
        if (o.peers() instanceof NtpqFailed f) {
            return Optional.of(ntpqFailed(c, f));
        }
        if (o.peers() instanceof Unparseable u) {
            c.findings.add(Finding.warning("UNPARSEABLE_OUTPUT", "cannot read ntpq's output on " + name + " (" + u.reason()
                    + "): its state is unknown", "run `ntpq -pn` on the host and report the output", u.raw().lines()
                    .limit(10).toList()));
            return Optional.of(c.verdict(Verdict.UNSYNCED, null, true));
        }
        if (!o.complete()) {
            c.findings.add(Finding.warning("PROBE_INCOMPLETE", "the probe on " + name + " was cut short: some facts are missing",
                    "re-run; if it persists, check the host's load and SSH session limits", List.of()));
        }
        return Optional.empty();
    }

    private HostVerdict ntpqFailed(Ctx c, NtpqFailed f) {
        HostObservation o = c.obs;
        String name = c.host.name();
        List<String> ev = new ArrayList<>();
        ev.add(f.evidence());
        switch (f.error()) {
            case NOT_LISTENING -> {
                ev.addAll(o.logLines());
                String panic = o.logLines().stream().filter(l -> l.toLowerCase(Locale.ROOT).contains("panic")).findFirst()
                        .orElse(null);
                if (panic != null) {
                    c.findings.add(Finding.critical("NTPD_PANIC_EXIT", "ntpd on " + name + " exited: the clock is more than"
                                    + " 1000 s off (panic threshold) and ntpd refuses to step it without -g",
                            "set the clock once (`ntpd -gq`, or run ntpd with -g), check the master's time, then "
                                    + "`systemctl restart " + c.service() + "`", ev));
                } else if (o.ntpdRunning()) {
                    c.findings.add(Finding.critical("NTPD_NOT_LISTENING", "ntpd runs on " + name
                                    + " (" + c.uptimeText() + ") but nothing answers on localhost UDP 123",
                            "check `interface` lines in " + c.confPath() + " and `journalctl -u " + c.service() + "`", ev));
                } else {
                    c.findings.add(Finding.critical("NTPD_NOT_RUNNING", "ntpd is not running on " + name,
                            "start it: `systemctl enable --now " + c.service() + "`; if it stops again read `journalctl -u "
                                    + c.service() + "`", ev));
                }
                return c.verdict(Verdict.NTPD_DOWN, null, false);
            }
            case NTPQ_MISSING -> {
                if (!o.ntpdRunning()) {
                    c.findings.add(Finding.critical("NTP_NOT_INSTALLED", "neither ntpq nor a running ntpd on " + name
                            + ": the ntp/ntpsec package is not installed", "install it (`ntpdeploy apply` after "
                            + "installing the `" + c.service() + "` package)", ev));
                    return c.verdict(Verdict.NTPD_DOWN, null, false);
                }
                c.findings.add(Finding.warning("NTPQ_MISSING", "ntpq is not installed on " + name
                        + ": ntpd runs but its state cannot be read", "install the package that ships ntpq (ntp / ntpsec)", ev));
                return c.verdict(Verdict.UNSYNCED, null, true);
            }
            case NO_REPLY -> {
                if (!o.ntpdRunning()) {
                    c.findings.add(Finding.critical("NTPD_NOT_RUNNING", "ntpd is not running on " + name
                                    + " and nothing answers ntpq" + owners(o),
                            "start it: `systemctl enable --now " + c.service() + "`", ev));
                    return c.verdict(Verdict.NTPD_DOWN, null, false);
                }
                List<String> others = o.udp123Owners().stream().filter(s -> !s.startsWith("ntpd")).toList();
                String cause = others.isEmpty()
                        ? "`restrict 127.0.0.1`/`restrict ::1` missing (NTPsec refuses queries by default) or another"
                                + " daemon owns UDP 123"
                        : others.get(0) + " owns UDP 123";
                List<String> servedClients = clientsSelecting(c.host);
                Severity sev = servedClients.isEmpty() ? Severity.CRITICAL : Severity.WARNING;
                c.findings.add(new Finding("NTPQ_NO_ANSWER", sev, "ntpq gets no answer from ntpd on " + name + ": " + cause
                        + (servedClients.isEmpty() ? "" : " (it does serve time: " + String.join(", ", servedClients)
                        + " synced to it)"),
                        "keep `restrict 127.0.0.1` and `restrict ::1` in " + c.confPath() + " (`ntpdeploy apply --dry-run`"
                                + " shows them)" + (others.isEmpty() ? "" : "; stop " + others.get(0)), ev));
                if (!servedClients.isEmpty()) {
                    return c.verdict(Verdict.SERVING, null, false);
                }
                return c.verdict(Verdict.UNSYNCED, null, false);
            }
            default -> {
                c.findings.add(Finding.warning("NTPQ_" + f.error(), "ntpq could not query ntpd on " + name + ": "
                        + f.evidence(), f.error() == NtpqError.LOOKUP_FAILED
                        ? "make `localhost` resolve on the host (/etc/hosts)" : "re-run the verification", ev));
                return c.verdict(Verdict.UNSYNCED, null, true);
            }
        }
    }

    private static String owners(HostObservation o) {
        return o.udp123Owners().isEmpty() ? "" : " (UDP 123 owned by " + String.join(", ", o.udp123Owners()) + ")";
    }

    /** Clients (judged or not) whose own billboard shows this master as a fresh system peer. */
    private List<String> clientsSelecting(Host master) {
        List<String> out = new ArrayList<>();
        for (Host cl : inventory.clients()) {
            if (inputs.get(cl.name()) instanceof HostInput.Reached r && r.observation().peers() instanceof NtpqPeers.Table t) {
                t.systemPeer().filter(p -> p.latestAnswered() && !p.overdue() && matches(master, p))
                        .ifPresent(p -> out.add(cl.name()));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- masters

    private HostVerdict judgeMaster(Ctx c) {
        NtpSpec ntp = c.ntp();
        Optional<Peer> sys = c.sysPeer();
        boolean upstreams = !ntp.upstream().isEmpty();
        boolean orphanParent = c.rv.map(SystemVars::isOrphanParent).orElse(false);
        boolean serving = c.rv.map(SystemVars::synced)
                .orElse(sys.map(p -> p.latestAnswered() && !p.overdue()).orElse(false));
        List<Peer> upstreamRows = c.peers.stream().filter(p -> !p.isRefclock() && !p.isPoolPrototype()).toList();
        if (serving) {
            Peer p = sys.orElse(null);
            if (p != null && p.isLocalClock() && upstreams) {
                c.findings.add(Finding.warning("LOCAL_CLOCK_FALLBACK", "master serves its local clock: none of its upstream"
                                + " servers answers (" + describe(upstreamRows, ntp) + ")",
                        "repair the upstream path (DNS resolution, UDP/123 to " + String.join(", ", ntp.upstream())
                                + "), or set `ntp_upstream: []` if this master is meant to be isolated",
                        rows(upstreamRows)));
            } else if (p == null && orphanParent && upstreams) {
                c.findings.add(Finding.warning("ORPHAN_FALLBACK", "master serves in orphan mode: none of its upstream"
                                + " servers answers (" + describe(upstreamRows, ntp) + ")",
                        "repair the upstream path (DNS resolution, UDP/123 to " + String.join(", ", ntp.upstream())
                                + "), or set `ntp_upstream: []` if this master is meant to be isolated",
                        rows(upstreamRows)));
            } else if (p != null && !p.isRefclock() && (!p.latestAnswered() || p.overdue())) {
                c.findings.add(Finding.warning("UPSTREAM_STALE", "master's selected upstream " + p.remote()
                                + " stopped answering: " + freshness(p),
                        "check the upstream path (UDP/123 to " + p.remote() + ")", rows(List.of(p))));
            }
            if (p != null && !p.isRefclock()) {
                offsetFindings(c, p);
            }
            OptionalInt expected = p != null && p.isLocalClock() ? OptionalInt.of(ntp.localStratum() + 1)
                    : p == null && orphanParent ? ntp.orphanStratum() : OptionalInt.empty();
            Integer actual = c.stratum();
            if (expected.isPresent() && actual != null && actual != expected.getAsInt()) {
                c.findings.add(Finding.warning("STRATUM_UNEXPECTED", "master serves at stratum " + actual
                                + ", the inventory expects " + expected.getAsInt()
                                + (p != null && p.isLocalClock() ? " (local clock fudge stratum " + ntp.localStratum() + " + 1)"
                                : " (tos orphan " + expected.getAsInt() + ")"),
                        "suggest `ntpdeploy apply --dry-run` to compare the config on the host", List.of()));
            }
            HostVerdict v = c.verdict(Verdict.SERVING, p, false);
            return p == null && orphanParent ? withPeer(v, "orphan") : v;
        }

        // not serving: find out why
        Optional<Peer> local = c.peers.stream().filter(Peer::isLocalClock).findFirst();
        int poll = local.or(() -> sys).or(() -> upstreamRows.stream().findFirst()).map(Peer::pollSeconds)
                .orElse(DEFAULT_POLL_S);
        // orphanwait only delays the local clock and orphan mode; upstreams alone sync within a few polls (iburst)
        boolean ownClock = ntp.localClock() || ntp.orphanStratum().isPresent();
        long window = ownClock ? ntp.orphanWait().orElse(DEFAULT_ORPHAN_WAIT_S) + 2L * poll : 2L * poll + 60;
        boolean starting = grace(c.uptime() < window);
        List<Finding> why = new ArrayList<>();
        List<Peer> answering = upstreamRows.stream().filter(p -> p.reach() != 0 && p.stratum() < 16).toList();
        if (upstreams && answering.isEmpty()) {
            boolean dns = upstreamRows.stream().anyMatch(p -> p.refid().startsWith(".DNS")) || upstreamRows.isEmpty();
            why.add(Finding.critical("MASTER_UPSTREAM_UNREACHABLE", "master cannot reach its upstream servers ("
                            + (dns ? "DNS" : "network") + "): " + describe(upstreamRows, ntp)
                            + "; clients cannot sync to a stratum-16 master",
                    "repair the upstream path (DNS resolution and UDP/123 to " + String.join(", ", ntp.upstream())
                            + ") or set `ntp_upstream: []` (isolated: serve the local clock)", rows(upstreamRows)));
        } else if (upstreams) {
            why.add(Finding.critical("UPSTREAM_NOT_SELECTED", "master's upstream servers answer but none is selected ("
                            + describe(answering, ntp) + ")",
                    "check the upstreams agree with each other (tally x = falseticker) and are synchronised themselves",
                    rows(answering)));
        } else if (ntp.localClock() && local.isEmpty()) {
            why.add(Finding.critical("LOCAL_CLOCK_NOT_CONFIGURED", "master should serve its local clock but ntpd has no"
                            + " LOCAL(0) (127.127.1.0) association: " + c.confPath() + " is not what the inventory renders",
                    "suggest `ntpdeploy apply --dry-run`, then `ntpdeploy apply`", rows(c.peers)));
        } else if (!ntp.localClock() && ntp.orphanStratum().isEmpty() && c.obs.peers() instanceof NtpqPeers.NoAssociations) {
            why.add(Finding.critical("MASTER_NO_SOURCES", "master's ntpd has no time source: no server, no local clock,"
                    + " no orphan mode", "suggest `ntpdeploy apply --dry-run`, then `ntpdeploy apply`", List.of()));
        } else {
            why.add(Finding.critical("MASTER_UNSYNCED", "master is not synchronised " + leapText(c) + ": "
                            + c.uptimeText() + ", its local clock/orphan mode should be selected after orphanwait ("
                            + ntp.orphanWait().orElse(DEFAULT_ORPHAN_WAIT_S) + " s)",
                    "read `journalctl -u " + c.service() + "` and `ntpq -c rv` on the host", rows(c.peers)));
        }
        Peer shown = local.or(() -> sys).or(() -> upstreamRows.stream().findFirst()).orElse(null);
        if (starting) {
            c.findings.add(Finding.warning("STARTING", "master restarted recently (" + c.uptimeText() + "): "
                            + (ownClock ? "a local clock or orphan source is only selected after orphanwait + 2 polls"
                            : "upstreams are selected within a few polls") + " (" + window + " s)",
                    "wait and verify again", List.of()));
            why.forEach(f -> c.findings.add(f.as(Severity.WARNING)));
            return c.verdict(Verdict.STARTING, shown, false);
        }
        c.findings.addAll(why);
        return c.verdict(Verdict.UNSYNCED, shown, false);
    }

    private static HostVerdict withPeer(HostVerdict v, String peer) {
        return new HostVerdict(v.host(), v.role(), v.verdict(), peer, v.stratum(), v.offsetMs(), v.jitterMs(), v.reach(),
                v.findings(), v.unknown());
    }

    private static String leapText(Ctx c) {
        return c.rv.map(v -> "(leap " + v.leap().orElse(-1) + ", stratum " + v.stratum().orElse(-1) + ", refid "
                + v.refid().orElse("?") + ")").orElse("");
    }

    // ---------------------------------------------------------------- clients

    private HostVerdict judgeClient(Ctx c) {
        Optional<Peer> sysOpt = c.sysPeer();
        List<Host> masters = inventory.masters();
        String name = c.host.name();
        if (c.obs.peers() instanceof NtpqPeers.NoAssociations n) {
            c.findings.add(Finding.critical("CLIENT_NO_SERVERS", "ntpd on " + name + " polls no server at all: "
                            + c.confPath() + " is not the inventory's (not applied, other path, or a DHCP override)",
                    "suggest `ntpdeploy apply --dry-run`, then `ntpdeploy apply`", List.of(n.evidence())));
            return c.verdict(Verdict.UNSYNCED, null, false);
        }
        if (sysOpt.isPresent()) {
            Peer sys = sysOpt.get();
            Optional<Host> master = masters.stream().filter(m -> matches(m, sys)).findFirst();
            if (sys.isRefclock()) {
                c.findings.add(Finding.critical("CLIENT_ON_LOCAL_CLOCK", name + " follows its own " + sys.remote()
                                + " clock, not a master" + mastersState(c, masters),
                        "remove `server 127.127.1.0`/`fudge` from the client's config (ntpdeploy never renders them for"
                                + " clients): suggest `ntpdeploy apply --dry-run`", rows(c.peers)));
                return c.verdict(Verdict.UNSYNCED, sys, false);
            }
            if (master.isEmpty()) {
                c.findings.add(Finding.critical("SYNCED_TO_FOREIGN_PEER", name + " is synced to " + sys.remote()
                                + " (stratum " + sys.stratum() + "), which is not one of the inventory masters ("
                                + masters.stream().map(m -> m.ntp().serverAddress()).collect(Collectors.joining(", ")) + ")",
                        "its config differs from the inventory: suggest `ntpdeploy apply --dry-run`", rows(List.of(sys))));
                return c.verdict(Verdict.UNSYNCED, sys, false);
            }
            Host m = master.get();
            if (!sys.latestAnswered() || sys.overdue()) {
                HostVerdict mv = masterVerdicts.get(m.name());
                if (mv != null && mv.verdict() == Verdict.SERVING && grace(masterUptime(m) < syncWindow(sys))) {
                    c.findings.add(Finding.warning("SYNCING", m.name() + " restarted " + masterUptime(m) + " s ago: "
                            + name + " keeps `*` on it until its polls are answered again (" + freshness(sys) + ")",
                            "wait and verify again", rows(List.of(sys))));
                    return c.verdict(Verdict.SYNCING, sys, false);
                }
                String cause = mv != null && mv.verdict() != Verdict.SERVING
                        ? "master " + m.name() + " is " + mv.verdict() + ": fix the master first"
                        : "replies stopped: UDP/123 blocked, or " + m.name() + " rate-limits " + name
                        + " (`restrict ... limited`, KoD)";
                c.findings.add(Finding.critical("PEER_STALE", name + " keeps `*` on " + sys.remote() + " (" + m.name()
                                + ") but it is stale: " + freshness(sys) + "; " + cause,
                        mv != null && mv.verdict() != Verdict.SERVING ? "see " + m.name() + "'s findings"
                                : "open UDP/123 between " + name + " and " + m.name() + "; exempt the client network from"
                                + " `limited` on the master", rows(List.of(sys))));
                return c.verdict(Verdict.UNSYNCED, sys, false);
            }
            if (c.rv.isPresent() && !c.rv.get().synced()) {
                if (grace(c.uptime() < syncWindow(sys))) {
                    c.findings.add(Finding.warning("SYNCING", name + " selected " + m.name() + " but has not set its clock"
                            + " yet " + leapText(c) + " (" + c.uptimeText() + ")", "wait and verify again", List.of()));
                    return c.verdict(Verdict.SYNCING, sys, false);
                }
                c.findings.add(Finding.critical("CLIENT_NOT_SYNCHRONISED", name + " selects " + m.name()
                                + " but still reports itself unsynchronised " + leapText(c),
                        "read `journalctl -u " + c.service() + "` on the host", rows(List.of(sys))));
                return c.verdict(Verdict.UNSYNCED, sys, false);
            }
            boolean offsetBad = offsetFindings(c, sys);
            // polls lost while the master restarted (apply restarts it) are no sign of a lossy path: the reach
            // register covers the last 8 polls
            if (sys.missedSinceFirstSuccess() >= 2 && masterUptime(m) >= 8L * sys.pollSeconds()) {
                c.findings.add(Finding.warning("PEER_LOSSY", name + " misses replies from " + m.name() + ": reach "
                                + sys.reachOctal() + " (" + sys.missedSinceFirstSuccess() + " of the last polls lost)",
                        "check packet loss and rate limiting between " + name + " and " + m.name(), rows(List.of(sys))));
            }
            HostVerdict mv = masterVerdicts.get(m.name());
            OptionalInt served = mv != null && mv.verdict() == Verdict.SERVING && mv.stratum() != null
                    ? OptionalInt.of(mv.stratum()) : servingStratum(m);
            Integer actual = c.stratum();
            if (served.isPresent() && actual != null && actual != served.getAsInt() + 1) {
                c.findings.add(Finding.warning("STRATUM_UNEXPECTED", name + " runs at stratum " + actual
                                + ", expected " + (served.getAsInt() + 1) + " (one below " + m.name() + " at "
                                + served.getAsInt() + ")",
                        "suggest `ntpdeploy apply --dry-run` on " + m.name(), rows(List.of(sys))));
            }
            return c.verdict(offsetBad ? Verdict.UNSYNCED : Verdict.SYNCED, sys, false);
        }
        return clientWithoutPeer(c, masters);
    }

    private HostVerdict clientWithoutPeer(Ctx c, List<Host> masters) {
        String name = c.host.name();
        Map<Host, Peer> rows = new LinkedHashMap<>();
        for (Host m : masters) {
            c.peers.stream().filter(p -> matches(m, p)).findFirst().ifPresent(p -> rows.put(m, p));
        }
        if (rows.isEmpty()) {
            c.findings.add(Finding.critical("CLIENT_MASTER_NOT_CONFIGURED", name + " polls none of the inventory masters ("
                            + masters.stream().map(m -> m.ntp().serverAddress()).collect(Collectors.joining(", ")) + ")",
                    "its config differs from the inventory (or a DHCP override is used): suggest `ntpdeploy apply --dry-run`",
                    rows(c.peers)));
            return c.verdict(Verdict.UNSYNCED, null, false);
        }
        List<Finding> why = new ArrayList<>();
        boolean waiting = false;
        Peer shown = rows.values().iterator().next();
        for (Map.Entry<Host, Peer> e : rows.entrySet()) {
            Host m = e.getKey();
            Peer p = e.getValue();
            HostVerdict mv = masterVerdicts.get(m.name());
            if (p.refid().equals(".DENY.") || p.refid().equals(".RSTR.")) {
                why.add(denied(c, m, p, "answers " + name + " with a kiss-of-death " + p.refid()));
            } else if (p.refid().equals(".RATE.")) {
                why.add(Finding.critical("RATE_LIMITED", m.name() + " rate-limits " + name + " (kiss-of-death .RATE.)",
                        "exempt the clients' network from `limited` on " + m.name() + "; do not use `burst` or a low"
                                + " `minpoll` against your own master", rows(List.of(p))));
            } else if (p.refid().equals(".STEP.")) {
                waiting = grace(true);
                why.add(Finding.warning("SYNCING", name + " has just stepped its clock (.STEP.): associations restart",
                        "wait a few polls and verify again", rows(List.of(p))));
            } else if (p.refid().startsWith(".DNS")) {
                why.add(Finding.critical("MASTER_NAME_UNRESOLVED", name + " cannot resolve " + m.name() + "'s address "
                                + p.remote(), "set " + m.name() + "'s `ntp_server_address` to its IP address, or fix DNS on "
                                + name, rows(List.of(p))));
            } else if (p.reach() == 0) {
                if (mv != null && mv.verdict() == Verdict.STARTING) {
                    waiting = true;
                    why.add(Finding.warning("WAITING_FOR_MASTER", name + " waits for " + m.name() + ", which is STARTING",
                            "wait and verify again", rows(List.of(p))));
                } else if (mv != null && mv.verdict() != Verdict.SERVING && mv.verdict() != Verdict.UNREACHABLE) {
                    why.add(Finding.critical("MASTER_NOT_SERVING", "no usable replies from " + m.name() + ": the master"
                                    + " itself is " + mv.verdict() + " (an unsynchronised master's replies are dropped, so it"
                                    + " looks unreachable from " + name + ", not a network problem)",
                            "fix " + m.name() + " first (see its findings)", rows(List.of(p))));
                } else if (mv == null || mv.verdict() == Verdict.UNREACHABLE) {
                    why.add(Finding.critical("MASTER_STATE_UNKNOWN", "no NTP replies from " + m.name() + " (" + p.remote()
                                    + "), whose own state is unknown" + (mv == null ? " (not verified)" : " (SSH unreachable)"),
                            "verify " + m.name() + " too; then check UDP/123 between " + name + " and " + m.name(),
                            rows(List.of(p))));
                } else if (grace(c.uptime() < 2L * p.pollSeconds() || masterUptime(m) < 2L * p.pollSeconds())) {
                    waiting = true;
                    why.add(Finding.warning("SYNCING", name + " has not polled " + m.name() + " yet (" + c.uptimeText()
                            + (masterUptime(m) < c.uptime() ? ", " + m.name() + " restarted " + masterUptime(m) + " s ago" : "")
                            + ", poll " + p.pollSeconds() + " s)", "wait and verify again", rows(List.of(p))));
                } else {
                    why.add(noReplies(c, m, p));
                }
            } else if (p.stratum() >= 16) {
                why.add(Finding.critical("MASTER_NOT_SERVING", m.name() + " answers " + name + " at stratum 16: the master"
                        + " is not synchronised", "fix " + m.name() + " first (see its findings)", rows(List.of(p))));
            } else if (grace(p.latestAnswered() && Math.min(c.uptime(), masterUptime(m)) < syncWindow(p))) {
                waiting = true;
                why.add(Finding.warning("SYNCING", name + " hears " + m.name() + " (reach " + p.reachOctal()
                                + "), no peer selected yet (" + c.uptimeText() + ")", "wait and verify again",
                        rows(List.of(p))));
            } else if (p.tally() == 'x') {
                why.add(Finding.critical("MASTER_FALSETICKER", name + " rejects " + m.name() + " as a falseticker: it"
                                + " disagrees with the client's other sources",
                        "let clients use only the inventory masters; check " + m.name() + "'s clock", rows(c.peers)));
            } else {
                why.add(Finding.critical("MASTER_NOT_SELECTED", "replies from " + m.name() + " arrive (reach "
                                + p.reachOctal() + ") but " + name + " does not select it " + freshness(p),
                        "read `ntpq -c as` and `journalctl -u " + c.service() + "` on " + name, rows(List.of(p))));
            }
        }
        boolean anyCritical = why.stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
        if (waiting && !anyCritical) {
            c.findings.addAll(why);
            return c.verdict(Verdict.SYNCING, shown, false);
        }
        c.findings.addAll(why);
        return c.verdict(Verdict.UNSYNCED, shown, false);
    }

    private Finding noReplies(Ctx c, Host m, Peer p) {
        String name = c.host.name();
        String addr = c.host.connection().address();
        Optional<Boolean> covered = AllowList.covers(m.ntp().allow(), addr);
        if (!m.ntp().allow().isEmpty() && covered.isPresent() && !covered.get()) {
            return denied(c, m, p, "sends no NTP replies to " + name);
        }
        return Finding.critical("CLIENT_NO_REPLIES", "no NTP replies from " + m.name() + " (" + p.remote()
                        + ") although it is serving: UDP/123 blocked or " + m.name() + "'s restrict denies " + name
                        + " (" + addr + ")",
                "open UDP/123 between " + name + " and " + m.name() + " (both directions, nft/iptables on both hosts)"
                        + (covered.isEmpty() || m.ntp().allow().isEmpty() ? "; check " + m.name() + "'s `ntp_allow` covers "
                        + addr : ""), rows(List.of(p)));
    }

    /** The master's restrict lines refuse this client: name the ntp_allow entry that renders the missing line. */
    private static Finding denied(Ctx c, Host m, Peer p, String what) {
        String addr = c.host.connection().address();
        String add = AllowList.suggestion(addr).orElse(addr);
        return Finding.critical("CLIENT_NOT_ALLOWED", m.name() + " (" + p.remote() + ") " + what + ": its `restrict`"
                        + " lines do not allow " + c.host.name() + " (" + addr + ", ntp_allow " + m.ntp().allow() + ")",
                "add `" + add + "` to " + m.name() + "'s `ntp_allow` (renders the `restrict` line for that network) and"
                        + " run `ntpdeploy apply`", rows(List.of(p)));
    }

    private String mastersState(Ctx c, List<Host> masters) {
        List<String> down = masters.stream().filter(m -> masterVerdicts.containsKey(m.name())
                        && masterVerdicts.get(m.name()).verdict() != Verdict.SERVING)
                .map(m -> m.name() + " is " + masterVerdicts.get(m.name()).verdict()).toList();
        return down.isEmpty() ? "" : " (" + String.join(", ", down) + ")";
    }

    // ---------------------------------------------------------------- shared rules

    /** Offset rules: warning above half the limit, critical above it, panic above 1000 s. True when not in sync. */
    private static boolean offsetFindings(Ctx c, Peer p) {
        double limit = c.ntp().maxOffsetMs();
        double abs = Math.abs(p.offsetMs());
        String shown = (p.offsetTruncated() ? "at least " : "") + fmt(abs) + " ms";
        if (abs >= PANIC_MS) {
            c.findings.add(panic(c, p));
            return true;
        }
        if (abs > limit) {
            c.findings.add(Finding.critical("OFFSET_CRITICAL", c.host.name() + " is " + shown + " off " + p.remote()
                            + " (limit ntp_max_offset_ms " + fmt(limit) + ")",
                    "wait for ntpd to step/slew; if it persists check the clock source and `tinker` settings",
                    rows(List.of(p))));
            return true;
        }
        if (abs > limit / 2) {
            c.findings.add(Finding.warning("OFFSET_WARNING", c.host.name() + " is " + shown + " off " + p.remote()
                            + " (more than half of ntp_max_offset_ms " + fmt(limit) + ")",
                    "watch it; a rising offset means the clock source or the network path is unstable", rows(List.of(p))));
        }
        return false;
    }

    private static Finding panic(Ctx c, Peer p) {
        return Finding.critical("OFFSET_PANIC", c.host.name() + " is " + (p.offsetTruncated() ? "at least " : "")
                        + fmt(Math.abs(p.offsetMs())) + " ms off " + p.remote() + ": beyond ntpd's 1000 s panic threshold,"
                        + " ntpd will refuse to step without -g (and exit)",
                "set the clock once (`ntpd -gq`, or start ntpd with -g) after checking which side is wrong",
                rows(List.of(p)));
    }

    /** Seconds since the master's ntpd started, as its own probe saw it (MAX_VALUE when unknown). */
    private long masterUptime(Host m) {
        return inputs.get(m.name()) instanceof HostInput.Reached r
                ? r.observation().ntpdUptimeSeconds().orElse(Long.MAX_VALUE) : Long.MAX_VALUE;
    }

    /** Time for a fresh client to select a peer: iburst needs seconds, without it ~4 polls. */
    private static long syncWindow(Peer p) {
        return 4L * p.pollSeconds() + 60;
    }

    /** The stratum a master serves at when it uses its own clock (local driver N+1, orphan N); empty with upstreams. */
    static OptionalInt servingStratum(Host m) {
        NtpSpec n = m.ntp();
        if (!n.upstream().isEmpty()) {
            return OptionalInt.empty();
        }
        if (n.localClock()) {
            return OptionalInt.of(n.localStratum() + 1);
        }
        return n.orphanStratum();
    }

    /** Does a billboard row name this master? -n prints addresses, cut to 15 chars; classic may add " (name". */
    static boolean matches(Host m, Peer p) {
        String remote = p.remote();
        for (String id : new String[] {m.ntp().serverAddress(), m.connection().address(), m.name()}) {
            if (id == null || id.isEmpty()) {
                continue;
            }
            if (remote.equals(id) || remote.length() == 15 && id.startsWith(remote) || remote.startsWith(id + " (")) {
                return true;
            }
        }
        return false;
    }

    private static String freshness(Peer p) {
        return "reach " + p.reachOctal() + (p.latestAnswered() ? "" : " (last poll unanswered)")
                + (p.whenSeconds() == null ? ", no reply yet" : ", last reply " + p.whenSeconds() + " s ago")
                + ", poll " + p.pollSeconds() + " s";
    }

    private static String describe(List<Peer> rows, NtpSpec ntp) {
        if (rows.isEmpty()) {
            return "no association for " + String.join(", ", ntp.upstream()) + " (the names never resolved)";
        }
        return rows.stream().map(p -> p.remote() + " " + (p.refid().isEmpty() ? "" : p.refid() + " ") + "st " + p.stratum()
                + " reach " + p.reachOctal() + (p.refid().startsWith(".DNS") ? " (name does not resolve)" : ""))
                .collect(Collectors.joining(", "));
    }

    private static List<String> rows(List<Peer> peers) {
        return peers.stream().map(p -> String.format(Locale.ROOT, "%c%-15s %-15s %2d %c %4s %4d %4s %9s %9s %9s",
                p.tally(), p.remote(), p.refid(), p.stratum(), p.type(), p.whenSeconds() == null ? "-" : p.whenSeconds(),
                p.pollSeconds(), p.reachOctal(), fmt(p.delayMs()), fmt(p.offsetMs()), fmt(p.jitterMs()))).toList();
    }

    /** A number as ntpq would show it, without float noise: 0.0001, 22.654, 2000000. */
    static String fmt(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}

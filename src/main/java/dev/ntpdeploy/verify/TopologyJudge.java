package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.HostObservation;
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
                findings.add(FindingCode.SYNC_TIMEOUT.finding("", Map.of("host", was.host(), "verdict", was.verdict(),
                        "waited", waited.toSeconds()), List.of()));
                Verdict v = now.verdict().pending() || now.verdict() == Verdict.SERVING || now.verdict() == Verdict.SYNCED
                        ? Verdict.UNSYNCED : now.verdict();
                now = new HostVerdict(now.host(), now.role(), v, now.peer(), now.stratum(), now.offsetMs(),
                        now.jitterMs(), now.reach(), findings, now.unknown());
            }
            out.add(now);
        }
        return VerifyResult.of(out);
    }

    /** True while the host is inside a grace window, unless the wait for sync has run out. */
    private boolean grace(boolean withinWindow) {
        return withinWindow && waited == null;
    }

    private VerifyResult run() {
        for (Host m : inventory.masters()) {
            HostInput in = inputs.get(m.name());
            if (in != null) {
                masterVerdicts.put(m.name(), judgeOne(m, in));
            }
        }
        List<HostVerdict> out = new ArrayList<>();
        for (Host h : inventory.hosts()) {
            HostInput in = inputs.get(h.name());
            if (in != null) {
                out.add(h.isMaster() ? masterVerdicts.get(h.name()) : judgeOne(h, in));
            }
        }
        return VerifyResult.of(out);
    }

    /**
     * One host's verdict. Output no rule foresaw must not stop the judgement of the others: if judging it fails, it
     * is that host's UNPARSEABLE_OUTPUT (state unknown), with what it printed as evidence.
     */
    private HostVerdict judgeOne(Host h, HostInput in) {
        try {
            return judgeHost(h, in);
        } catch (RuntimeException | StackOverflowError e) {
            return new HostVerdict(h.name(), h.role(), Verdict.UNSYNCED, null, null, null, null, null,
                    List.of(FindingCode.UNPARSEABLE_OUTPUT.finding("", Map.of("host", h.name(),
                            "reason", Unparseable.describe(e)), evidence(in))),
                    true);
        }
    }

    /** What the host printed, as far as it was read: the raw text, else the billboard rows (at most 10 lines). */
    private static List<String> evidence(HostInput in) {
        if (!(in instanceof HostInput.Reached r)) {
            return List.of();
        }
        try {
            return (r.observation().peers() instanceof Unparseable u ? u.raw().lines().toList()
                    : r.observation().peers() instanceof NtpqPeers.Table t ? rows(t.peers()) : List.<String>of())
                    .stream().limit(10).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private HostVerdict judgeHost(Host h, HostInput in) {
        if (in instanceof HostInput.Unreachable u) {
            return new HostVerdict(h.name(), h.role(), Verdict.UNREACHABLE, null, null, null, null, null,
                    List.of(FindingCode.SSH_UNREACHABLE.finding("", Map.of("host", h.name(), "reason", u.reason()),
                            List.of())), true);
        }
        HostInput.Reached r = (HostInput.Reached) in;
        HostContext c = new HostContext(h, r.observation());
        configFindings(c, r);
        Optional<HostVerdict> daemon = daemonProblems(c);
        if (daemon.isPresent()) {
            return daemon.get();
        }
        if (c.sysPeer().isEmpty()) {
            c.peers.stream().filter(p -> p.reach() != 0 && Math.abs(p.offsetMs()) >= PANIC_MS).findFirst()
                    .ifPresent(p -> panic(c, p));
        }
        return h.isMaster() ? judgeMaster(c) : judgeClient(c);
    }

    // ---------------------------------------------------------------- common to both roles

    private void configFindings(HostContext c, HostInput.Reached r) {
        HostObservation o = c.obs;
        if (r.renderedSha256().isPresent()) {
            if (!o.configPresent()) {
                c.add(FindingCode.CONFIG_MISSING, List.of());
            } else if (o.configSha256().isPresent() && !o.configSha256().get().equalsIgnoreCase(r.renderedSha256().get())) {
                c.add(FindingCode.CONFIG_DRIFT,
                        List.of("sha256 on host " + o.configSha256().get(), "rendered sha256 " + r.renderedSha256().get()));
            }
        }
        if (o.configPresent() && o.configChangedAfterStart()) {
            c.add(FindingCode.CONFIG_NOT_LOADED,
                    List.of("config changed " + o.configAgeSeconds().getAsLong() + " s ago", c.daemonAge()),
                    "configAge", o.configAgeSeconds().getAsLong(), "uptime", c.uptime());
        }
        List<String> configErrors = o.logLines().stream().filter(l -> l.contains("CONFIG") && l.contains("error")).toList();
        if (!configErrors.isEmpty()) {
            c.add(FindingCode.CONFIG_REJECTED_LINES, configErrors,
                    "line", configErrors.get(0).replaceFirst("^.*?CONFIG: ", ""));
        }
    }

    private Optional<HostVerdict> daemonProblems(HostContext c) {
        HostObservation o = c.obs;
        if (o.chronydRunning() || o.udp123Owners().stream().anyMatch(s -> s.startsWith("chrony"))) {
            if (!o.ntpdRunning()) {
                c.add(FindingCode.CHRONY_UNSUPPORTED, o.udp123Owners());
                return Optional.of(c.verdict(Verdict.NTPD_DOWN, null));
            }
            c.add(FindingCode.TWO_DAEMONS, o.udp123Owners(), "owners", owners(o));
        }
        if (o.peers() instanceof NtpqFailed f) {
            return Optional.of(ntpqFailed(c, f));
        }
        if (o.peers() instanceof Unparseable u) {
            c.add(FindingCode.UNPARSEABLE_OUTPUT, u.raw().lines().limit(10).toList(), "reason", u.reason());
            return Optional.of(c.verdict(Verdict.UNSYNCED, null));
        }
        if (!o.complete()) {
            c.add(FindingCode.PROBE_INCOMPLETE, List.of());
        }
        return Optional.empty();
    }

    private HostVerdict ntpqFailed(HostContext c, NtpqFailed f) {
        HostObservation o = c.obs;
        List<String> ev = new ArrayList<>();
        ev.add(f.evidence());
        switch (f.error()) {
            case NOT_LISTENING -> {
                ev.addAll(o.logLines());
                String panic = o.logLines().stream().filter(l -> l.toLowerCase(Locale.ROOT).contains("panic")).findFirst()
                        .orElse(null);
                if (panic != null) {
                    c.add(FindingCode.NTPD_PANIC_EXIT, ev);
                } else if (o.ntpdRunning()) {
                    c.add(FindingCode.NTPD_NOT_LISTENING, ev);
                } else {
                    c.add(FindingCode.NTPD_NOT_RUNNING, "refused", ev);
                }
                return c.verdict(Verdict.NTPD_DOWN, null);
            }
            case NTPQ_MISSING -> {
                if (!o.ntpdRunning()) {
                    c.add(FindingCode.NTP_NOT_INSTALLED, ev);
                    return c.verdict(Verdict.NTPD_DOWN, null);
                }
                c.add(FindingCode.NTPQ_MISSING, ev);
                return c.verdict(Verdict.UNSYNCED, null);
            }
            case NO_REPLY -> {
                if (!o.ntpdRunning()) {
                    c.add(FindingCode.NTPD_NOT_RUNNING, "silent", ev, "owners", owners(o));
                    return c.verdict(Verdict.NTPD_DOWN, null);
                }
                String otherOwner = o.udp123Owners().stream().filter(s -> !s.startsWith("ntpd")).findFirst().orElse("");
                List<String> servedClients = clientsSelecting(c.host);
                Finding noAnswer = c.finding(FindingCode.NTPQ_NO_ANSWER, ev, "otherOwner", otherOwner,
                        "served", String.join(", ", servedClients));
                if (!servedClients.isEmpty()) {
                    c.findings.add(Downgrade.SERVES_SYNCED_CLIENTS.apply(noAnswer));
                    return c.verdict(Verdict.SERVING, null);
                }
                c.findings.add(noAnswer);
                return c.verdict(Verdict.UNSYNCED, null);
            }
            default -> {
                c.add(switch (f.error()) {
                    case LOOKUP_FAILED -> FindingCode.NTPQ_LOOKUP_FAILED;
                    case INCOMPLETE -> FindingCode.NTPQ_INCOMPLETE;
                    case SERVER_ERROR -> FindingCode.NTPQ_SERVER_ERROR;
                    case NOT_LISTENING, NTPQ_MISSING, NO_REPLY -> throw new IllegalStateException(f.error() + " is judged above");
                }, ev, "error", f.evidence());
                return c.verdict(Verdict.UNSYNCED, null);
            }
        }
    }

    private static String owners(HostObservation o) {
        return String.join(", ", o.udp123Owners());
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

    private HostVerdict judgeMaster(HostContext c) {
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
                c.add(FindingCode.LOCAL_CLOCK_FALLBACK, rows(upstreamRows), "upstreamRows", describe(upstreamRows, ntp),
                        "upstreams", String.join(", ", ntp.upstream()));
            } else if (p == null && orphanParent && upstreams) {
                c.add(FindingCode.ORPHAN_FALLBACK, rows(upstreamRows), "upstreamRows", describe(upstreamRows, ntp),
                        "upstreams", String.join(", ", ntp.upstream()));
            } else if (p != null && !p.isRefclock() && (!p.latestAnswered() || p.overdue())) {
                c.add(FindingCode.UPSTREAM_STALE, rows(List.of(p)), "peer", p.remote(), "freshness", freshness(p));
            }
            if (p != null && !p.isRefclock()) {
                offsetFindings(c, p);
            }
            OptionalInt expected = p != null && p.isLocalClock() ? OptionalInt.of(ntp.localStratum() + 1)
                    : p == null && orphanParent ? ntp.orphanStratum() : OptionalInt.empty();
            Integer actual = c.stratum();
            if (expected.isPresent() && actual != null && actual != expected.getAsInt()) {
                c.add(FindingCode.STRATUM_UNEXPECTED, "master", List.of(), "actual", actual,
                        "expected", expected.getAsInt(), "localClock", p != null && p.isLocalClock(),
                        "fudge", ntp.localStratum());
            }
            HostVerdict v = c.verdict(Verdict.SERVING, p);
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
            why.add(c.finding(FindingCode.MASTER_UPSTREAM_UNREACHABLE, rows(upstreamRows), "dns", dns,
                    "upstreamRows", describe(upstreamRows, ntp), "upstreams", String.join(", ", ntp.upstream())));
        } else if (upstreams) {
            why.add(c.finding(FindingCode.UPSTREAM_NOT_SELECTED, rows(answering), "upstreamRows", describe(answering, ntp)));
        } else if (ntp.localClock() && local.isEmpty()) {
            why.add(c.finding(FindingCode.LOCAL_CLOCK_NOT_CONFIGURED, rows(c.peers)));
        } else if (!ntp.localClock() && ntp.orphanStratum().isEmpty() && c.obs.peers() instanceof NtpqPeers.NoAssociations) {
            why.add(c.finding(FindingCode.MASTER_NO_SOURCES, List.of()));
        } else {
            why.add(c.finding(FindingCode.MASTER_UNSYNCED, rows(c.peers), "system", leapText(c),
                    "orphanWait", ntp.orphanWait().orElse(DEFAULT_ORPHAN_WAIT_S)));
        }
        Peer shown = local.or(() -> sys).or(() -> upstreamRows.stream().findFirst()).orElse(null);
        if (starting) {
            c.add(FindingCode.STARTING, List.of(), "ownClock", ownClock, "window", window);
            why.forEach(f -> c.findings.add(Downgrade.MASTER_STARTING.apply(f)));
            return c.verdict(Verdict.STARTING, shown);
        }
        c.findings.addAll(why);
        return c.verdict(Verdict.UNSYNCED, shown);
    }

    private static HostVerdict withPeer(HostVerdict v, String peer) {
        return new HostVerdict(v.host(), v.role(), v.verdict(), peer, v.stratum(), v.offsetMs(), v.jitterMs(), v.reach(),
                v.findings(), v.unknown());
    }

    private static String leapText(HostContext c) {
        return c.rv.map(v -> "(leap " + v.leap().orElse(-1) + ", stratum " + v.stratum().orElse(-1) + ", refid "
                + v.refid().orElse("?") + ")").orElse("");
    }

    // ---------------------------------------------------------------- clients

    private HostVerdict judgeClient(HostContext c) {
        Optional<Peer> sysOpt = c.sysPeer();
        List<Host> masters = inventory.masters();
        if (c.obs.peers() instanceof NtpqPeers.NoAssociations n) {
            c.add(FindingCode.CLIENT_NO_SERVERS, List.of(n.evidence()));
            return c.verdict(Verdict.UNSYNCED, null);
        }
        if (sysOpt.isPresent()) {
            Peer sys = sysOpt.get();
            Optional<Host> master = masters.stream().filter(m -> matches(m, sys)).findFirst();
            if (sys.isRefclock()) {
                c.add(FindingCode.CLIENT_ON_LOCAL_CLOCK, rows(c.peers), "peer", sys.remote(),
                        "mastersDown", mastersDown(masters));
                return c.verdict(Verdict.UNSYNCED, sys);
            }
            if (master.isEmpty()) {
                c.add(FindingCode.SYNCED_TO_FOREIGN_PEER, rows(List.of(sys)), "peer", sys.remote(),
                        "stratum", sys.stratum(), "masters", serverAddresses(masters));
                return c.verdict(Verdict.UNSYNCED, sys);
            }
            Host m = master.get();
            if (!sys.latestAnswered() || sys.overdue()) {
                HostVerdict mv = masterVerdicts.get(m.name());
                if (mv != null && mv.verdict() == Verdict.SERVING && grace(masterUptime(m) < syncWindow(sys))) {
                    c.add(FindingCode.SYNCING, "master restarted", rows(List.of(sys)), "master", m.name(),
                            "masterUptime", masterUptime(m), "freshness", freshness(sys));
                    return c.verdict(Verdict.SYNCING, sys);
                }
                if (mv != null && mv.verdict() != Verdict.SERVING) {
                    c.add(FindingCode.PEER_STALE, "master not serving", rows(List.of(sys)), "peer", sys.remote(),
                            "master", m.name(), "freshness", freshness(sys), "masterVerdict", mv.verdict());
                } else {
                    c.add(FindingCode.PEER_STALE, "replies stopped", rows(List.of(sys)), "peer", sys.remote(),
                            "master", m.name(), "freshness", freshness(sys));
                }
                return c.verdict(Verdict.UNSYNCED, sys);
            }
            if (c.rv.isPresent() && !c.rv.get().synced()) {
                if (grace(c.uptime() < syncWindow(sys))) {
                    c.add(FindingCode.SYNCING, "clock not set", List.of(), "master", m.name(), "system", leapText(c));
                    return c.verdict(Verdict.SYNCING, sys);
                }
                c.add(FindingCode.CLIENT_NOT_SYNCHRONISED, rows(List.of(sys)), "master", m.name(), "system", leapText(c));
                return c.verdict(Verdict.UNSYNCED, sys);
            }
            boolean offsetBad = offsetFindings(c, sys);
            // polls lost while the master restarted (apply restarts it) are no sign of a lossy path: the reach
            // register covers the last 8 polls
            if (sys.missedSinceFirstSuccess() >= 2 && masterUptime(m) >= 8L * sys.pollSeconds()) {
                c.add(FindingCode.PEER_LOSSY, rows(List.of(sys)), "master", m.name(), "reach", sys.reachOctal(),
                        "missed", sys.missedSinceFirstSuccess());
            }
            HostVerdict mv = masterVerdicts.get(m.name());
            OptionalInt served = mv != null && mv.verdict() == Verdict.SERVING && mv.stratum() != null
                    ? OptionalInt.of(mv.stratum()) : servingStratum(m);
            Integer actual = c.stratum();
            if (served.isPresent() && actual != null && actual != served.getAsInt() + 1) {
                c.add(FindingCode.STRATUM_UNEXPECTED, "client", rows(List.of(sys)), "actual", actual,
                        "expected", served.getAsInt() + 1, "master", m.name(), "served", served.getAsInt());
            }
            return c.verdict(offsetBad ? Verdict.UNSYNCED : Verdict.SYNCED, sys);
        }
        return clientWithoutPeer(c, masters);
    }

    private HostVerdict clientWithoutPeer(HostContext c, List<Host> masters) {
        Map<Host, Peer> rows = new LinkedHashMap<>();
        for (Host m : masters) {
            c.peers.stream().filter(p -> matches(m, p)).findFirst().ifPresent(p -> rows.put(m, p));
        }
        if (rows.isEmpty()) {
            c.add(FindingCode.CLIENT_MASTER_NOT_CONFIGURED, rows(c.peers), "masters", serverAddresses(masters));
            return c.verdict(Verdict.UNSYNCED, null);
        }
        List<Finding> why = new ArrayList<>();
        boolean waiting = false;
        Peer shown = rows.values().iterator().next();
        for (Map.Entry<Host, Peer> e : rows.entrySet()) {
            Host m = e.getKey();
            Peer p = e.getValue();
            HostVerdict mv = masterVerdicts.get(m.name());
            if (p.refid().equals(".DENY.") || p.refid().equals(".RSTR.")) {
                why.add(denied(c, m, p, p.refid()));
            } else if (p.refid().equals(".RATE.")) {
                why.add(c.finding(FindingCode.RATE_LIMITED, rows(List.of(p)), "master", m.name()));
            } else if (p.refid().equals(".STEP.")) {
                waiting = grace(true);
                why.add(c.finding(FindingCode.SYNCING, "stepped", rows(List.of(p))));
            } else if (p.refid().startsWith(".DNS")) {
                why.add(c.finding(FindingCode.MASTER_NAME_UNRESOLVED, rows(List.of(p)), "master", m.name(),
                        "peer", p.remote()));
            } else if (p.reach() == 0) {
                if (mv != null && mv.verdict() == Verdict.STARTING) {
                    waiting = true;
                    why.add(c.finding(FindingCode.WAITING_FOR_MASTER, rows(List.of(p)), "master", m.name()));
                } else if (mv != null && mv.verdict() != Verdict.SERVING && mv.verdict() != Verdict.UNREACHABLE) {
                    why.add(c.finding(FindingCode.MASTER_NOT_SERVING, "silent", rows(List.of(p)), "master", m.name(),
                            "masterVerdict", mv.verdict()));
                } else if (mv == null || mv.verdict() == Verdict.UNREACHABLE) {
                    why.add(c.finding(FindingCode.MASTER_STATE_UNKNOWN, rows(List.of(p)), "master", m.name(),
                            "peer", p.remote(), "notVerified", mv == null));
                } else if (grace(c.uptime() < 2L * p.pollSeconds() || masterUptime(m) < 2L * p.pollSeconds())) {
                    waiting = true;
                    why.add(c.finding(FindingCode.SYNCING, "first polls", rows(List.of(p)), "master", m.name(),
                            "masterRestarted", masterUptime(m) < c.uptime(), "masterUptime", masterUptime(m),
                            "poll", p.pollSeconds()));
                } else {
                    why.add(noReplies(c, m, p));
                }
            } else if (p.stratum() >= 16) {
                why.add(c.finding(FindingCode.MASTER_NOT_SERVING, "stratum 16", rows(List.of(p)), "master", m.name()));
            } else if (grace(p.latestAnswered() && Math.min(c.uptime(), masterUptime(m)) < syncWindow(p))) {
                waiting = true;
                why.add(c.finding(FindingCode.SYNCING, "hears", rows(List.of(p)), "master", m.name(),
                        "reach", p.reachOctal()));
            } else if (p.tally() == 'x') {
                why.add(c.finding(FindingCode.MASTER_FALSETICKER, rows(c.peers), "master", m.name()));
            } else {
                why.add(c.finding(FindingCode.MASTER_NOT_SELECTED, rows(List.of(p)), "master", m.name(),
                        "reach", p.reachOctal(), "freshness", freshness(p)));
            }
        }
        boolean anyCritical = why.stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
        if (waiting && !anyCritical) {
            c.findings.addAll(why);
            return c.verdict(Verdict.SYNCING, shown);
        }
        c.findings.addAll(why);
        return c.verdict(Verdict.UNSYNCED, shown);
    }

    private Finding noReplies(HostContext c, Host m, Peer p) {
        String addr = c.host.connection().address();
        Optional<Boolean> covered = AllowList.covers(m.ntp().allow(), addr);
        if (!m.ntp().allow().isEmpty() && covered.isPresent() && !covered.get()) {
            return denied(c, m, p, "");
        }
        return c.finding(FindingCode.CLIENT_NO_REPLIES, rows(List.of(p)), "master", m.name(), "peer", p.remote(),
                "address", addr, "checkAllow", covered.isEmpty() || m.ntp().allow().isEmpty());
    }

    /**
     * The master's restrict lines refuse this client: name the ntp_allow entry that renders the missing line.
     *
     * @param kiss the kiss-of-death code the master answered with, "" when it stays silent
     */
    private static Finding denied(HostContext c, Host m, Peer p, String kiss) {
        String addr = c.host.connection().address();
        return c.finding(FindingCode.CLIENT_NOT_ALLOWED, rows(List.of(p)), "master", m.name(), "peer", p.remote(),
                "kiss", kiss, "address", addr, "allow", String.valueOf(m.ntp().allow()),
                "add", AllowList.suggestion(addr).orElse(addr));
    }

    /** "m1 is UNSYNCED, m2 is NTPD_DOWN": the judged masters that do not serve. */
    private String mastersDown(List<Host> masters) {
        return masters.stream().filter(m -> masterVerdicts.containsKey(m.name())
                        && masterVerdicts.get(m.name()).verdict() != Verdict.SERVING)
                .map(m -> m.name() + " is " + masterVerdicts.get(m.name()).verdict()).collect(Collectors.joining(", "));
    }

    private static String serverAddresses(List<Host> masters) {
        return masters.stream().map(m -> m.ntp().serverAddress()).collect(Collectors.joining(", "));
    }

    // ---------------------------------------------------------------- shared rules

    /** Offset rules: warning above half the limit, critical above it, panic above 1000 s. True when not in sync. */
    private static boolean offsetFindings(HostContext c, Peer p) {
        double limit = c.ntp().maxOffsetMs();
        double abs = Math.abs(p.offsetMs());
        if (abs >= PANIC_MS) {
            panic(c, p);
            return true;
        }
        if (abs > limit) {
            c.add(FindingCode.OFFSET_CRITICAL, rows(List.of(p)), "truncated", p.offsetTruncated(), "offset", fmt(abs),
                    "peer", p.remote(), "limit", fmt(limit));
            return true;
        }
        if (abs > limit / 2) {
            c.add(FindingCode.OFFSET_WARNING, rows(List.of(p)), "truncated", p.offsetTruncated(), "offset", fmt(abs),
                    "peer", p.remote(), "limit", fmt(limit));
        }
        return false;
    }

    private static void panic(HostContext c, Peer p) {
        c.add(FindingCode.OFFSET_PANIC, rows(List.of(p)), "truncated", p.offsetTruncated(),
                "offset", fmt(Math.abs(p.offsetMs())), "peer", p.remote());
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
        if (!Double.isFinite(v)) {
            return String.valueOf(v); // a column ntpq cannot have printed (Infinity from 400 digits): shown as read
        }
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}

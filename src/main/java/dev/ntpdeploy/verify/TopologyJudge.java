package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.Unparseable;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges the whole topology at once: masters first, then every client with its masters' verdicts in hand, because
 * from a client an unsynchronised master looks exactly like an unreachable one (its replies are dropped before the
 * reach register). Pure: no I/O, no clock; the daemon's age comes from the probe.
 *
 * <p>Each host goes through rule sets by concern: {@link ConfigRules} (the file), {@link DaemonRules} (the daemon and
 * its query tool: {@link NtpdRules} or {@link ChronydRules}, the only daemon-specific sets), then {@link MasterRules} or {@link ClientRules} over the daemon's
 * own account read into {@link SyncState} (with {@link OffsetRules}, {@link Strata} and {@link Windows} shared),
 * and {@link BothEnds}: a master's record of the hosts it served set against its clients.
 * Every finding and its texts come from the catalogue, {@link FindingCode}.
 */
public final class TopologyJudge {

    private final Inventory inventory;
    private final Map<String, HostInput> inputs;
    private final Topology topology;

    private TopologyJudge(Inventory inventory, Map<String, HostInput> inputs, Duration waited) {
        this.inventory = inventory;
        this.inputs = inputs;
        this.topology = new Topology(inventory, inputs, waited);
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
                        now.jitterMs(), now.reach(), findings, now.unknown(), now.configDrift(), now.daemon());
            }
            out.add(now);
        }
        return VerifyResult.of(out);
    }

    private VerifyResult run() {
        for (Host m : inventory.masters()) {
            HostInput in = inputs.get(m.name());
            if (in != null) {
                topology.judged(m, judgeOne(m, in));
            }
        }
        List<HostVerdict> out = new ArrayList<>();
        for (Host h : inventory.hosts()) {
            HostInput in = inputs.get(h.name());
            if (in != null) {
                HostVerdict v = h.isMaster() ? topology.verdict(h) : judgeOne(h, in);
                out.add(in instanceof HostInput.Reached r && !v.unknown() ? v.withConfigDrift(r.configDrift()) : v);
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
            return new HostVerdict(h.name(), h.role(), Verdict.UNKNOWN, null, null, null, null, null,
                    List.of(FindingCode.UNPARSEABLE_OUTPUT.finding(queryTool(in), Map.of("host", h.name(),
                            "reason", Unparseable.describe(e)), evidence(in))),
                    true).withDaemon(daemon(h, in));
        }
    }

    /** The daemon family the host is judged as: resolved when reached, else the inventory's declared one. */
    private static Optional<Flavor> daemon(Host h, HostInput in) {
        return in instanceof HostInput.Reached r ? Optional.of(r.daemon().flavor()) : h.ntp().flavor();
    }

    /** The tool whose output the host's verdict reads (the text variant of UNPARSEABLE_OUTPUT). */
    private static String queryTool(HostInput in) {
        return in instanceof HostInput.Reached r ? r.daemon().flavor().queryTool() : "ntpq";
    }

    /** What the host printed, as far as it was read: the raw text, else its sources; all of it (JSON keeps it whole). */
    private static List<String> evidence(HostInput in) {
        if (!(in instanceof HostInput.Reached r)) {
            return List.of();
        }
        try {
            var o = r.observation();
            Object read = o.chronyc().isPresent() ? o.chronyc().get() : o.peers();
            return (read instanceof Unparseable u ? u.raw().lines().toList()
                    : Source.evidence(SyncState.of(r.observation()).sources()));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private HostVerdict judgeHost(Host h, HostInput in) {
        if (in instanceof HostInput.Unreachable u) {
            return new HostVerdict(h.name(), h.role(), Verdict.UNREACHABLE, null, null, null, null, null,
                    List.of(FindingCode.SSH_UNREACHABLE.finding("", Map.of("host", h.name(), "reason", u.reason()),
                            List.of())), true).withDaemon(daemon(h, in));
        }
        if (in instanceof HostInput.BecomeRefused b) {
            // the daemon's state is as unknown as over a dead link, but the fix is sudo's, not SSH's
            return new HostVerdict(h.name(), h.role(), Verdict.UNREACHABLE, null, null, null, null, null,
                    List.of(FindingCode.BECOME_REFUSED.finding("", Map.of("host", h.name(), "reason", b.reason()),
                            List.of())), true).withDaemon(daemon(h, in));
        }
        HostInput.Reached r = (HostInput.Reached) in;
        HostContext c = new HostContext(h, r.observation(), SyncState.of(r.observation()), r.daemon());
        ConfigRules.check(c, r);
        if (r.observation().timesyncdRunning()) { // beside either daemon family: a second hand on the clock
            c.add(FindingCode.TIMESYNCD_RUNNING, List.of("systemd-timesyn"));
        }
        var down = DaemonRules.of(r.daemon().flavor()).diagnose(c, topology);
        if (down.isPresent()) {
            return down.get();
        }
        OffsetRules.panicWithoutSelection(c);
        if (h.isMaster()) {
            BothEnds.master(c, topology);
            return MasterRules.judge(c, topology);
        }
        return ClientRules.judge(c, topology);
    }
}

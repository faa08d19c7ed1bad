package dev.ntpdeploy.verify;

import static dev.ntpdeploy.facts.Samples.block;
import static dev.ntpdeploy.facts.Samples.body;
import static dev.ntpdeploy.verify.Topo.HEADER;
import static dev.ntpdeploy.verify.Topo.client;
import static dev.ntpdeploy.verify.Topo.failedObs;
import static dev.ntpdeploy.verify.Topo.finding;
import static dev.ntpdeploy.verify.Topo.inventory;
import static dev.ntpdeploy.verify.Topo.master;
import static dev.ntpdeploy.verify.Topo.obs;
import static dev.ntpdeploy.verify.Topo.reached;
import static dev.ntpdeploy.verify.Topo.verdictOf;
import static dev.ntpdeploy.verify.TopologyJudgeTest.L01;
import static dev.ntpdeploy.verify.TopologyJudgeTest.L02;
import static dev.ntpdeploy.verify.TopologyJudgeTest.L05;
import static dev.ntpdeploy.verify.TopologyJudgeTest.clientOfServingMaster;
import static dev.ntpdeploy.verify.TopologyJudgeTest.syncedClientRv;
import static dev.ntpdeploy.verify.TopologyJudgeTest.synced;
import static dev.ntpdeploy.verify.TopologyJudgeTest.unsyncedRv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.Samples;
import dev.ntpdeploy.facts.Unparseable;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.NtpSpec;
import dev.ntpdeploy.inventory.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** One finding per test, each from a captured sample (or the named adaptation of one). */
class HostFindingsTest {

    static final String L11 = "L11-ntpsec-1.2.2_pool-entry_and_unresolvable-server_DNS.txt";
    static final String L16 = "L16-ntpsec-1.2.2_ntpd-log_config-syntax-error_classic-discard-line.txt";

    static HostVerdict masterAlone(Host m, HostObservation o) {
        return verdictOf(TopologyJudge.judge(inventory(m), Map.of("m1", reached(o))), "m1");
    }

    static Host upstreamMaster(List<String> upstream, OptionalInt orphan) {
        return master(upstream, false, orphan, List.of());
    }

    @Test
    void clientCannotResolveTheMastersName() {
        Host m = Topo.host("m1", Role.MASTER, "10.0.0.1",
                Topo.spec(List.of(), false, OptionalInt.of(10), List.of(), "ntp.nonexistent.invalid", 128));
        String peers = HEADER + block(L11, "$ ntpq -pn", 0).lines().filter(l -> l.contains(".DNS.")).findFirst().orElseThrow();
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(m, client("c1", "10.0.0.3")),
                Map.of("c1", reached(obs(peers, unsyncedRv(), 3600L)))), "c1");
        assertTrue(finding(v, "MASTER_NAME_UNRESOLVED").fix().contains("`ntp_server_address` to its IP address"));
    }

    @Test
    void clientWithoutAnyServer() {
        HostVerdict v = clientOfServingMaster(client("c1", "127.0.0.3"), block(L02, "$ ntpq -p", 0), unsyncedRv(), 60L);
        assertEquals(Verdict.UNSYNCED, v.verdict());
        finding(v, "CLIENT_NO_SERVERS");
    }

    @Test
    void clientPollingOtherServersOnly() {
        HostVerdict v = clientOfServingMaster(client("c1", "127.0.0.3"),
                body("P01-classic-4.2.6p5_centos7.7_ntpq-p_just-started.txt"), unsyncedRv(), 60L);
        assertEquals(Verdict.UNSYNCED, v.verdict());
        assertTrue(finding(v, "CLIENT_MASTER_NOT_CONFIGURED").message().contains("(127.0.0.1)"));
    }

    @Test
    void unreadableOutputIsUnknownNotGuessed() {
        HostVerdict v = clientOfServingMaster(client("c1", "127.0.0.3"), block(L01, "$ ntpq -u -p", 0), unsyncedRv(), 60L);
        assertEquals(Status.UNKNOWN, v.status());
        assertEquals(Verdict.UNKNOWN, v.verdict(), "the table, JSON and status line say UNKNOWN, not UNSYNCED (#13 item 3)");
        assertTrue(finding(v, "UNPARSEABLE_OUTPUT").evidence().stream().anyMatch(l -> l.contains("36.980us")));
    }

    /**
     * The whole text ntpq printed is the evidence (#13 item 3: it was cut at 10 lines, and in P03's real 22-line
     * billboard the system peer's row and the backups after it were dropped). The text is P03's as captured; the
     * reason stands for whatever made it unreadable.
     */
    @Test
    void unreadableOutputKeepsTheWholeTextAsEvidence() {
        String raw = body("P03-classic-4.2.8p10_ubuntu18.04_ntpq-p_pool_backup-hash.txt");
        HostObservation o = obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L);
        HostObservation unreadable = new HostObservation(new Unparseable("unreadable row", raw), o.systemVars(),
                o.ntpdUptimes(), false, o.udp123Owners(), o.configSha256(), true, List.of(), true);
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(TopologyJudgeTest.orphanMaster(), client("c1", "127.0.0.3")),
                Map.of("c1", reached(unreadable))), "c1");
        assertEquals(Verdict.UNKNOWN, v.verdict());
        List<String> evidence = finding(v, "UNPARSEABLE_OUTPUT").evidence();
        assertEquals(raw.lines().toList(), evidence);
        assertTrue(evidence.get(evidence.size() - 1).startsWith(" pugot.canonical"), evidence.toString());
    }

    /** A client that hears nothing from a master whose own output is unreadable does not blame the master. */
    @Test
    void clientOfAMasterWhoseStateIsUnknownSaysSo() {
        VerifyResult r = TopologyJudge.judge(inventory(TopologyJudgeTest.orphanMaster(), client("c1", "127.0.0.3")), Map.of(
                "m1", reached(obs(block(L01, "$ ntpq -u -p", 0), TopologyJudgeTest.orphanMasterRv(), 3600L)),
                "c1", reached(obs(TopologyJudgeTest.clientInitRow(), unsyncedRv(), 3600L))));
        assertEquals(Verdict.UNKNOWN, verdictOf(r, "m1").verdict());
        HostVerdict c = verdictOf(r, "c1");
        assertTrue(c.findings().stream().noneMatch(f -> f.code().equals("MASTER_NOT_SERVING")), c.toString());
        assertTrue(finding(c, "MASTER_STATE_UNKNOWN").message().endsWith("whose own state is unknown (its daemon's"
                + " account could not be read)"), c.toString());
    }

    @Test
    void rejectedConfigLinesFromTheLog() {
        HostObservation o = obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L);
        List<String> log = Samples.file(L16).lines().filter(l -> !l.startsWith("#")).toList();
        HostObservation withLog = new HostObservation(o.peers(), o.systemVars(), o.ntpdUptimes(), false, o.udp123Owners(),
                o.configSha256(), true, log, true);
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(TopologyJudgeTest.orphanMaster(), client("c1", "127.0.0.3")),
                Map.of("c1", reached(withLog))), "c1");
        assertEquals(Verdict.SYNCED, v.verdict());
        Finding f = finding(v, "CONFIG_REJECTED_LINES");
        assertTrue(f.message().contains("line 10 column 0 syntax error"), f.message());
        assertEquals(2, f.evidence().size());
    }

    @Test
    void missingConfigFile() {
        HostObservation o = obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L);
        HostObservation missing = new HostObservation(o.peers(), o.systemVars(), o.ntpdUptimes(), false, o.udp123Owners(),
                Optional.empty(), false, List.of(), true);
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(TopologyJudgeTest.orphanMaster(), client("c1", "127.0.0.3")),
                Map.of("c1", reached(missing))), "c1");
        assertTrue(finding(v, "CONFIG_MISSING").message().startsWith("/etc/ntpsec/ntp.conf does not exist on c1"));
    }

    @Test
    void lossyButFreshPeerIsSyncedWithAWarning() {
        String row = block(L01, "$ ntpq -pn", 0).replace("  377 ", "  273 ");
        HostVerdict v = clientOfServingMaster(client("c1", "127.0.0.3"), row, syncedClientRv(), 3600L);
        assertEquals(Verdict.SYNCED, v.verdict());
        assertEquals(Severity.WARNING, finding(v, "PEER_LOSSY").severity());
    }

    @Test
    void ntpdAndChronydBothRunning() {
        HostObservation o = obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L);
        HostObservation both = new HostObservation(o.peers(), o.systemVars(), o.ntpdUptimes(), true, List.of("ntpd"),
                o.configSha256(), true, List.of(), true);
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(TopologyJudgeTest.orphanMaster(), client("c1", "127.0.0.3")),
                Map.of("c1", reached(both))), "c1");
        finding(v, "TWO_DAEMONS");
        assertEquals(Status.CRITICAL, v.status());
    }

    @Test
    void systemdTimesyncdBesideASyncedNtpdIsCritical() {
        HostObservation o = obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L);
        HostObservation withTimesyncd = new HostObservation(o.peers(), o.systemVars(), o.ntpdUptimes(), false,
                List.of("ntpd"), o.configSha256(), true, List.of(), true, OptionalLong.empty(), Optional.empty(),
                List.of(), true);
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(TopologyJudgeTest.orphanMaster(), client("c1", "127.0.0.3")),
                Map.of("c1", reached(withTimesyncd))), "c1");
        assertEquals("`ntpdeploy apply` stops and disables it", finding(v, "TIMESYNCD_RUNNING").fix(), v.toString());
        assertEquals(Status.CRITICAL, v.status());
        // a host that opts out (ntp_disable_competitors: false) is told to do it by hand
        Host c1 = client("c1", "127.0.0.3");
        NtpSpec s = c1.ntp();
        Host optedOut = Topo.host("c1", Role.CLIENT, "127.0.0.3", new NtpSpec(s.upstream(), s.localClock(),
                s.localStratum(), s.orphanStratum(), s.orphanWait(), s.allow(), s.serveOthers(), s.flavor(),
                s.serverAddress(), s.iburst(), s.minpoll(), s.maxpoll(), s.confPath(), s.service(), s.extra(),
                s.maxOffsetMs(), false));
        HostVerdict byHand = verdictOf(TopologyJudge.judge(inventory(TopologyJudgeTest.orphanMaster(), optedOut),
                Map.of("c1", reached(withTimesyncd))), "c1");
        assertEquals("stop and disable it: `systemctl disable --now systemd-timesyncd` (ntp_disable_competitors is"
                + " false for c1: ntpdeploy leaves it alone)", finding(byHand, "TIMESYNCD_RUNNING").fix());
        HostVerdict without = verdictOf(TopologyJudge.judge(inventory(TopologyJudgeTest.orphanMaster(),
                client("c1", "127.0.0.3")), Map.of("c1", reached(o))), "c1");
        assertTrue(without.findings().stream().noneMatch(f -> f.code().equals("TIMESYNCD_RUNNING")), without.toString());
    }

    @Test
    void upstreamsAnswerButNoneIsSelected() {
        Host m = upstreamMaster(List.of("44.190.6.254"), OptionalInt.empty());
        String peers = body("P01-classic-4.2.6p5_centos7.7_ntpq-p_just-started.txt");
        assertEquals(Verdict.STARTING, masterAlone(m, obs(peers, unsyncedRv(), 30L)).verdict());
        assertEquals(Verdict.UNSYNCED, masterAlone(m, obs(peers, unsyncedRv(), 200L)).verdict(),
                "no orphanwait for a master without its own clock: 2 polls + 60 s");
        HostVerdict late = masterAlone(m, obs(peers, unsyncedRv(), 7200L));
        assertEquals(Verdict.UNSYNCED, late.verdict());
        finding(late, "UPSTREAM_NOT_SELECTED");
    }

    @Test
    void masterWithoutAnySource() {
        Host m = upstreamMaster(List.of(), OptionalInt.empty());
        HostVerdict v = masterAlone(m, obs(block(L02, "$ ntpq -p", 0), unsyncedRv(), 7200L));
        assertEquals(Verdict.UNSYNCED, v.verdict());
        finding(v, "MASTER_NO_SOURCES");
    }

    @Test
    void localClockMasterWhoseConfigLacksTheDriver() {
        Host m = master(List.of(), true, OptionalInt.empty(), List.of());
        String peers = block(TopologyJudgeTest.L06, "$ ntpq -p", 0);
        finding(masterAlone(m, obs(peers, unsyncedRv(), 7200L)), "LOCAL_CLOCK_NOT_CONFIGURED");
    }

    @Test
    void ntpNotInstalled() {
        HostVerdict v = masterAlone(TopologyJudgeTest.orphanMaster(),
                failedObs("sh: 1: ntpq: not found", List.of(), false, List.of(), List.of()));
        assertEquals(Verdict.DAEMON_DOWN, v.verdict());
        finding(v, "NTP_NOT_INSTALLED");
    }

    @Test
    void orphanFallbackOnAMasterWithUpstreams() {
        Host m = upstreamMaster(List.of("ntp.nonexistent.invalid"), OptionalInt.of(10));
        String peers = HEADER + " ntp.nonexistent .DNS.           16 u    -    8    0   0.0000   0.0000   0.0001\n";
        HostVerdict v = masterAlone(m, obs(peers, TopologyJudgeTest.orphanMasterRv(), 3600L));
        assertEquals(Verdict.SERVING, v.verdict());
        assertTrue(finding(v, "ORPHAN_FALLBACK").message().contains("(name does not resolve)"));
    }

    @Test
    void masterWhoseUpstreamStoppedAnswering() {
        Host m = upstreamMaster(List.of("127.0.0.1"), OptionalInt.empty());
        HostVerdict v = masterAlone(m, obs(block(L05, "$ ntpq -p", 0), synced(block(L05, "$ ntpq -c rv", 0)), 3600L));
        assertEquals(Verdict.SERVING, v.verdict());
        assertTrue(finding(v, "UPSTREAM_STALE").message().contains("reach 374"));
    }
}

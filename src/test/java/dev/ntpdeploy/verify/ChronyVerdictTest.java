package dev.ntpdeploy.verify;

import static dev.ntpdeploy.verify.Topo.finding;
import static dev.ntpdeploy.verify.Topo.verdictOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.facts.Chronyc;
import dev.ntpdeploy.facts.ClientLog;
import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.Samples;
import dev.ntpdeploy.facts.ServiceManager;
import dev.ntpdeploy.facts.Unparseable;
import dev.ntpdeploy.inventory.Cidr;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.NtpSpec;
import dev.ntpdeploy.inventory.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * chrony hosts judged from real chronyc captures (src/test/resources/chronyc-samples, the lab's 10.144.0.1 master and
 * 10.144.0.2 client): the same verdicts and findings as for ntpd where the meaning is the same, chrony's own where it
 * differs (a local-stratum master serves at N, no kiss codes, 506 for a stopped daemon).
 */
class ChronyVerdictTest {

    static final String C01 = "C01-chrony-4.3_master-local-stratum-10_tracking_sources_clients_serverstats.txt";
    static final String C02 = "C02-chrony-4.3_client-synced-to-local-stratum-master.txt";
    static final String C03 = "C03-chrony-4.3_client-just-restarted_not-synchronised.txt";
    static final String C04 = "C04-chrony-4.3_chronyd-stopped_506_and_chronyc-missing.txt";
    static final String C05 = "C05-chrony-4.3_client_master-stopped_star-kept-stale.txt";
    static final String C06 = "C06-chrony-4.3_client-outside-master-allow_reach0.txt";
    static final String C07 = "C07-chrony-4.3_master-upstream-unreachable_local-stratum-serves.txt";
    static final String C08 = "C08-chrony-4.3_master-upstream-unreachable_no-local.txt";
    static final String L22 = "L22-chrony-4.3_two-disagreeing-sources_all-falsetickers_unreachable_unresolved.txt";
    static final String L20 = "L20-chrony-4.3_client-synced_sources_csv_tracking_sourcestats.txt";
    static final String C09 = "C09-chrony-4.3_client_master-too-variable_maxjitter.txt";
    static final String C10 = "C10-chrony-4.3_client_master-unusable_maxdistance.txt";

    static final Daemon CHRONY = new Daemon(Flavor.CHRONY, "/etc/chrony/chrony.conf", "chrony", ServiceManager.SYSTEMD,
            "chronyd");

    static NtpSpec spec(List<String> upstream, boolean localClock, List<String> allow, String address) {
        return new NtpSpec(upstream, localClock, 10, OptionalInt.empty(), OptionalInt.empty(),
                allow.stream().map(c -> Cidr.parse(c).orElseThrow()).toList(), true, Optional.of(Flavor.CHRONY),
                address, true, OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(), List.of(),
                128, true);
    }

    static Host master(List<String> upstream, List<String> allow) {
        return Topo.host("m1", Role.MASTER, "10.144.0.1", spec(upstream, upstream.isEmpty(), allow, "10.144.0.1"));
    }

    static final Host CLIENT = Topo.host("c1", Role.CLIENT, "10.144.0.2", spec(List.of(), false, List.of(), ""));

    /** A chrony host's observation: chronyc's three calls from the capture, chronyd's age, nothing from ntpq. */
    static HostObservation obs(Chronyc chronyc, Long uptime) {
        Unparseable notAsked = new Unparseable("ntpq is not asked on a chrony host", "");
        return new HostObservation(notAsked, notAsked, List.of(), uptime != null, List.of("chronyd"),
                Optional.of(Topo.SHA), true, List.of(), true, OptionalLong.empty(), Optional.of(chronyc),
                uptime == null ? List.of() : List.of(uptime));
    }

    static Chronyc.Output out(String file, String marker, int occurrence) {
        String m = "$ " + marker + "    #";
        return new Chronyc.Output(Samples.block(file, m, occurrence), Samples.exitStatus(file, m, occurrence));
    }

    static Chronyc call(String file, int trackingAt, int sourcesAt) {
        return Chronyc.parse(out(file, Chronyc.TRACKING, trackingAt), out(file, Chronyc.SOURCES, sourcesAt),
                new Chronyc.Output("", 0));
    }

    static VerifyResult judge(Host master, HostObservation m, HostObservation c) {
        Map<String, HostInput> in = new LinkedHashMap<>();
        if (m != null) {
            in.put("m1", Topo.reached(m, CHRONY));
        }
        in.put("c1", Topo.reached(c, CHRONY));
        return TopologyJudge.judge(Topo.inventory(master, CLIENT), in);
    }

    static final HostObservation LOCAL_MASTER = obs(call(C01, 0, 0), 3600L);

    @Test
    void localStratumMasterServesAtItsStratumAndItsClientOneBelow() {
        VerifyResult r = judge(master(List.of(), List.of("10.144.0.0/16")), LOCAL_MASTER, obs(call(C02, 0, 0), 600L));
        HostVerdict m = verdictOf(r, "m1");
        assertEquals(Verdict.SERVING, m.verdict(), m.findings().toString());
        assertEquals(10, m.stratum(), "chrony's `local stratum 10` serves at 10 (ntpd's LOCAL fudge 10 at 11)");
        assertEquals("local", m.peer());
        assertTrue(m.findings().isEmpty(), m.findings().toString());
        HostVerdict c = verdictOf(r, "c1");
        assertEquals(Verdict.SYNCED, c.verdict(), c.findings().toString());
        assertEquals(11, c.stratum());
        assertEquals("10.144.0.1", c.peer());
        assertTrue(c.findings().isEmpty(), c.findings().toString());
    }

    @Test
    void theSameMasterJudgedAsNtpdWouldBeOneStratumOff() {
        // the knowledge is the flavor's: an ntpd master with ntp_local_stratum 10 is expected at 11
        assertEquals(11, Flavor.NTPSEC.ownClockStratum(master(List.of(), List.of()).ntp()).getAsInt());
        assertEquals(10, Flavor.CHRONY.ownClockStratum(master(List.of(), List.of()).ntp()).getAsInt());
    }

    @Test
    void aClientJustRestartedIsSyncing() {
        HostVerdict c = verdictOf(judge(master(List.of(), List.of("10.144.0.0/16")), LOCAL_MASTER,
                obs(call(C03, 0, 0), 2L)), "c1");
        assertEquals(Verdict.SYNCING, c.verdict(), c.findings().toString());
        assertEquals(16, c.stratum(), "chronyd prints stratum 0 while unsynchronised; reported as ntpd does");
    }

    @Test
    void aStoppedMasterIsDownAndItsClientsStaleStarBlamesIt() {
        Chronyc down = Chronyc.parse(out(C05, Chronyc.TRACKING, 1), out(C05, Chronyc.TRACKING, 1),
                new Chronyc.Output("", 0));
        VerifyResult r = judge(master(List.of(), List.of("10.144.0.0/16")), obs(down, null), obs(call(C05, 2, 1), 600L));
        HostVerdict m = verdictOf(r, "m1");
        assertEquals(Verdict.DAEMON_DOWN, m.verdict());
        Finding f = finding(m, "CHRONYD_NOT_RUNNING");
        assertTrue(f.fix().contains("systemctl enable --now chrony"), f.fix());
        HostVerdict c = verdictOf(r, "c1");
        assertEquals(Verdict.UNSYNCED, c.verdict());
        assertTrue(finding(c, "PEER_STALE").message().contains("master m1 is DAEMON_DOWN (chronyd)"),
                finding(c, "PEER_STALE").message());
    }

    /** A master that serves only its ntp_allow (ntp_serve_others: false renders no bare `allow`). */
    @Test
    void aClientOutsideTheMastersAllowIsToldTheEntryToAdd() {
        NtpSpec s = spec(List.of(), true, List.of("10.99.0.0/16"), "10.144.0.1");
        Host servingOnly = Topo.host("m1", Role.MASTER, "10.144.0.1", new NtpSpec(s.upstream(), s.localClock(),
                s.localStratum(), s.orphanStratum(), s.orphanWait(), s.allow(), false, s.flavor(), s.serverAddress(),
                s.iburst(), s.minpoll(), s.maxpoll(), s.confPath(), s.service(), s.extra(), s.maxOffsetMs(),
                s.disableCompetitors()));
        VerifyResult r = judge(servingOnly, LOCAL_MASTER, obs(call(C06, 0, 0), 600L));
        HostVerdict c = verdictOf(r, "c1");
        assertEquals(Verdict.UNSYNCED, c.verdict());
        Finding f = finding(c, "CLIENT_NOT_ALLOWED");
        assertTrue(f.fix().contains("10.144.0.0/24"), f.fix());
    }

    @Test
    void aMasterWhoseUpstreamsAreSilentServesItsLocalClockWithAWarning() {
        Host m = master(List.of("10.144.0.99", "ntp.nonexistent.invalid"), List.of("10.144.0.0/16"));
        HostVerdict v = verdictOf(judge(m, obs(call(C07, 0, 0), 40L), obs(call(C02, 0, 0), 600L)), "m1");
        assertEquals(Verdict.SERVING, v.verdict());
        Finding f = finding(v, "LOCAL_CLOCK_FALLBACK");
        assertEquals(Severity.WARNING, f.severity());
    }

    @Test
    void aMasterWithoutLocalWhoseUpstreamNeverAnswersIsUnsyncedAfterItsWindow() {
        Host m = Topo.host("m1", Role.MASTER, "10.144.0.1", spec(List.of("10.144.0.99"), false,
                List.of("10.144.0.0/16"), "10.144.0.1"));
        VerifyResult r = judge(m, obs(call(C08, 0, 0), 600L), obs(call(C08, 1, 1), 600L));
        HostVerdict v = verdictOf(r, "m1");
        assertEquals(Verdict.UNSYNCED, v.verdict());
        finding(v, "MASTER_UPSTREAM_UNREACHABLE");
        assertEquals(Verdict.STARTING, verdictOf(judge(m, obs(call(C08, 0, 0), 20L), obs(call(C08, 1, 1), 20L)), "m1")
                .verdict());
    }

    @Test
    void aFalsetickerMasterIsNamed() {
        Host m = Topo.host("m1", Role.MASTER, "127.0.0.6", spec(List.of(), true, List.of("127.0.0.0/8"), "127.0.0.6"));
        Host client = Topo.host("c1", Role.CLIENT, "127.0.0.4", spec(List.of(), false, List.of(), ""));
        Chronyc c = Chronyc.parse(out(L22, "chronyc -h 127.0.0.4 -c tracking", 0),
                out(L22, "chronyc -h 127.0.0.4 -c sources", 0), new Chronyc.Output("", 0));
        Map<String, HostInput> in = new LinkedHashMap<>();
        in.put("m1", Topo.reached(LOCAL_MASTER, CHRONY));
        in.put("c1", Topo.reached(obs(c, 600L), CHRONY));
        HostVerdict v = verdictOf(TopologyJudge.judge(Topo.inventory(m, client), in), "c1");
        assertEquals(Verdict.UNSYNCED, v.verdict());
        finding(v, "MASTER_FALSETICKER");
    }

    /**
     * chronyc's bound on the clock error (tracking: |system offset| + root dispersion + root delay / 2; L20's
     * 0.002642 + 0.005774 + 0.010100 / 2 = 0.013466 ms) against ntp_max_offset_ms, once the source's reach register
     * is full (377): the rule ntpd's rv is judged by. C02's source at reach 77 is not judged yet.
     */
    @Test
    void anErrorBoundBeyondTheOffsetLimitWarns() {
        NtpSpec s = spec(List.of(), false, List.of(), "");
        Host strict = Topo.host("c1", Role.CLIENT, "127.0.0.5", new NtpSpec(s.upstream(), s.localClock(),
                s.localStratum(), s.orphanStratum(), s.orphanWait(), s.allow(), s.serveOthers(), s.flavor(),
                s.serverAddress(), s.iburst(), s.minpoll(), s.maxpoll(), s.confPath(), s.service(), s.extra(), 0.01,
                s.disableCompetitors()));
        Host m = Topo.host("m1", Role.MASTER, "127.0.0.1", spec(List.of(), true, List.of("127.0.0.0/8"), "127.0.0.1"));
        Chronyc l20 = Chronyc.parse(out(L20, "chronyc -h 127.0.0.5 -c tracking", 0),
                out(L20, "chronyc -h 127.0.0.5 -c sources", 0), new Chronyc.Output("", 0));
        Map<String, HostInput> in = new LinkedHashMap<>();
        in.put("m1", Topo.reached(LOCAL_MASTER, CHRONY));
        in.put("c1", Topo.reached(obs(l20, 600L), CHRONY));
        HostVerdict c = verdictOf(TopologyJudge.judge(Topo.inventory(m, strict), in), "c1");
        assertEquals(Verdict.SYNCED, c.verdict(), c.findings().toString());
        Finding f = finding(c, "ERROR_BOUND_HIGH");
        assertTrue(f.message().contains("may be up to 0.013 ms off by its chronyd's own account"), f.message());
        assertEquals(List.of("system offset -0.002642 ms, root dispersion 0.005774 ms, root delay 0.0101 ms"),
                f.evidence());
        assertEquals(1, c.findings().size(), c.findings().toString());
        Map<String, HostInput> young = new LinkedHashMap<>(in);
        young.put("c1", Topo.reached(obs(call(C02, 0, 0), 600L), CHRONY));
        Host strict02 = Topo.host("c1", Role.CLIENT, "10.144.0.2", strict.ntp());
        HostVerdict notYet = verdictOf(TopologyJudge.judge(Topo.inventory(master(List.of(), List.of("10.144.0.0/16")),
                strict02), young), "c1");
        assertTrue(notYet.findings().stream().noneMatch(x -> x.code().equals("ERROR_BOUND_HIGH")),
                "reach 77: not judged yet, though 0.059 ms > 0.01: " + notYet.findings());
    }

    /** A client's verdict next to the lab's serving local-stratum master, both (lab44's 10.167.0.1 and .3) 10 min up. */
    static HostVerdict clientOfLab44(String capture) {
        return clientOfLab44(capture, Topo.host("m1", Role.MASTER, "10.167.0.1", spec(List.of(), true,
                List.of("10.167.0.0/16"), "10.167.0.1")), LOCAL_MASTER);
    }

    static HostVerdict clientOfLab44(String capture, Host m, HostObservation master) {
        Host c = Topo.host("c1", Role.CLIENT, "10.167.0.3", spec(List.of(), false, List.of(), ""));
        Chronyc read = Chronyc.parse(out(capture, Chronyc.TRACKING, 0), out(capture, Chronyc.SOURCES, 0),
                out(capture, Chronyc.SOURCESTATS, 0));
        Map<String, HostInput> in = new LinkedHashMap<>();
        in.put("m1", Topo.reached(master, CHRONY));
        in.put("c1", Topo.reached(obs(read, 600L), CHRONY));
        return verdictOf(TopologyJudge.judge(Topo.inventory(m, c), in), "c1");
    }

    /** Fixes that send the operator to the daemon's own account name chronyc's: a chrony host has no ntpq. */
    @Test
    void fixesThatShowTheDaemonsStateNameChronycOnAChronyHost() {
        HostObservation o = obs(call(C02, 0, 0), 600L);
        HostContext c = new HostContext(CLIENT, o, SyncState.of(o), CHRONY);
        Finding selection = c.finding(FindingCode.MASTER_NOT_SELECTED, List.of(), "master", "m1", "reach", "77",
                "freshness", "(last reply 8 s ago)");
        assertEquals("read `chronyc -n sources -v` and `journalctl -u chrony` on c1", selection.fix());
        Finding unsynced = c.finding(FindingCode.MASTER_UNSYNCED, List.of(), "system", "(stratum 16)",
                "orphanWait", 300);
        assertEquals("read `journalctl -u chrony` and `chronyc -n tracking` on the host", unsynced.fix());
    }

    /** chrony's `~` (C09: the client's maxjitter 1 ns) is its own reason, with the samples' spread. */
    @Test
    void aMasterTheClientFindsTooVariableIsNamed() {
        HostVerdict v = clientOfLab44(C09);
        assertEquals(Verdict.UNSYNCED, v.verdict(), v.findings().toString());
        Finding f = finding(v, "MASTER_TOO_VARIABLE");
        assertEquals(Severity.CRITICAL, f.severity());
        assertTrue(f.message().startsWith("c1 rejects m1 as too variable (chrony `~`, reach 177, samples spread"
                + " 0.007306 ms)"), f.message());
        assertTrue(f.fix().contains("maxjitter"), f.fix());
        assertEquals(1, v.findings().size(), v.findings().toString());
    }

    /** chrony's `?` while replies arrive (C10: the client's maxdistance 1 ns) is MASTER_UNUSABLE, not silence. */
    @Test
    void aMasterTheClientMarksUnusableWhileRepliesArriveIsNamed() {
        HostVerdict v = clientOfLab44(C10);
        assertEquals(Verdict.UNSYNCED, v.verdict(), v.findings().toString());
        Finding f = finding(v, "MASTER_UNUSABLE");
        assertTrue(f.message().startsWith("c1 marks m1 unusable (chrony `?`, reach 77) although replies arrive"),
                f.message());
        assertTrue(f.fix().contains("maxdistance"), f.fix());
        assertEquals(1, v.findings().size(), v.findings().toString());
    }

    /**
     * `?` from a master that is itself not serving (C08's master: an upstream that never answers, no local clock):
     * the master is blamed, as for a silent one, not the client's selection.
     */
    @Test
    void anUnusableMasterThatIsItselfUnsyncedIsBlamed() {
        Host m = Topo.host("m1", Role.MASTER, "10.167.0.1", spec(List.of("10.144.0.99"), false,
                List.of("10.167.0.0/16"), "10.167.0.1"));
        HostVerdict v = clientOfLab44(C10, m, obs(call(C08, 0, 0), 600L));
        assertEquals(Verdict.UNSYNCED, v.verdict(), v.findings().toString());
        assertTrue(finding(v, "MASTER_NOT_SERVING").message().contains("the master itself is UNSYNCED"),
                v.findings().toString());
        assertTrue(v.findings().stream().noneMatch(f -> f.code().equals("MASTER_UNUSABLE")), v.findings().toString());
    }

    @Test
    void chronycWithoutADaemonAndWithout506() {
        Chronyc.Output c506 = out(C04, Chronyc.TRACKING, 0);
        Chronyc down = Chronyc.parse(c506, c506, c506);
        HostVerdict running = verdictOf(judge(master(List.of(), List.of()), null, obs(down, 30L)), "c1");
        assertEquals(Verdict.UNKNOWN, running.verdict());
        finding(running, "CHRONYC_NO_ANSWER");
        assertTrue(running.unknown());
        Chronyc.Output missing = out(C04, "sh -c PATH=/nonexistent; chronyc -n -c tracking", 0);
        Chronyc gone = Chronyc.parse(missing, missing, missing);
        HostVerdict none = verdictOf(judge(master(List.of(), List.of()), null, obs(gone, null)), "c1");
        assertEquals(Verdict.DAEMON_DOWN, none.verdict());
        finding(none, "CHRONY_NOT_INSTALLED");
        HostVerdict noTool = verdictOf(judge(master(List.of(), List.of()), null, obs(gone, 30L)), "c1");
        finding(noTool, "CHRONYC_MISSING");
    }

    @Test
    void ntpdNextToChronydIsTwoDaemonsNamingNtpd() {
        Unparseable notAsked = new Unparseable("ntpq is not asked on a chrony host", "");
        HostObservation both = new HostObservation(notAsked, notAsked, List.of(50L), true, List.of("ntpd", "chronyd"),
                Optional.of(Topo.SHA), true, List.of(), true, OptionalLong.empty(), Optional.of(call(C02, 0, 0)),
                List.of(600L));
        HostVerdict v = verdictOf(judge(master(List.of(), List.of("10.144.0.0/16")), LOCAL_MASTER, both), "c1");
        Finding f = finding(v, "TWO_DAEMONS");
        // a declared chrony host: apply switches the other family off (TimeDaemon.stoppedByApply)
        assertEquals("`ntpdeploy apply` stops and disables ntpd once chrony runs its config", f.fix());
    }

    @Test
    void chronycOutputNoRuleReadsIsUnparseableWithTheText() {
        Chronyc odd = Chronyc.parse(new Chronyc.Output("Reference ID    : 7F7F0101 ()", 0), new Chronyc.Output("", 0),
                new Chronyc.Output("", 0));
        HostVerdict v = verdictOf(judge(master(List.of(), List.of()), null, obs(odd, 30L)), "c1");
        Finding f = finding(v, "UNPARSEABLE_OUTPUT");
        assertTrue(f.message().contains("chronyc's output"), f.message());
        assertEquals(List.of("Reference ID    : 7F7F0101 ()"), f.evidence());
    }

    // ------------------------------------------------------------ from the whole probe (one exec per host)

    static HostObservation probe(String name) throws Exception {
        try (var in = ChronyVerdictTest.class.getResourceAsStream("/probe/" + name)) {
            return dev.ntpdeploy.facts.NtpProbe.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The lab43 fleet of the chrony probe captures: master 10.166.0.1, the chrony client 10.166.0.3. */
    static final Host LAB43_MASTER = Topo.host("m1", Role.MASTER, "10.166.0.1",
            spec(List.of(), true, List.of("10.166.0.0/16"), "10.166.0.1"));
    static final Host LAB43_CLIENT = Topo.host("c1", Role.CLIENT, "10.166.0.3", spec(List.of(), false, List.of(), ""));

    @Test
    void theProbeOfALabChronyFleetReadsServingAndSyncedAtTheRenderedStrata() throws Exception {
        HostObservation m = probe("lab-chrony-master-local-stratum_probe.txt");
        HostObservation c = probe("lab-chrony-client-synced_probe.txt");
        // this host's chronyd (and its helper process) only, though ps saw every lab's daemons
        assertEquals(List.of(28L, 28L), c.chronydUptimes());
        assertTrue(c.ntpdUptimes().isEmpty());
        Map<String, HostInput> in = new LinkedHashMap<>();
        in.put("m1", new HostInput.Reached(m, m.configSha256(), CHRONY));
        in.put("c1", new HostInput.Reached(c, c.configSha256(), CHRONY));
        VerifyResult r = TopologyJudge.judge(Topo.inventory(LAB43_MASTER, LAB43_CLIENT), in);
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.SERVING, mv.verdict(), mv.findings().toString());
        assertEquals(10, mv.stratum());
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.SYNCED, cv.verdict(), cv.findings().toString());
        assertEquals(11, cv.stratum());
        assertTrue(cv.findings().isEmpty(), "the master heard it: " + r);
        // the master also served lab43-h2, which this two-host inventory does not list: counted, information only
        Finding f = finding(mv, "CLIENTS_NOT_IN_INVENTORY");
        assertEquals(Severity.INFO, f.severity());
        assertTrue(f.message().startsWith("m1 served 1 host(s) the inventory does not list in the last 3082 s:"
                + " 10.166.0.2"), f.message());
        assertEquals(List.of("10.166.0.2 (14 requests, the last 19 s ago)"), f.evidence());
        assertEquals(1, mv.findings().size(), mv.findings().toString());
        assertEquals(Status.OK, r.status());
    }

    @Test
    void aChronyMasterWithoutClientLoggingSaysTheCheckWasNotPossibleAndAccusesNoClient() throws Exception {
        HostObservation m = probe("lab-chrony-master-noclientlog_probe.txt");
        Map<String, HostInput> in = new LinkedHashMap<>();
        in.put("m1", new HostInput.Reached(m, m.configSha256(), CHRONY));
        HostObservation c = probe("lab-chrony-client-synced_probe.txt");
        in.put("c1", new HostInput.Reached(c, c.configSha256(), CHRONY));
        VerifyResult r = TopologyJudge.judge(Topo.inventory(LAB43_MASTER, LAB43_CLIENT), in);
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.SERVING, mv.verdict(), mv.findings().toString());
        Finding f = finding(mv, "BOTH_ENDS_UNCHECKED");
        assertEquals(Severity.INFO, f.severity());
        assertEquals("m1's clients are not checked from its end: chronyc -n -c clients: 519 Client logging is not"
                + " active in the daemon", f.message());
        assertEquals(Status.OK, mv.status());
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.SYNCED, cv.verdict(), cv.findings().toString());
        assertTrue(cv.findings().isEmpty(), "nothing claimed from the master's end: " + cv.findings());
    }

    @Test
    void theProbeOfAHostWhoseChronydIsStoppedWhileNtpdRunsSaysSo() throws Exception {
        HostObservation o = probe("lab-dual-chronyd-stopped-ntpd-running_chrony-probe.txt");
        assertTrue(o.chronydUptimes().isEmpty());
        HostVerdict v = verdictOf(judge(master(List.of(), List.of()), null, o), "c1");
        assertEquals(Verdict.DAEMON_DOWN, v.verdict());
        Finding f = finding(v, "CHRONYD_NOT_RUNNING");
        assertTrue(f.evidence().contains("UDP 123 owned by ntpd"), f.evidence().toString());
    }

    // ------------------------------------------------------------ seen from both ends

    /** The local-stratum master of C01 with its {@code clients} list as captured in {@code file}. */
    static HostObservation masterHearing(String file) {
        return LOCAL_MASTER.withClientLog(ClientLog.fromChronyc(out(file, ClientLog.CHRONYC, 0)));
    }

    @Test
    void aClientTheMasterNeverHeardHadItsRequestsLostOnTheWayOut() {
        // C06's master lists no client; its own allow is judged elsewhere: here the inventory allows the client
        VerifyResult r = judge(master(List.of(), List.of("10.144.0.0/16")), masterHearing(C06), obs(call(C06, 0, 0), 600L));
        HostVerdict c = verdictOf(r, "c1");
        finding(c, "CLIENT_NO_REPLIES");
        Finding f = finding(c, "UNHEARD_BY_MASTER");
        assertTrue(f.message().contains("m1 has received no NTP request from c1 (10.144.0.2)"), f.message());
        assertTrue(f.message().contains("lost on the way out"), f.message());
    }

    @Test
    void aClientRefusedByTheMastersAllowIsToldSoNotWhichWayPacketsAreLost() {
        NtpSpec s = spec(List.of(), true, List.of("10.99.0.0/16"), "10.144.0.1");
        Host servingOnly = Topo.host("m1", Role.MASTER, "10.144.0.1", new NtpSpec(s.upstream(), s.localClock(),
                s.localStratum(), s.orphanStratum(), s.orphanWait(), s.allow(), false, s.flavor(), s.serverAddress(),
                s.iburst(), s.minpoll(), s.maxpoll(), s.confPath(), s.service(), s.extra(), s.maxOffsetMs(),
                s.disableCompetitors()));
        VerifyResult r = judge(servingOnly, masterHearing(C06), obs(call(C06, 0, 0), 600L));
        HostVerdict c = verdictOf(r, "c1");
        finding(c, "CLIENT_NOT_ALLOWED");
        assertTrue(c.findings().stream().noneMatch(f -> f.code().equals("UNHEARD_BY_MASTER")), c.findings().toString());
    }

    @Test
    void aClientTheMasterHearsButThatGetsNoRepliesLosesThemOnTheWayBack() {
        // C01: the master logged 6 requests from 10.144.0.2, the last 6 s ago; C06's client saw no reply
        VerifyResult r = judge(master(List.of(), List.of("10.144.0.0/16")), masterHearing(C01), obs(call(C06, 0, 0), 600L));
        HostVerdict c = verdictOf(r, "c1");
        finding(c, "CLIENT_NO_REPLIES");
        Finding f = finding(c, "UNHEARD_BY_MASTER");
        assertTrue(f.message().contains("received 6 NTP requests from c1"), f.message());
        assertTrue(f.message().contains("lost on the way back"), f.message());
    }

    @Test
    void aSyncedClientTheMasterHeardHasNoBothEndsFindingAndOneItNeverHeardHas() {
        HostVerdict heard = verdictOf(judge(master(List.of(), List.of("10.144.0.0/16")), masterHearing(C01),
                obs(call(C02, 0, 0), 600L)), "c1");
        assertEquals(Verdict.SYNCED, heard.verdict());
        assertTrue(heard.findings().isEmpty(), heard.findings().toString());
        HostVerdict unheard = verdictOf(judge(master(List.of(), List.of("10.144.0.0/16")), masterHearing(C06),
                obs(call(C02, 0, 0), 600L)), "c1");
        assertEquals(Verdict.SYNCED, unheard.verdict(), "a warning beside the client's own verdict");
        assertTrue(finding(unheard, "UNHEARD_BY_MASTER").message().contains("though c1 is synced to it"),
                unheard.findings().toString());
    }

    @Test
    void aRequestFromBeforeTheClientsRestartIsNotHeardFromItsNewDaemon() {
        // C01's last request 6 s ago; a client whose chronyd started 7 s ago: in whole seconds on both hosts that
        // request may be the old daemon's (it was, in the lab: nftables dropped everything the new one sent)
        HostVerdict young = verdictOf(judge(master(List.of(), List.of("10.144.0.0/16")), masterHearing(C01),
                obs(call(C02, 0, 0), 7L)), "c1");
        assertTrue(finding(young, "UNHEARD_BY_MASTER").message().contains("in the last 5 s"), young.findings().toString());
        HostVerdict older = verdictOf(judge(master(List.of(), List.of("10.144.0.0/16")), masterHearing(C01),
                obs(call(C02, 0, 0), 8L)), "c1");
        assertTrue(older.findings().isEmpty(), older.findings().toString());
    }

    @Test
    void aMasterWithoutAListClaimsNothingAboutItsClients() {
        // not read (an older probe, a master outside --limit): nothing is said from the master's end
        VerifyResult r = judge(master(List.of(), List.of("10.144.0.0/16")), LOCAL_MASTER, obs(call(C06, 0, 0), 600L));
        assertTrue(verdictOf(r, "c1").findings().stream().noneMatch(f -> f.code().equals("UNHEARD_BY_MASTER")));
        assertTrue(verdictOf(r, "m1").findings().isEmpty(), verdictOf(r, "m1").findings().toString());
    }

}

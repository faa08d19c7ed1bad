package dev.ntpdeploy.verify;

import static dev.ntpdeploy.facts.Samples.block;
import static dev.ntpdeploy.facts.Samples.body;
import static dev.ntpdeploy.verify.Topo.HEADER;
import static dev.ntpdeploy.verify.Topo.client;
import static dev.ntpdeploy.verify.Topo.failedObs;
import static dev.ntpdeploy.verify.Topo.finding;
import static dev.ntpdeploy.verify.Topo.inventory;
import static dev.ntpdeploy.verify.Topo.master;
import static dev.ntpdeploy.verify.Topo.masterServingOnly;
import static dev.ntpdeploy.verify.Topo.obs;
import static dev.ntpdeploy.verify.Topo.reached;
import static dev.ntpdeploy.verify.Topo.verdictOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.NtpqPeers;
import dev.ntpdeploy.facts.Samples;
import dev.ntpdeploy.facts.SystemVars;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TopologyJudgeTest {

    // Lab captures (ntpsec 1.2.2, master 127.0.0.1, client 127.0.0.3). The lab ntpd now runs without
    // CAP_SYS_TIME instead of 'disable ntp', so a synced host reports leap=00 (under 'disable ntp' NTPsec keeps leap=11):
    // captures taken under 'disable ntp' are adapted by that one field where a synced host is meant.
    static final String L01 = "L01-ntpsec-1.2.2_client-synced-to-orphan-master_ntpq-p.txt";
    static final String L02 = "L02-ntpsec-1.2.2_orphan-master_no-associations_and_rv.txt";
    static final String L03 = "L03-ntpsec-1.2.2_client-of-orphan-master_rv_as_sysinfo_raw.txt";
    static final String L05 = "L05-ntpsec-1.2.2_client_master-stopped-2min_still-star.txt";
    static final String L06 = "L06-ntpsec-1.2.2_client_unreachable-server_INIT_reach0.txt";
    static final String L07 = "L07-ntpsec-1.2.2_localclock-master_LOCAL0_startup-and-synced.txt";
    static final String L08 = "L08-ntpsec-1.2.2_client-of-unsynchronised-master_looks-unreachable.txt";
    static final String L09 = "L09-ntpsec-1.2.2_KoD-RATE_from-master.txt";
    static final String L10 = "L10-ntpsec-1.2.2_noquery_and_default-restrictions_Request-timed-out.txt";
    static final String L12 = "L12-ntpsec-1.2.2_huge-offsets_plus2000s_minus3600s.txt";
    static final String L14 = "L14-ntpsec-1.2.2_ntpq-error-messages.txt";

    static String synced(String rv) {
        return rv.replace("leap=11", "leap=00").replace("status=c", "status=0");
    }

    /** A fresh client: rv of L06 (stratum 16, INIT). */
    static String unsyncedRv() {
        return block(L06, "$ ntpq -c rv", 0);
    }

    /** L08's client billboard with ntpq -n (the remote column shows 127.0.0.1 instead of its name). */
    static String clientInitRow() {
        return block(L08, "$ ntpq -p", 1).replace("localhost", "127.0.0.1");
    }

    static String orphanMasterRv() {
        return block(L02, "$ ntpq -c rv", 0);
    }

    static String syncedClientRv() {
        return synced(block(L03, "$ ntpq -c rv", 0));
    }

    static Host orphanMaster() {
        return master(List.of(), false, OptionalInt.of(10), List.of());
    }

    /** Judges client c1 (127.0.0.3, or the given host) next to a serving orphan master m1 (L02). */
    static HostVerdict clientOfServingMaster(Host c, String peers, String rv, long uptime) {
        VerifyResult r = TopologyJudge.judge(inventory(orphanMaster(), c), Map.of(
                "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 3600L)),
                "c1", reached(obs(peers, rv, uptime))));
        return verdictOf(r, "c1");
    }

    @Test
    void seedCaseMasterWithoutUpstreamsIsUnsyncedAndClientsBlameTheMaster() {
        // The seed's master: upstream pool names that do not resolve, no local clock (rows as NTPsec shows
        // unresolvable servers, L11), its rv that of an unsynchronised host (L06); an hour after start.
        Host m = master(List.of("0.centos.pool.ntp.org", "1.centos.pool.ntp.org"), false, OptionalInt.empty(),
                List.of("127.0.0.0/8"));
        String masterPeers = HEADER
                + " 0.centos.pool.n .DNS.           16 u    -   64    0   0.0000   0.0000   0.0001\n"
                + " 1.centos.pool.n .DNS.           16 u    -   64    0   0.0000   0.0000   0.0001\n";
        Host c = client("c1", "127.0.0.3");
        VerifyResult r = TopologyJudge.judge(inventory(m, c), Map.of(
                "m1", reached(obs(masterPeers, unsyncedRv(), 3600L)),
                "c1", reached(obs(clientInitRow(), unsyncedRv(), 3600L))));
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.UNSYNCED, mv.verdict());
        assertEquals(16, mv.stratum());
        Finding f = finding(mv, "MASTER_UPSTREAM_UNREACHABLE");
        assertEquals(Severity.CRITICAL, f.severity());
        assertTrue(f.message().startsWith("master cannot reach its upstream servers (DNS)"), f.message());
        assertTrue(f.message().contains("clients cannot sync to a stratum-16 master"));
        assertTrue(f.fix().contains("set `ntp_upstream: []` (isolated: serve the local clock)"), f.fix());
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.UNSYNCED, cv.verdict());
        Finding cf = finding(cv, "MASTER_NOT_SERVING");
        assertTrue(cf.message().contains("the master itself is UNSYNCED"), cf.message());
        assertTrue(cv.findings().stream().noneMatch(x -> x.code().equals("CLIENT_NO_REPLIES")), "must not blame the network");
        assertEquals(Status.CRITICAL, r.status());
    }

    @Test
    void isolatedOrphanMasterServesAndItsClientIsSynced() {
        Host m = orphanMaster();
        Host c = client("c1", "127.0.0.3");
        VerifyResult r = TopologyJudge.judge(inventory(m, c), Map.of(
                "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 60L)),
                "c1", reached(obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L))));
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.SERVING, mv.verdict());
        assertEquals("orphan", mv.peer());
        assertEquals(10, mv.stratum());
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.SYNCED, cv.verdict(), cv.findings().toString());
        assertEquals("127.0.0.1", cv.peer());
        assertEquals(11, cv.stratum());
        assertEquals(0.0116, cv.offsetMs());
        assertEquals(0377, cv.reach());
        assertTrue(cv.findings().isEmpty(), cv.findings().toString());
        assertEquals(Status.OK, r.status());
    }

    /**
     * The daemon's own error bound against the offset limit (#15), from ntpq's rv (L03: |offset 0.0| + rootdisp 1.12
     * + rootdelay 0.037 / 2 = 1.1385 ms): the same rule judges chronyc's tracking (ChronyVerdictTest). A warning: the
     * offset to the master is within the limit, the chain above it does not prove the clock is.
     */
    @Test
    void anErrorBoundBeyondTheOffsetLimitWarnsWhileTheOffsetIsWithinIt() {
        Host strict = client("c1", "127.0.0.3", 1);
        HostVerdict cv = verdictOf(TopologyJudge.judge(inventory(orphanMaster(), strict), Map.of(
                "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 60L)),
                "c1", reached(obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L)))), "c1");
        assertEquals(Verdict.SYNCED, cv.verdict(), cv.findings().toString());
        Finding f = finding(cv, "ERROR_BOUND_HIGH");
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().contains("may be up to 1.139 ms off by its ntpd's own account"), f.message());
        assertEquals(List.of("system offset 0 ms, root dispersion 1.12 ms, root delay 0.037 ms"), f.evidence());
        assertEquals(1, cv.findings().size(), cv.findings().toString());
        HostVerdict loose = clientOfServingMaster(client("c1", "127.0.0.3", 2), block(L01, "$ ntpq -pn", 0),
                syncedClientRv(), 60L);
        assertTrue(loose.findings().isEmpty(), loose.findings().toString());
    }

    @Test
    void localClockMasterIsStartingWithinOrphanwaitAndItsClientWaits() {
        Host m = master(List.of(), true, OptionalInt.empty(), List.of());
        Host c = client("c1", "127.0.0.3");
        VerifyResult r = TopologyJudge.judge(inventory(m, c), Map.of(
                "m1", reached(obs(block(L07, "$ ntpq -p 127.0.0.1", 0), block(L07, "$ ntpq -c rv", 0), 8L)),
                "c1", reached(obs(clientInitRow(), unsyncedRv(), 20L))));
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.STARTING, mv.verdict());
        assertTrue(mv.findings().stream().allMatch(f -> f.severity() == Severity.WARNING));
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.SYNCING, cv.verdict());
        finding(cv, "WAITING_FOR_MASTER");
        assertEquals(Status.WARNING, r.status());
        assertEquals(2, r.pending().size());
    }

    @Test
    void localClockMasterStillUnselectedAfterOrphanwaitIsUnsynced() {
        Host m = master(List.of(), true, OptionalInt.empty(), List.of());
        VerifyResult r = TopologyJudge.judge(inventory(m), Map.of(
                "m1", reached(obs(block(L07, "$ ntpq -p 127.0.0.1", 2), block(L07, "$ ntpq -c rv", 0), 900L))));
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.UNSYNCED, mv.verdict());
        assertEquals(Severity.CRITICAL, finding(mv, "MASTER_UNSYNCED").severity());
        String fix = finding(mv, "MASTER_UNSYNCED").fix();
        assertTrue(fix.endsWith("and `ntpq -c rv` on the host"), fix);
    }

    @Test
    void localClockMasterServesAtFudgePlusOne() {
        Host m = master(List.of(), true, OptionalInt.empty(), List.of());
        VerifyResult r = TopologyJudge.judge(inventory(m), Map.of(
                "m1", reached(obs(block(L07, "$ ntpq -pn 127.0.0.1", 0), synced(block(L07, "$ ntpq -c rv", 1)), 400L))));
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.SERVING, mv.verdict());
        assertEquals("LOCAL(0)", mv.peer());
        assertEquals(11, mv.stratum());
        assertTrue(mv.findings().isEmpty(), mv.findings().toString());
    }

    @Test
    void localClockFallbackOnAMasterWithUpstreamsIsAWarning() {
        Host m = master(List.of("ntp.nonexistent.invalid"), true, OptionalInt.empty(), List.of());
        String peers = block(L07, "$ ntpq -pn 127.0.0.1", 0)
                + "\n ntp.nonexistent .DNS.           16 u    -   64    0   0.0000   0.0000   0.0001\n";
        VerifyResult r = TopologyJudge.judge(inventory(m), Map.of(
                "m1", reached(obs(peers, synced(block(L07, "$ ntpq -c rv", 1)), 4000L))));
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.SERVING, mv.verdict());
        assertEquals(Severity.WARNING, finding(mv, "LOCAL_CLOCK_FALLBACK").severity());
        assertEquals(Status.WARNING, r.status());
    }

    @Test
    void clientGetsNoRepliesFromAServingMaster() {
        HostVerdict cv = clientOfServingMaster(client("c1", "127.0.0.3"), clientInitRow(), unsyncedRv(), 3600L);
        assertEquals(Verdict.UNSYNCED, cv.verdict());
        Finding f = finding(cv, "CLIENT_NO_REPLIES");
        assertTrue(f.message().startsWith("no NTP replies from m1 (127.0.0.1)"), f.message());
        // m1 serves others (ntp_serve_others default) and its file is the rendered one: the path is to blame
        assertTrue(f.message().endsWith("although it is serving: UDP/123 blocked between them (m1's rendered restrict"
                + " lines allow c1 (127.0.0.3) and its config is the rendered one)"), f.message());
        assertEquals("open UDP/123 between c1 and m1 (both directions, nft/iptables on both hosts)", f.fix());
    }

    /**
     * #13 item 5: the master's restrict lines come first when they are the likelier cause: the master's file is not
     * its rendering, or its ntp_allow cannot be checked against the client (a name); not when the rendered lines
     * allow the client and the file is the rendered one. The rows are L08's (a client that never heard its master).
     */
    @Test
    void clientNoRepliesNamesTheMastersRestrictLinesFirstWhenTheyAreTheLikelierCause() {
        HostInput servingMaster = reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 3600L));
        HostInput driftedMaster = new HostInput.Reached(((HostInput.Reached) servingMaster).observation(),
                Optional.of("0".repeat(64)), Topo.NTPSEC);
        HostInput silentClient = reached(obs(clientInitRow(), unsyncedRv(), 3600L));

        Host covering = masterServingOnly(List.of("127.0.0.0/24"));
        Finding drifted = finding(verdictOf(TopologyJudge.judge(inventory(covering, client("c1", "127.0.0.3")),
                Map.of("m1", driftedMaster, "c1", silentClient)), "c1"), "CLIENT_NO_REPLIES");
        assertTrue(drifted.message().contains("most likely m1's restrict lines deny c1 (127.0.0.3), as its config is"
                + " not the rendered one; else UDP/123 is blocked"), drifted.message());
        assertTrue(drifted.fix().startsWith("`ntpdeploy apply --limit m1` (puts back its rendered `restrict` lines);"
                + " if replies still do not come, open UDP/123"), drifted.fix());

        Finding byName = finding(verdictOf(TopologyJudge.judge(inventory(covering, client("c1", "c1.lab.example")),
                Map.of("m1", servingMaster, "c1", silentClient)), "c1"), "CLIENT_NO_REPLIES");
        assertTrue(byName.message().contains("most likely m1's restrict lines deny c1 (c1.lab.example), as its"
                + " `ntp_allow` [127.0.0.0/24] cannot be checked against a name"), byName.message());
        assertTrue(byName.fix().startsWith("make m1's `ntp_allow` cover the address c1 sends from;"), byName.fix());

        Finding path = finding(verdictOf(TopologyJudge.judge(inventory(covering, client("c1", "127.0.0.3")),
                Map.of("m1", servingMaster, "c1", silentClient)), "c1"), "CLIENT_NO_REPLIES");
        assertTrue(path.message().contains("UDP/123 blocked between them (m1's rendered restrict lines allow c1"
                + " (127.0.0.3) and its config is the rendered one)"), path.message());
    }

    /** A master that serves others (the default) answers a client its ntp_allow leaves out: not CLIENT_NOT_ALLOWED. */
    @Test
    void aMasterServingOthersDoesNotDenyAClientOutsideItsAllowList() {
        Host m = master(List.of(), false, OptionalInt.of(10), List.of("192.168.84.0/24"));
        HostVerdict cv = verdictOf(TopologyJudge.judge(inventory(m, client("c1", "127.0.0.3")), Map.of(
                "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 3600L)),
                "c1", reached(obs(clientInitRow(), unsyncedRv(), 3600L)))), "c1");
        assertTrue(cv.findings().stream().noneMatch(f -> f.code().equals("CLIENT_NOT_ALLOWED")), cv.toString());
        finding(cv, "CLIENT_NO_REPLIES");
    }

    @Test
    void clientOutsideTheMastersAllowListNamesTheEntryToAdd() {
        Host m = masterServingOnly(List.of("192.168.84.0/24"));
        Host c = client("c1", "127.0.0.3");
        VerifyResult r = TopologyJudge.judge(inventory(m, c), Map.of(
                "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 3600L)),
                "c1", reached(obs(clientInitRow(), unsyncedRv(), 3600L))));
        Finding f = finding(verdictOf(r, "c1"), "CLIENT_NOT_ALLOWED");
        assertTrue(f.message().contains("its `restrict` lines do not allow c1 (127.0.0.3"), f.message());
        assertTrue(f.fix().contains("add `127.0.0.0/24` to m1's `ntp_allow`"), f.fix());
    }

    /** Fix texts name the host's resolved daemon (classic ntpd on Red Hat: service ntpd, /etc/ntp.conf), not a default. */
    @Test
    void fixTextsNameTheResolvedServiceAndConfigPath() {
        HostObservation down = failedObs(block(L14, "--- stderr:", 0), List.of(), false, List.of(), List.of());
        dev.ntpdeploy.facts.Daemon rhel = new dev.ntpdeploy.facts.Daemon(dev.ntpdeploy.inventory.Flavor.NTP,
                "/etc/ntp.conf", "ntpd", dev.ntpdeploy.facts.ServiceManager.SYSTEMD, "ntpd");
        VerifyResult r = TopologyJudge.judge(inventory(orphanMaster()), Map.of("m1", reached(down, rhel)));
        Finding f = finding(verdictOf(r, "m1"), "NTPD_NOT_RUNNING");
        assertEquals("start it: `systemctl enable --now ntpd`; if it stops again read `journalctl -u ntpd`", f.fix());
    }

    @Test
    void ntpdNotRunningIsNtpdDown() {
        HostObservation down = failedObs(block(L14, "--- stderr:", 0), List.of(), false, List.of(), List.of());
        VerifyResult r = TopologyJudge.judge(inventory(orphanMaster()), Map.of("m1", reached(down)));
        HostVerdict v = verdictOf(r, "m1");
        assertEquals(Verdict.DAEMON_DOWN, v.verdict());
        assertTrue(finding(v, "NTPD_NOT_RUNNING").fix().contains("systemctl enable --now ntpsec"));
        assertEquals(Status.CRITICAL, r.status());
    }

    @Test
    void panicInTheLogExplainsWhyNtpdStopped() {
        List<String> log = Samples.file("P17-classic_ntpq-errors_timed-out_connection-refused_panic-logs.txt").lines()
                .filter(l -> l.contains("panic_stop")).toList();
        HostObservation down = failedObs("ntpq: read: Connection refused", List.of(), false, List.of(), log);
        assertEquals(1, log.size());
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(orphanMaster()), Map.of("m1", reached(down))), "m1");
        assertEquals(Verdict.DAEMON_DOWN, v.verdict());
        assertTrue(finding(v, "NTPD_PANIC_EXIT").fix().contains("-g"));
    }

    /**
     * #13 item 2: ntpq timing out while ntpd runs (L10, ntpsec 1.2.2 answering no query: `***Request timed out`) is
     * UNKNOWN unless the host shows the cause; the cause named is the one the evidence shows.
     */
    @Test
    void ntpqTimingOutIsUnknownUnlessTheHostShowsWhy() {
        String timedOut = block(L10, "$ ntpq -p 127.0.0.1", 2);
        HostObservation o = failedObs(timedOut, List.of(500L), false, List.of("ntpd"), List.of());
        Host c = client("c1", "127.0.0.3");
        // the file on the host is the rendered one (restrict 127.0.0.1/::1 in it), ntpd owns UDP 123: no evidence
        HostVerdict same = verdictOf(TopologyJudge.judge(inventory(orphanMaster(), c), Map.of("c1", reached(o))), "c1");
        assertEquals(Status.UNKNOWN, same.status(), same.toString());
        assertEquals(Verdict.UNKNOWN, same.verdict(), same.toString());
        assertTrue(same.findings().stream().noneMatch(x -> x.code().equals("NTPQ_NO_ANSWER")), same.toString());
        Finding wedged = finding(same, "NTPQ_TIMED_OUT");
        assertTrue(wedged.message().contains("is the rendered one"), wedged.message());
        assertFalse(wedged.message().contains("missing"), "no blame without evidence: " + wedged.message());
        assertTrue(wedged.fix().contains("systemctl restart ntpsec"), wedged.fix());

        // the file differs from the rendering: the restrict lines may well be gone
        HostInput drifted = new HostInput.Reached(o, Optional.of("0".repeat(64)), Topo.NTPSEC);
        HostVerdict cfg = verdictOf(TopologyJudge.judge(inventory(orphanMaster(), c), Map.of("c1", drifted)), "c1");
        assertEquals(Status.CRITICAL, cfg.status(), cfg.toString());
        Finding f = finding(cfg, "NTPQ_NO_ANSWER");
        assertTrue(f.message().contains("is not the rendered one") && f.message().contains("restrict 127.0.0.1"),
                f.message());
        assertTrue(f.fix().contains("ntpdeploy apply"), f.fix());

        // another process owns UDP 123: named, and nothing about restrict lines
        HostObservation owned = failedObs(timedOut, List.of(500L), false, List.of("ntpd", "systemd-timesyn"), List.of());
        HostVerdict other = verdictOf(TopologyJudge.judge(inventory(orphanMaster(), c), Map.of("c1", reached(owned))),
                "c1");
        Finding byOwner = finding(other, "NTPQ_NO_ANSWER");
        assertEquals(Severity.CRITICAL, byOwner.severity());
        assertTrue(byOwner.message().contains("systemd-timesyn owns UDP 123"), byOwner.message());
        assertFalse(byOwner.message().contains("restrict"), byOwner.message());

        // the same silence on a master whose client is synced to it: it serves, only queries are refused
        VerifyResult both = TopologyJudge.judge(inventory(orphanMaster(), c), Map.of("m1", reached(o),
                "c1", reached(obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L))));
        HostVerdict mv = verdictOf(both, "m1");
        assertEquals(Verdict.SERVING, mv.verdict());
        assertEquals(Severity.WARNING, finding(mv, "NTPQ_NO_ANSWER").severity());
    }

    @Test
    void anotherDaemonOnPort123IsNamed() {
        HostObservation o = failedObs(block(L14, "chronyd does not answer", 0), List.of(), true, List.of("chronyd"),
                List.of());
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(orphanMaster()), Map.of("m1", reached(o))), "m1");
        assertEquals(Verdict.DAEMON_DOWN, v.verdict());
        assertTrue(finding(v, "CHRONY_UNSUPPORTED").fix().contains("systemctl disable --now chronyd"));
    }

    @Test
    void clientSyncedToAPeerOutsideTheInventory() {
        HostVerdict cv = clientOfServingMaster(client("c1", "10.0.0.3"),
                body("P02-classic-4.2.6p5_centos7.7_ntpq-pn_synced.txt"), syncedClientRv(), 3600L);
        assertEquals(Verdict.UNSYNCED, cv.verdict());
        Finding f = finding(cv, "SYNCED_TO_FOREIGN_PEER");
        assertTrue(f.message().contains("72.5.72.15"));
        assertTrue(f.fix().contains("ntpdeploy apply --dry-run"));
    }

    @Test
    void configDriftSuggestsADryRun() {
        Host c = client("c1", "127.0.0.3");
        HostObservation o = obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L);
        VerifyResult r = TopologyJudge.judge(inventory(orphanMaster(), c), Map.of(
                "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 60L)),
                "c1", new HostInput.Reached(o, Optional.of("0".repeat(64)), Topo.NTPSEC)));
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.SYNCED, cv.verdict());
        Finding f = finding(cv, "CONFIG_DRIFT");
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.fix().contains("suggest `ntpdeploy apply --dry-run`"));
    }

    /** ntpd runs since 600 s, its file changed {@code configAge} s ago (the verify probe's confage section). */
    static HostObservation withConfigAge(HostObservation o, long configAge) {
        return new HostObservation(o.peers(), o.systemVars(), o.ntpdUptimes(), o.chronydRunning(), o.udp123Owners(),
                o.configSha256(), o.configPresent(), o.logLines(), o.complete(), java.util.OptionalLong.of(configAge));
    }

    @Test
    void aDaemonOlderThanItsConfigFileIsReportedAsNotHavingLoadedIt() {
        Host c = client("c1", "127.0.0.3");
        HostInput m1 = reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 600L));
        HostObservation synced = obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 600L);
        HostVerdict stale = verdictOf(TopologyJudge.judge(inventory(orphanMaster(), c), Map.of("m1", m1,
                "c1", reached(withConfigAge(synced, 42)))), "c1");
        Finding f = finding(stale, "CONFIG_NOT_LOADED");
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().contains("changed 42 s ago, after ntpd started (600 s ago)"), f.message());
        assertTrue(f.fix().contains("ntpdeploy apply"), f.fix());
        HostVerdict fresh = verdictOf(TopologyJudge.judge(inventory(orphanMaster(), c), Map.of("m1", m1,
                "c1", reached(withConfigAge(synced, 6000)))), "c1");
        assertTrue(fresh.findings().stream().noneMatch(x -> x.code().equals("CONFIG_NOT_LOADED")), fresh.toString());
    }

    /**
     * #13 item 1: a young client that hears its master from beyond the panic threshold cannot converge (ntpd will not
     * step 1000 s without -g): UNSYNCED at once, not SYNCING for the whole --sync-timeout. L12's second capture
     * (ntpq -p after the responder jumped to -3600 s: nothing selected, reach 15) on a client 60 s after its start.
     */
    @Test
    void aPanicFindingRulesOutConvergenceWhateverTheHostsAge() {
        Host m = host12("m1", "127.0.0.1");
        Host c = client("c1", "127.0.0.3");
        String far = block(L12, "$ ntpq -p 127.0.0.3", 1).replace("localhost", "127.0.0.1");
        for (long uptime : new long[] {20L, 60L, 6000L}) {
            HostVerdict v = verdictOf(TopologyJudge.judge(inventory(m, c), Map.of(
                    "c1", reached(obs(far, unsyncedRv(), uptime)))), "c1");
            assertEquals(Verdict.UNSYNCED, v.verdict(), "ntpd " + uptime + " s old: " + v);
            assertTrue(finding(v, "OFFSET_PANIC").message().contains("3599999 ms off 127.0.0.1"), v.toString());
            assertFalse(v.verdict().pending(), "a wait loop must not poll it again");
        }
    }

    @Test
    void offsetsBeyondTheLimitAndThePanicThreshold() {
        Host m = host12("m1", "127.0.0.1");
        Host c = client("c1", "127.0.0.3");
        VerifyResult panic = TopologyJudge.judge(inventory(m, c), Map.of(
                "c1", reached(obs(block(L12, "$ ntpq -p 127.0.0.3", 0).replace("localhost", "127.0.0.1"),
                        syncedClientRv(), 60L))));
        HostVerdict pv = verdictOf(panic, "c1");
        assertEquals(Verdict.UNSYNCED, pv.verdict());
        assertTrue(finding(pv, "OFFSET_PANIC").message().contains("refuse to step without -g"));
        String row = HEADER + "*127.0.0.1       127.0.0.1       10 u    8   64  377   0.0370  -90.404   0.0074\n";
        HostVerdict warn = verdictOf(TopologyJudge.judge(inventory(m, c), Map.of(
                "c1", reached(obs(row, syncedClientRv(), 600L)))), "c1");
        assertEquals(Verdict.SYNCED, warn.verdict());
        assertEquals(Severity.WARNING, finding(warn, "OFFSET_WARNING").severity());
        Host strict = client("c1", "127.0.0.3", 50);
        HostVerdict crit = verdictOf(TopologyJudge.judge(inventory(m, strict), Map.of(
                "c1", reached(obs(row, syncedClientRv(), 600L)))), "c1");
        assertEquals(Verdict.UNSYNCED, crit.verdict());
        finding(crit, "OFFSET_CRITICAL");
    }

    private static Host host12(String name, String addr) {
        return Topo.host(name, dev.ntpdeploy.inventory.Role.MASTER, addr,
                Topo.spec(List.of("192.0.2.123"), false, OptionalInt.empty(), List.of(), addr, 128));
    }

    @Test
    void starIsNotFreshnessWhenTheMasterStopped() {
        Host c = client("c1", "127.0.0.3");
        HostObservation masterDown = failedObs("***Socket error; probably ntpd is not running", List.of(), false,
                List.of(), List.of());
        VerifyResult r = TopologyJudge.judge(inventory(orphanMaster(), c), Map.of("m1", reached(masterDown),
                "c1", reached(obs(block(L05, "$ ntpq -p", 0).replace("localhost", "127.0.0.1"),
                        synced(block(L05, "$ ntpq -c rv", 0)), 3600L))));
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.UNSYNCED, cv.verdict());
        Finding f = finding(cv, "PEER_STALE");
        assertTrue(f.message().contains("reach 374 (last poll unanswered), last reply 154 s ago, poll 64 s"), f.message());
        assertTrue(f.message().contains("master m1 is DAEMON_DOWN (ntpd)"), f.message());
    }

    @Test
    void rateLimitedClientKeepsAStaleStar() {
        HostVerdict cv = clientOfServingMaster(client("c1", "127.0.0.3"),
                block(L09, "$ ntpq -p", 1).replace("localhost", "127.0.0.1"), syncedClientRv(), 600L);
        assertEquals(Verdict.UNSYNCED, cv.verdict());
        assertTrue(finding(cv, "PEER_STALE").message().contains("rate-limits c1"));
    }

    @Test
    void localClockOnAClientIsUnsynced() {
        Host c = client("c1", "127.0.0.3");
        VerifyResult r = TopologyJudge.judge(inventory(orphanMaster(), c), Map.of(
                "c1", reached(obs(block(L07, "$ ntpq -pn 127.0.0.1", 0), synced(block(L07, "$ ntpq -c rv", 1)), 600L))));
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.UNSYNCED, cv.verdict());
        finding(cv, "CLIENT_ON_LOCAL_CLOCK");
    }

    @Test
    void unreachableHostIsUnknownAndItsClientsSayTheMastersStateIsUnknown() {
        Host c = client("c1", "127.0.0.3");
        VerifyResult r = TopologyJudge.judge(inventory(orphanMaster(), c), Map.of(
                "m1", new HostInput.Unreachable("connection timed out"),
                "c1", reached(obs(clientInitRow(), unsyncedRv(), 3600L))));
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.UNREACHABLE, mv.verdict());
        assertEquals(Status.UNKNOWN, mv.status());
        assertNull(mv.stratum());
        finding(verdictOf(r, "c1"), "MASTER_STATE_UNKNOWN");
        assertEquals(Status.CRITICAL, r.status());
        VerifyResult onlyMaster = TopologyJudge.judge(inventory(orphanMaster(), c),
                Map.of("m1", new HostInput.Unreachable("connection timed out")));
        assertEquals(Status.UNKNOWN, onlyMaster.status());
        assertEquals(1, onlyMaster.hosts().size());
    }

    @Test
    void classicClientJustStartedWithReachRisingIsSyncing() {
        Host m = Topo.host("m1", dev.ntpdeploy.inventory.Role.MASTER, "44.190.6.254",
                Topo.spec(List.of("pool.example"), false, OptionalInt.empty(), List.of(), "44.190.6.254", 128));
        Host c = client("c1", "10.0.0.3");
        Inventory inv = inventory(m, c);
        String peers = body("P01-classic-4.2.6p5_centos7.7_ntpq-p_just-started.txt");
        HostVerdict early = verdictOf(TopologyJudge.judge(inv, Map.of("c1", reached(obs(peers, unsyncedRv(), 70L)))), "c1");
        assertEquals(Verdict.SYNCING, early.verdict(), early.findings().toString());
        HostVerdict late = verdictOf(TopologyJudge.judge(inv, Map.of("c1", reached(obs(peers, unsyncedRv(), 7200L)))), "c1");
        assertEquals(Verdict.UNSYNCED, late.verdict());
        String fix = finding(late, "MASTER_NOT_SELECTED").fix();
        assertTrue(fix.startsWith("read `ntpq -c as` and `journalctl -u ntpsec`"), fix);
    }

    @Test
    void masterSyncedToItsUpstreamServes() {
        Host m = Topo.host("m1", dev.ntpdeploy.inventory.Role.MASTER, "192.168.84.61",
                Topo.spec(List.of("72.5.72.15", "44.190.6.254"), false, OptionalInt.empty(), List.of(), "192.168.84.61", 128));
        String rv = "associd=0 status=0615 leap_none, sync_ntp, 1 event, clock_sync,\n"
                + "leap=00, stratum=3, refid=72.5.72.15, peer=1250, offset=0.231, sys_jitter=1.964";
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(m), Map.of("m1", reached(obs(
                body("P02-classic-4.2.6p5_centos7.7_ntpq-pn_synced.txt"), rv, 86400L)))), "m1");
        assertEquals(Verdict.SERVING, v.verdict());
        assertEquals("72.5.72.15", v.peer());
        assertEquals(3, v.stratum());
        assertTrue(v.findings().isEmpty(), v.findings().toString());
    }

    @Test
    void kissOfDeathCodesInTheRefidColumn() {
        // classic ntpd shows kiss codes (DENY, RATE...) in the refid column, like .INIT.: adapted from L08's row
        String deny = clientInitRow().replace(".INIT.", ".DENY.");
        finding(clientOfServingMaster(client("c1", "10.1.2.3"), deny, unsyncedRv(), 3600L), "CLIENT_NOT_ALLOWED");
        String rate = clientInitRow().replace(".INIT.", ".RATE.");
        finding(clientOfServingMaster(client("c1", "10.1.2.3"), rate, unsyncedRv(), 3600L), "RATE_LIMITED");
        String step = clientInitRow().replace(".INIT.", ".STEP.");
        assertEquals(Verdict.SYNCING, clientOfServingMaster(client("c1", "10.1.2.3"), step, unsyncedRv(), 3600L).verdict());
    }

    @Test
    void clientStratumIsCheckedAgainstItsMastersActualStratum() {
        Host m = Topo.host("m1", dev.ntpdeploy.inventory.Role.MASTER, "127.0.0.1",
                Topo.spec(List.of("192.0.2.1"), false, OptionalInt.empty(), List.of(), "127.0.0.1", 128));
        String masterPeers = HEADER + "*192.0.2.1       .GPS.            1 u   30   64  377   0.3000   0.0100   0.0050\n";
        String masterRv = "associd=0 status=0615 leap_none, sync_ntp, 1 event, clock_sync,\n"
                + "leap=00, stratum=2, refid=192.0.2.1, peer=1, offset=0.01, sys_jitter=0.005";
        String clientPeers = block(L01, "$ ntpq -pn", 0).replace("127.0.0.1       10 u", "192.0.2.1        2 u");
        Host c = client("c1", "127.0.0.3");
        VerifyResult r = TopologyJudge.judge(inventory(m, c), Map.of("m1", reached(obs(masterPeers, masterRv, 3600L)),
                "c1", reached(obs(clientPeers, syncedClientRv(), 3600L))));
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.SYNCED, cv.verdict());
        Finding f = finding(cv, "STRATUM_UNEXPECTED");
        assertTrue(f.message().contains("c1 runs at stratum 11, expected 3 (one below m1 at 2)"), f.message());
    }
    @Test
    void anOffsetNoDoubleHoldsIsJudgedNotThrown() {
        // 400 digits read as Infinity: printing it for the finding threw NumberFormatException (the judge fuzzer's
        // shape), which stopped the judgement of every host
        Host c = client("c1", "127.0.0.3");
        String peers = HEADER + "*127.0.0.1       127.0.0.1       10 u   20   64  377   0.0370   " + "9".repeat(400)
                + "   0.0074\n";
        VerifyResult r = TopologyJudge.judge(inventory(orphanMaster(), c), Map.of(
                "c1", reached(obs(peers, syncedClientRv(), 3600L))));
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.UNSYNCED, cv.verdict(), cv.toString());
        assertTrue(finding(cv, "OFFSET_PANIC").message().contains("Infinity ms off 127.0.0.1"), cv.toString());
    }

    @Test
    void aHostTheJudgeCannotHandleIsItsUnparseableOutputAndTheOthersAreJudged() {
        // a row no parser makes (no remote): judging it throws, as any rule that misses a shape would
        Host c = client("c1", "127.0.0.3");
        Host c2 = client("c2", "127.0.0.4");
        HostObservation good = obs(block(L01, "$ ntpq -pn", 0), syncedClientRv(), 60L);
        HostObservation odd = new HostObservation(new NtpqPeers.Table(List.of(new dev.ntpdeploy.facts.Peer('*', null,
                "127.0.0.1", 10, 'u', 20, 64, 0377, 0.037, 0.0116, 0.0074, false))), good.systemVars(), List.of(60L),
                false, List.of("ntpd"), Optional.empty(), true, List.of(), true);
        VerifyResult r = TopologyJudge.judge(inventory(orphanMaster(), c, c2), Map.of(
                "c1", reached(odd), "c2", reached(good)));
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Status.UNKNOWN, cv.status(), cv.toString());
        assertEquals(Verdict.UNKNOWN, cv.verdict(), cv.toString());
        Finding f = finding(cv, "UNPARSEABLE_OUTPUT");
        assertTrue(f.message().startsWith("cannot read ntpq's output on c1 (NullPointerException"), f.message());
        assertTrue(f.evidence().get(0).startsWith("*null            127.0.0.1       10 u"), f.evidence().toString());
        assertEquals(Verdict.SYNCED, verdictOf(r, "c2").verdict(), "the other client is judged as usual");
    }
}

package dev.ntpdeploy.verify;

import static dev.ntpdeploy.facts.Samples.block;
import static dev.ntpdeploy.verify.TopologyJudgeTest.L01;
import static dev.ntpdeploy.verify.TopologyJudgeTest.L02;
import static dev.ntpdeploy.verify.TopologyJudgeTest.L05;
import static dev.ntpdeploy.verify.TopologyJudgeTest.L07;
import static dev.ntpdeploy.verify.TopologyJudgeTest.clientInitRow;
import static dev.ntpdeploy.verify.TopologyJudgeTest.orphanMaster;
import static dev.ntpdeploy.verify.TopologyJudgeTest.orphanMasterRv;
import static dev.ntpdeploy.verify.TopologyJudgeTest.synced;
import static dev.ntpdeploy.verify.TopologyJudgeTest.syncedClientRv;
import static dev.ntpdeploy.verify.TopologyJudgeTest.unsyncedRv;
import static dev.ntpdeploy.verify.Topo.HEADER;
import static dev.ntpdeploy.verify.Topo.client;
import static dev.ntpdeploy.verify.Topo.finding;
import static dev.ntpdeploy.verify.Topo.inventory;
import static dev.ntpdeploy.verify.Topo.master;
import static dev.ntpdeploy.verify.Topo.obs;
import static dev.ntpdeploy.verify.Topo.reached;
import static dev.ntpdeploy.verify.Topo.verdictOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Host;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The judge's side of waiting for sync: grace windows while waiting, closed when --sync-timeout runs out. */
class WaitForSyncJudgeTest {

    /** The seed's master (unresolvable upstreams, no local clock) 20 s after its restart, and its client. */
    private static Map<String, HostInput> seedMasterJustRestarted() {
        String masterPeers = HEADER
                + " 0.centos.pool.n .DNS.           16 u    -   16    0   0.0000   0.0000   0.0001\n";
        return Map.of("m1", reached(obs(masterPeers, unsyncedRv(), 20L)),
                "c1", reached(obs(clientInitRow(), unsyncedRv(), 18L)));
    }

    private static Host seedMaster() {
        return master(List.of("0.centos.pool.ntp.org"), false, OptionalInt.empty(), List.of());
    }

    @Test
    void withinTheWindowTheSeedMasterIsStartingAndItsClientWaits() {
        VerifyResult r = TopologyJudge.judge(inventory(seedMaster(), client("c1", "127.0.0.3")), seedMasterJustRestarted());
        assertEquals(Verdict.STARTING, verdictOf(r, "m1").verdict());
        assertEquals(Severity.WARNING, finding(verdictOf(r, "m1"), "MASTER_UPSTREAM_UNREACHABLE").severity());
        finding(verdictOf(r, "c1"), "WAITING_FOR_MASTER");
    }

    @Test
    void whenTheWaitRunsOutPendingHostsAreUnsyncedWithTheRealCauseAndHowLongWeWaited() {
        VerifyResult r = TopologyJudge.judgeAfterWaiting(inventory(seedMaster(), client("c1", "127.0.0.3")),
                seedMasterJustRestarted(), Duration.ofSeconds(30));
        HostVerdict mv = verdictOf(r, "m1");
        assertEquals(Verdict.UNSYNCED, mv.verdict());
        assertEquals(Severity.CRITICAL, finding(mv, "MASTER_UPSTREAM_UNREACHABLE").severity());
        Finding timeout = finding(mv, "SYNC_TIMEOUT");
        assertTrue(timeout.message().contains("m1 was still STARTING after waiting 30 s"), timeout.message());
        assertTrue(mv.findings().stream().noneMatch(f -> f.code().equals("STARTING")), mv.findings().toString());
        HostVerdict cv = verdictOf(r, "c1");
        assertEquals(Verdict.UNSYNCED, cv.verdict());
        assertTrue(finding(cv, "MASTER_NOT_SERVING").message().contains("the master itself is UNSYNCED"));
        assertTrue(finding(cv, "SYNC_TIMEOUT").message().contains("c1 was still SYNCING after waiting 30 s"));
        assertEquals(Status.CRITICAL, r.status());
        assertTrue(r.pending().isEmpty());
    }

    @Test
    void hostsAlreadyInSyncAreJudgedTheSameAfterWaiting() {
        Host m = master(List.of(), true, OptionalInt.empty(), List.of());
        Map<String, HostInput> in = Map.of("m1", reached(obs(block(L07, "$ ntpq -p 127.0.0.1", 0),
                block(L07, "$ ntpq -c rv", 0), 8L)));
        VerifyResult before = TopologyJudge.judge(inventory(orphanMaster()), Map.of(
                "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 3600L))));
        VerifyResult after = TopologyJudge.judgeAfterWaiting(inventory(orphanMaster()), Map.of(
                "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 3600L))), Duration.ofSeconds(5));
        assertEquals(before, after);
        assertEquals(Verdict.STARTING, verdictOf(TopologyJudge.judge(inventory(m), in), "m1").verdict());
    }

    @Test
    void aStaleStarOnAMasterThatJustRestartedIsSyncingNotStale() {
        // L05: the client keeps * on its master while the polls go unanswered (reach 374, last reply 154 s ago);
        // here the master is back and serving, restarted 40 s ago (as apply does when only the master changes)
        Host c = client("c1", "127.0.0.3");
        Map<String, HostInput> in = Map.of(
                "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), 40L)),
                "c1", reached(obs(block(L05, "$ ntpq -p", 0).replace("localhost", "127.0.0.1"),
                        synced(block(L05, "$ ntpq -c rv", 0)), 3600L)));
        HostVerdict cv = verdictOf(TopologyJudge.judge(inventory(orphanMaster(), c), in), "c1");
        assertEquals(Verdict.SYNCING, cv.verdict(), cv.findings().toString());
        assertTrue(finding(cv, "SYNCING").message().contains("m1 restarted 40 s ago"), cv.findings().toString());

        HostVerdict after = verdictOf(TopologyJudge.judgeAfterWaiting(inventory(orphanMaster(), c), in,
                Duration.ofSeconds(60)), "c1");
        assertEquals(Verdict.UNSYNCED, after.verdict());
        finding(after, "PEER_STALE");
        finding(after, "SYNC_TIMEOUT");
    }

    @Test
    void pollsLostWhileTheMasterRestartedAreNotALossyPath() {
        // L01's synced client with two polls lost in its reach register (377 -> 307, adapted), as a client shows
        // right after apply restarted its master
        String lossy = block(L01, "$ ntpq -pn", 0).replace("  377 ", "  307 ");
        Host c = client("c1", "127.0.0.3");
        for (long masterUptime : new long[] {100, 3600}) {
            HostVerdict cv = verdictOf(TopologyJudge.judge(inventory(orphanMaster(), c), Map.of(
                    "m1", reached(obs(block(L02, "$ ntpq -p", 0), orphanMasterRv(), masterUptime)),
                    "c1", reached(obs(lossy, syncedClientRv(), 3600L)))), "c1");
            assertEquals(Verdict.SYNCED, cv.verdict(), cv.findings().toString());
            boolean lossyFinding = cv.findings().stream().anyMatch(f -> f.code().equals("PEER_LOSSY"));
            // 8 polls of 64 s = 512 s: a master up for 100 s explains the losses, one up for an hour does not
            assertEquals(masterUptime > 512, lossyFinding, masterUptime + " s: " + cv.findings());
        }
    }
}

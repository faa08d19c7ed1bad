package dev.ntpdeploy.verify;

import static dev.ntpdeploy.facts.Samples.block;
import static dev.ntpdeploy.facts.Samples.body;
import static dev.ntpdeploy.verify.Topo.finding;
import static dev.ntpdeploy.verify.Topo.inventory;
import static dev.ntpdeploy.verify.Topo.obs;
import static dev.ntpdeploy.verify.Topo.reached;
import static dev.ntpdeploy.verify.Topo.verdictOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Role;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The verdict an operator would give on the public and lab samples not judged elsewhere, each host taken in the
 * role its capture shows. Where a capture has no rv, the judge works from the billboard alone (rv text "").
 */
class PublicSamplesVerdictTest {

    static final String P11 = "P11-classic-4.2.8p4-p6-p8_ntpq-c-rl-pn_PPS-o_IPv6_INIT_ubuntuforums.txt";

    static Host upstreamMaster(String address, List<String> upstream, boolean localClock) {
        return Topo.host("m1", Role.MASTER, address,
                Topo.spec(upstream, localClock, OptionalInt.empty(), List.of(), address, 128));
    }

    static HostVerdict judgeAlone(Host h, String peers, String rv, long uptime) {
        return verdictOf(TopologyJudge.judge(inventory(h), Map.of(h.name(), reached(obs(peers, rv, uptime)))), h.name());
    }

    /** One "ntpq -c rl -pn" capture of P11 split into its rv part and its billboard, judged as client c1. */
    static HostVerdict clientFromRl(Host master, String clientAddress, String marker, int occurrence) {
        Host c = Topo.host("c1", Role.CLIENT, clientAddress,
                Topo.spec(List.of(), false, OptionalInt.empty(), List.of(), "", 128));
        String text = block(P11, marker, occurrence);
        int split = text.indexOf("     remote");
        return verdictOf(TopologyJudge.judge(inventory(master, c), Map.of("c1",
                reached(obs(text.substring(split), text.substring(0, split), 86400L)))), "c1");
    }

    @Test
    void classicMasterOnItsUpstreamWithAnIdleLocalFallbackServes() {
        Host m = upstreamMaster("192.168.0.1", List.of("211.39.136.4", "222.239.76.226"), true);
        HostVerdict v = judgeAlone(m, block("P07-classic_ntpq-p_LOCAL0-fallback_comzil.txt", "]# ntpq -p", 0), "", 86400L);
        assertEquals(Verdict.SERVING, v.verdict());
        assertEquals("211.39.136.4", v.peer());
        assertEquals(3, v.stratum());
        assertTrue(v.findings().isEmpty(), v.findings().toString());
    }

    @Test
    void ppsStratumOneServes() {
        Host m = upstreamMaster("192.168.1.2", List.of("24.56.178.140"), false);
        String text = block(P11, "# ntpq -c rl -pn", 0);
        int split = text.indexOf("     remote");
        HostVerdict v = judgeAlone(m, text.substring(split), text.substring(0, split), 86400L);
        assertEquals(Verdict.SERVING, v.verdict());
        assertEquals("127.127.22.0", v.peer());
        assertEquals(1, v.stratum());
    }

    @Test
    void classicClientSyncedToItsMasterOverALan() {
        Host m = upstreamMaster("192.168.1.2", List.of("127.127.22.0"), false);
        HostVerdict v = clientFromRl(m, "192.168.1.1", "# ntpq -c rl -pn", 1);
        assertEquals(Verdict.SYNCED, v.verdict(), v.findings().toString());
        assertEquals(2, v.stratum());
        assertEquals(2.244, v.offsetMs());
    }

    @Test
    void classicPoolMasterServesFromAPoolServer() {
        Host m = upstreamMaster("10.0.0.1", List.of("0.ubuntu.pool.ntp.org", "ntp.ubuntu.com"), false);
        HostVerdict v = judgeAlone(m, body("P03-classic-4.2.8p10_ubuntu18.04_ntpq-p_pool_backup-hash.txt"), "", 600L);
        assertEquals(Verdict.SERVING, v.verdict());
        assertEquals("ntp2.wiktel.com", v.peer());
    }

    @Test
    void hostWhoseClockIsOffBeyondThePanicThresholdIsCritical() {
        Host m = upstreamMaster("10.0.0.1", List.of("0.freebsd.pool.ntp.org"), false);
        HostVerdict v = judgeAlone(m, body("P05-classic-4.2.8_freebsd12_ntpq-p_pool_huge-offset-truncated.txt"),
                TopologyJudgeTest.unsyncedRv(), 30L);
        // 30 s after its start, but it cannot converge (#13 item 1): no STARTING grace
        assertEquals(Verdict.UNSYNCED, v.verdict(), v.findings().toString());
        assertTrue(v.findings().stream().noneMatch(f -> f.code().equals("STARTING")), v.findings().toString());
        assertTrue(finding(v, "OFFSET_PANIC").message().contains("1589483 ms off vf1.bbnx.net"));
        assertEquals(Status.CRITICAL, v.status());
    }

    @Test
    void classicClientWithOneDeadServerAmongManyIsJudgedOnItsSystemPeer() {
        Host m = upstreamMaster("199.182.221.110", List.of("192.0.2.1"), false);
        // the capture's first rv line (status word) sits on the command line itself; the rest follows
        HostVerdict v = clientFromRl(m, "172.25.1.9", "ntpq -c rl -pnassocid", 0);
        assertEquals(Verdict.SYNCED, v.verdict(), v.findings().toString());
        assertEquals(3, v.stratum());
    }

    @Test
    void ntpsecClientOfAChronyMasterIsSynced() {
        Host m = Topo.host("m1", Role.MASTER, "127.0.0.1",
                Topo.spec(List.of(), false, OptionalInt.of(10), List.of(), "127.0.0.1", 128));
        Host c = Topo.host("c1", Role.CLIENT, "127.0.0.3", Topo.spec(List.of(), false, OptionalInt.empty(), List.of(), "", 128));
        String peers = block("L15-ntpsec-1.2.2_client-of-chrony-master_local-stratum-10.txt", "$ ntpq -p", 1)
                .replace("localhost", "127.0.0.1");
        HostVerdict v = verdictOf(TopologyJudge.judge(inventory(m, c), Map.of("c1",
                reached(obs(peers, TopologyJudgeTest.syncedClientRv(), 120L)))), "c1");
        assertEquals(Verdict.SYNCED, v.verdict(), v.findings().toString());
        assertEquals(037, v.reach());
        assertEquals(0.0026, v.jitterMs());
    }
}

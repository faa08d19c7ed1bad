package dev.ntpdeploy.verify;

import static dev.ntpdeploy.facts.Samples.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * ntpq's columns, tally codes and refids in the words the topology rules use: the adapter is the only place the
 * rules meet them, so each meaning is pinned here on real captures (their sources are in the sample files).
 */
class NtpqReadingTest {

    private static final String L11 = "L11-ntpsec-1.2.2_pool-entry_and_unresolvable-server_DNS.txt";
    private static final String P08 = "P08-classic_ntpq-p_STEP-refid_perfsonar.txt";
    private static final String L09 = "L09-ntpsec-1.2.2_KoD-RATE_from-master.txt";

    private static SyncState read(String peers, String rv) {
        return NtpqReading.of(Topo.obs(peers, rv, 60L));
    }

    @Test
    void poolPrototypeUnresolvedNameAndSelectedSourceOfAnNtpsecClient() {
        // L11, ntpq -pn: the pool row, a server whose name never resolved (cut to 15 characters), the system peer
        SyncState s = read(block(L11, "$ ntpq -pn", 0), "");
        List<Source> sources = s.sources();
        assertEquals(3, sources.size(), sources.toString());
        assertTrue(sources.get(0).poolPrototype());
        assertEquals(Source.Signal.UNRESOLVED, sources.get(1).signal());
        assertTrue(sources.get(1).isAddress("ntp.nonexistent.invalid"), "-p cuts names to 15 characters");
        assertFalse(sources.get(1).isAddress("ntp.other.invalid"), "a cut name matches only names it is the start of");
        Source sys = s.selected().orElseThrow();
        assertEquals("127.0.0.1", sys.address());
        assertTrue(sys.fresh(), "reach 1: the latest poll answered");
        assertEquals(Source.Signal.NONE, sys.signal());
        // without rv the host's stratum is one below its system peer's
        assertEquals(OptionalInt.empty(), s.reportedStratum());
        assertEquals(11, s.stratum());
        assertEquals(Optional.empty(), s.synced());
        assertEquals("", s.system());
        assertEquals(Optional.empty(), s.noSources());
    }

    @Test
    void aClockStepShowsInTheRefidOfClassicNtpq() {
        // P08, classic ntpq -p: a peer with refid .STEP., stratum 16, reach 0; two candidates
        SyncState s = read(block(P08, "$ ntpq -p", 0), "");
        Source step = s.sources().get(2);
        assertEquals(Source.Signal.STEPPED, step.signal());
        assertEquals(0, step.reach());
        assertFalse(step.fresh());
        assertEquals("zg1.ntp.CARNet.", s.selected().orElseThrow().address());
        assertFalse(s.sources().get(1).selected(), "+ is a candidate, not the system peer");
    }

    @Test
    void aStaleSystemPeerIsSelectedButNotFresh() {
        // L09, second billboard: '*' kept while the master rate-limits (ntpsec does not copy RATE into the refid)
        Source sys = read(block(L09, "$ ntpq -p", 1), "").selected().orElseThrow();
        assertTrue(sys.selected());
        assertFalse(sys.fresh(), "reach 300, last reply 101 s ago at poll 8 s");
        assertEquals(Source.Signal.NONE, sys.signal());
        assertEquals(6, sys.missedSinceFirstSuccess(), "reach 300: the six latest polls unanswered");
        assertTrue(sys.evidence().startsWith("*localhost       127.0.0.1       10 u  101    8  300"), sys.evidence());
    }

    @Test
    void theDaemonsOwnWordAndStratumComeFromRv() {
        // P08's peers (system peer at stratum 2) with L03's rv (a client at stratum 11, leap 11 in the lab)
        SyncState unset = read(block(P08, "$ ntpq -p", 0), block(TopologyJudgeTest.L03, "$ ntpq -c rv", 0));
        assertEquals(Optional.of(false), unset.synced(), "leap 11: not synchronised, whatever the billboard shows");
        assertEquals(11, unset.stratum(), "rv's stratum wins over the one implied by the system peer (3)");
        assertEquals("(leap 3, stratum 11, refid 127.0.0.1)", unset.system());
        SyncState synced = read(block(P08, "$ ntpq -p", 0), TopologyJudgeTest.syncedClientRv());
        assertEquals(Optional.of(true), synced.synced());
    }
}

package dev.ntpdeploy.facts;

import static dev.ntpdeploy.facts.Samples.block;
import static dev.ntpdeploy.facts.Samples.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NtpqPeersTest {

    private static List<Peer> rows(String text) {
        return assertInstanceOf(NtpqPeers.Table.class, NtpqPeers.parse(text, 0)).peers();
    }

    private static NtpqFailed failed(String text) {
        return assertInstanceOf(NtpqFailed.class, NtpqPeers.parse(text, 0));
    }

    @Test
    void readsNtpsecClientSyncedToOrphanMaster() {
        List<Peer> peers = rows(block("L01-ntpsec-1.2.2_client-synced-to-orphan-master_ntpq-p.txt", "$ ntpq -pn", 0));
        assertEquals(List.of(new Peer('*', "127.0.0.1", "127.0.0.1", 10, 'u', 8, 64, 0377, 0.0370, 0.0116, 0.0074,
                false)), peers);
        assertTrue(peers.get(0).isSystemPeer());
        assertTrue(peers.get(0).latestAnswered());
        assertEquals(8, peers.get(0).answeredCount());
        assertEquals(0, peers.get(0).missedSinceFirstSuccess());
    }

    @Test
    void refusesToGuessUnitSuffixedValues() {
        NtpqPeers p = NtpqPeers.parse(block("L01-ntpsec-1.2.2_client-synced-to-orphan-master_ntpq-p.txt",
                "$ ntpq -u -p", 0), 0);
        Unparseable u = assertInstanceOf(Unparseable.class, p);
        assertTrue(u.raw().contains("36.980us"));
    }

    @Test
    void orphanMasterHasNoAssociationsInBothSpellings() {
        assertInstanceOf(NtpqPeers.NoAssociations.class, NtpqPeers.parse(
                block("L02-ntpsec-1.2.2_orphan-master_no-associations_and_rv.txt", "$ ntpq -p", 0), 0));
        assertInstanceOf(NtpqPeers.NoAssociations.class, NtpqPeers.parse("No association ID's returned\n", 0));
    }

    @Test
    void wideTerminalLayoutShiftsColumns() {
        List<Peer> peers = rows(block("L04-ntpsec-1.2.2_multihost_and_wide-terminal_layouts.txt", "$ ntpq -W 120", 0));
        assertEquals("localhost", peers.get(0).remote());
        assertEquals("127.0.0.1", peers.get(0).refid());
        assertEquals(20, peers.get(0).whenSeconds());
    }

    @Test
    void multiHostLayoutIsNotGuessed() {
        assertInstanceOf(Unparseable.class, NtpqPeers.parse(
                block("L04-ntpsec-1.2.2_multihost_and_wide-terminal_layouts.txt", "$ ntpq -p 127.0.0.3 127.0.0.1", 0), 0));
    }

    @Test
    void starKeptWhileMasterIsGoneIsOverdue() {
        Peer p = rows(block("L05-ntpsec-1.2.2_client_master-stopped-2min_still-star.txt", "$ ntpq -p", 0)).get(0);
        assertTrue(p.isSystemPeer());
        assertEquals(0374, p.reach());
        assertFalse(p.latestAnswered());
        assertEquals(2, p.missedSinceFirstSuccess());
        assertTrue(p.overdue());
    }

    @Test
    void unreachableServerShowsInit() {
        Peer p = rows(block("L06-ntpsec-1.2.2_client_unreachable-server_INIT_reach0.txt", "$ ntpq -p", 0)).get(0);
        assertEquals(".INIT.", p.refid());
        assertEquals(16, p.stratum());
        assertEquals(0, p.reach());
        assertNull(p.whenSeconds());
        assertEquals(0, p.answeredCount());
    }

    @Test
    void localClockMasterBeforeAndAfterOrphanwait() {
        String f = "L07-ntpsec-1.2.2_localclock-master_LOCAL0_startup-and-synced.txt";
        Peer before = rows(block(f, "$ ntpq -p 127.0.0.1", 0)).get(0);
        assertFalse(before.isSystemPeer());
        assertTrue(before.isLocalClock());
        assertTrue(before.isRefclock());
        assertEquals('l', before.type());
        Peer after = rows(block(f, "$ ntpq -pn 127.0.0.1", 0)).get(0);
        assertTrue(after.isSystemPeer());
        assertEquals("LOCAL(0)", after.remote());
        assertEquals(077, after.reach());
    }

    @Test
    void rateLimitedPeerDecays() {
        String f = "L09-ntpsec-1.2.2_KoD-RATE_from-master.txt";
        Peer first = rows(block(f, "$ ntpq -p", 0)).get(0);
        Peer later = rows(block(f, "$ ntpq -p", 1)).get(0);
        assertEquals(0370, first.reach());
        assertEquals(3, first.missedSinceFirstSuccess());
        assertEquals(0300, later.reach());
        assertEquals(101, later.whenSeconds());
        assertEquals(8, later.pollSeconds());
        assertTrue(later.overdue());
    }

    @Test
    void requestTimedOutMeansNoModeSixReply() {
        String f = "L10-ntpsec-1.2.2_noquery_and_default-restrictions_Request-timed-out.txt";
        assertEquals(NtpqError.NO_REPLY, failed(block(f, "$ ntpq -p 127.0.0.1", 0)).error());
        assertEquals(NtpqError.NO_REPLY, failed(block(f, "--- stderr:", 0)).error());
        assertEquals(NtpqError.NO_REPLY, failed(block("P17-classic_ntpq-errors_timed-out_connection-refused_panic-logs.txt",
                "statseeker", 0)).error());
    }

    @Test
    void poolRowsDnsRowsAndWideWraps() {
        String f = "L11-ntpsec-1.2.2_pool-entry_and_unresolvable-server_DNS.txt";
        List<Peer> narrow = rows(block(f, "$ ntpq -pn", 0));
        assertTrue(narrow.get(0).isPoolPrototype());
        assertEquals(256, narrow.get(0).pollSeconds());
        assertEquals("ntp.nonexistent", narrow.get(1).remote());
        assertEquals(".DNS.", narrow.get(1).refid());
        List<Peer> wide = rows(block(f, "$ ntpq -pw", 0));
        assertEquals(3, wide.size());
        assertEquals("ntp.nonexistent.invalid", wide.get(1).remote());
        assertEquals(".DNS.", wide.get(1).refid());
        assertEquals(8, wide.get(1).pollSeconds());
        assertEquals('*', wide.get(2).tally());
    }

    @Test
    void hugeOffsetsAreFlaggedTruncated() {
        String f = "L12-ntpsec-1.2.2_huge-offsets_plus2000s_minus3600s.txt";
        Peer plus = rows(block(f, "$ ntpq -p 127.0.0.3", 0)).get(0);
        assertEquals(2000000.0, plus.offsetMs());
        assertTrue(plus.offsetTruncated());
        Peer minus = rows(block(f, "$ ntpq -p 127.0.0.3", 1)).get(0);
        assertEquals(-3599999.0, minus.offsetMs());
        assertEquals(5599999.0, minus.jitterMs());
        assertTrue(minus.offsetTruncated());
        Peer classic = rows(body("P05-classic-4.2.8_freebsd12_ntpq-p_pool_huge-offset-truncated.txt")).get(1);
        assertEquals(1589483.0, classic.offsetMs());
        assertTrue(classic.offsetTruncated());
        assertFalse(rows(body("P02-classic-4.2.6p5_centos7.7_ntpq-pn_synced.txt")).get(0).offsetTruncated());
    }

    @Test
    void classifiesNtpsecErrorMessages() {
        String f = "L14-ntpsec-1.2.2_ntpq-error-messages.txt";
        assertEquals(NtpqError.NOT_LISTENING, failed(block(f, "--- stderr:", 0)).error());
        assertEquals(NtpqError.NOT_LISTENING, failed(block(f, "--- stderr:", 1)).error());
        NtpqFailed lookup = failed(block(f, "--- stderr:", 2));
        assertEquals(NtpqError.LOOKUP_FAILED, lookup.error());
        assertTrue(lookup.evidence().contains("ntp.nonexistent.invalid"));
        assertEquals(NtpqError.SERVER_ERROR, failed(block(f, "--- stderr:", 3)).error());
        assertEquals(NtpqError.NO_REPLY, failed(block(f, "chronyd does not answer", 0)).error());
    }

    @Test
    void classifiesClassicErrorsAndMissingNtpq() {
        assertEquals(NtpqError.NOT_LISTENING, failed("ntpq: read: Connection refused\n").error());
        assertEquals(NtpqError.INCOMPLETE, failed("localhost: timed out with incomplete data\n").error());
        assertEquals(NtpqError.NTPQ_MISSING,
                assertInstanceOf(NtpqFailed.class, NtpqPeers.parse("sh: 1: ntpq: not found\n", 127)).error());
        assertEquals(NtpqError.NTPQ_MISSING, failed("bash: ntpq: command not found\n").error());
        assertInstanceOf(Unparseable.class, NtpqPeers.parse("", 0));
    }

    @Test
    void chronyMasterSeenFromNtpsecClient() {
        Peer p = rows(block("L15-ntpsec-1.2.2_client-of-chrony-master_local-stratum-10.txt", "$ ntpq -p", 1)).get(0);
        assertEquals("127.127.1.1", p.refid());
        assertEquals(037, p.reach());
        assertFalse(p.isLocalClock());
    }

    @Test
    void classicJustStartedHasDashWhen() {
        List<Peer> peers = rows(body("P01-classic-4.2.6p5_centos7.7_ntpq-p_just-started.txt"));
        assertEquals(4, peers.size());
        assertNull(peers.get(1).whenSeconds());
        assertEquals("ntp.wdc1.us.lea", peers.get(1).remote());
        assertTrue(peers.stream().noneMatch(Peer::isSystemPeer));
    }

    @Test
    void classicSyncedClient() {
        List<Peer> peers = rows(body("P02-classic-4.2.6p5_centos7.7_ntpq-pn_synced.txt"));
        Peer sys = peers.get(3);
        assertEquals(new Peer('*', "72.5.72.15", "216.218.254.202", 2, 'u', 63, 64, 0377, 22.654, 0.231, 1.964,
                false), sys);
        assertEquals(-0.392, peers.get(0).offsetMs());
    }

    @Test
    void classicPoolRowsBackupsAndParenthesisedNames() {
        List<Peer> peers = rows(body("P03-classic-4.2.8p10_ubuntu18.04_ntpq-p_pool_backup-hash.txt"));
        assertEquals(22, peers.size());
        assertEquals(5, peers.stream().filter(Peer::isPoolPrototype).count());
        assertEquals("45.79.36.123 (t", peers.get(5).remote());
        assertEquals("216.218.254.202", peers.get(5).refid());
        assertEquals("ntp2.wiktel.com", peers.get(7).remote());
        assertEquals('#', peers.get(8).tally());
    }

    @Test
    void classicLocalClockFallbackAndStep() {
        List<Peer> local = rows(block("P07-classic_ntpq-p_LOCAL0-fallback_comzil.txt", "]# ntpq -p", 0));
        assertTrue(local.get(3).isLocalClock());
        assertEquals(1024, local.get(0).pollSeconds());
        assertEquals(0357, local.get(2).reach());
        assertEquals(1, local.get(2).missedSinceFirstSuccess());
        List<Peer> step = rows(block("P08-classic_ntpq-p_STEP-refid_perfsonar.txt", "$ ntpq -p", 0));
        assertEquals(".STEP.", step.get(2).refid());
        assertInstanceOf(Unparseable.class,
                NtpqPeers.parse(block("P08-classic_ntpq-p_STEP-refid_perfsonar.txt", "$ ntpdc -p", 0), 0));
    }

    @Test
    void classicPpsRefclockAndTruncatedIpv6AfterRv() {
        String f = "P11-classic-4.2.8p4-p6-p8_ntpq-c-rl-pn_PPS-o_IPv6_INIT_ubuntuforums.txt";
        List<Peer> pi = rows(block(f, "# ntpq -c rl -pn", 0));
        assertEquals('o', pi.get(0).tally());
        assertTrue(pi.get(0).isSystemPeer());
        assertEquals("127.127.22.0", pi.get(0).remote());
        assertEquals("2001:418:8405:4", pi.get(7).remote());
        assertEquals(0273, pi.get(4).reach());
        List<Peer> ubuntu = rows(block(f, "ntpq -c rl -pnassocid", 0));
        Peer init = ubuntu.get(2);
        assertEquals(".INIT.", init.refid());
        assertEquals(1024, init.pollSeconds());
        assertEquals(1008, ubuntu.get(4).whenSeconds());
    }

    @Test
    void classicNameWithParenthesis() {
        List<Peer> peers = rows(block("P12-classic-4.2.8_rv-unsynced_c018_and_ntpq-p-with-name-paren_ubuntuforums.txt",
                "sudo ntpq -p", 0));
        assertEquals("108.38.172.2 (s", peers.get(1).remote());
        assertEquals(0376, peers.get(3).reach());
        assertEquals(152, peers.get(3).whenSeconds());
    }

    @Test
    void intervalsWithSuffixesAndPlusSigns() {
        assertEquals(4080, NtpqPeers.interval("68m"));
        assertEquals(32400, NtpqPeers.interval("9h"));
        assertEquals(172800, NtpqPeers.interval("2d"));
        Peer p = rows("     remote           refid      st t when poll reach   delay   offset  jitter\n"
                + "==============================================================================\n"
                + "*10.0.0.1        .GPS.            1 u  17m  68m  377    0.417   +1.283   0.058\n").get(0);
        assertEquals(1020, p.whenSeconds());
        assertEquals(4080, p.pollSeconds());
        assertEquals(1.283, p.offsetMs());
    }
}

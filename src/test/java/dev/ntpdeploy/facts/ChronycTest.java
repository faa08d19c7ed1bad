package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * chronyc's CSV reports, read from real captures (src/test/resources/chronyc-samples: chrony 4.3 in the lab and on
 * loopback, each file says how): {@code chronyc -n -c tracking}, {@code -c sources}, {@code -c sourcestats}.
 */
class ChronycTest {

    static final String C01 = "C01-chrony-4.3_master-local-stratum-10_tracking_sources_clients_serverstats.txt";
    static final String C02 = "C02-chrony-4.3_client-synced-to-local-stratum-master.txt";
    static final String C03 = "C03-chrony-4.3_client-just-restarted_not-synchronised.txt";
    static final String C04 = "C04-chrony-4.3_chronyd-stopped_506_and_chronyc-missing.txt";
    static final String C05 = "C05-chrony-4.3_client_master-stopped_star-kept-stale.txt";
    static final String L22 = "L22-chrony-4.3_two-disagreeing-sources_all-falsetickers_unreachable_unresolved.txt";

    /** The capture's output of the {@code occurrence}-th call of {@code command} in {@code file}. */
    static Chronyc.Output out(String file, String command, int occurrence) {
        String marker = "$ " + command + "    #";
        return new Chronyc.Output(Samples.block(file, marker, occurrence), Samples.exitStatus(file, marker, occurrence));
    }

    /** The three calls the probe makes, each its {@code occurrence}-th in the file. */
    static Chronyc parse(String file, int occurrence) {
        return Chronyc.parse(out(file, Chronyc.TRACKING, occurrence), out(file, Chronyc.SOURCES, occurrence),
                sourcestats(file, occurrence));
    }

    private static Chronyc.Output sourcestats(String file, int occurrence) {
        try {
            return out(file, Chronyc.SOURCESTATS, occurrence);
        } catch (IllegalArgumentException none) {
            return new Chronyc.Output("", 0);
        }
    }

    @Test
    void localStratumMasterHasTheLocalReferenceAndNoSource() {
        Chronyc.Report r = assertInstanceOf(Chronyc.Report.class, parse(C01, 0));
        assertEquals("7F7F0101", r.tracking().refid());
        assertEquals("", r.tracking().address());
        assertEquals(10, r.tracking().stratum());
        assertTrue(r.tracking().synced());
        assertTrue(r.tracking().localReference());
        assertEquals(0.0, r.tracking().rootDelayS());
        assertEquals(0.0, r.tracking().rootDispersionS());
        assertTrue(r.sources().isEmpty());
    }

    @Test
    void syncedClientSelectsItsMasterWithItsStatistics() {
        Chronyc.Report r = assertInstanceOf(Chronyc.Report.class, parse(C02, 0));
        assertEquals("0A900001", r.tracking().refid());
        assertEquals("10.144.0.1", r.tracking().address());
        assertEquals(11, r.tracking().stratum());
        assertEquals("Normal", r.tracking().leap());
        assertFalse(r.tracking().localReference());
        // the parts of its error bound (verify.ErrorBound): |0.000008392| + 0.000033465 + 0.000034430 / 2
        assertEquals(0.000008392, r.tracking().systemOffsetS());
        assertEquals(0.000033465, r.tracking().rootDispersionS());
        assertEquals(0.000034430, r.tracking().rootDelayS());
        ChronycSource s = r.sources().get(0);
        assertEquals('^', s.mode());
        assertEquals('*', s.state());
        assertEquals("10.144.0.1", s.address());
        assertEquals(10, s.stratum());
        assertEquals(16, s.pollSeconds());
        assertEquals(077, s.reach());
        assertEquals("77", s.reachOctal());
        assertEquals(8L, s.lastRxS());
        assertEquals(0.000002571, s.offsetS(), 1e-15);
        assertEquals(0.000009167, r.statsOf("10.144.0.1").orElseThrow().stdDevS(), 1e-15);
    }

    @Test
    void freshlyRestartedClientIsNotSynchronised() {
        Chronyc.Report r = assertInstanceOf(Chronyc.Report.class, parse(C03, 0));
        assertFalse(r.tracking().synced());
        assertEquals("00000000", r.tracking().refid());
        assertEquals('?', r.sources().get(0).state());
        assertEquals(1, r.sources().get(0).reach());
    }

    @Test
    void aStoppedMasterLeavesTheStarOnAStaleSource() {
        // the file's third tracking call is the client's 140 s after the stop (the second is the stopped master's)
        Chronyc.Report r = assertInstanceOf(Chronyc.Report.class, Chronyc.parse(out(C05, Chronyc.TRACKING, 2),
                out(C05, Chronyc.SOURCES, 1), new Chronyc.Output("", 0)));
        ChronycSource s = r.sources().get(0);
        assertEquals('*', s.state());
        assertEquals(0200, s.reach());
        assertEquals(146L, s.lastRxS());
    }

    @Test
    void falsetickersUnreachableAndNeverHeardSources() {
        Chronyc.Report r = assertInstanceOf(Chronyc.Report.class, Chronyc.parse(out(L22, "chronyc -h 127.0.0.4 -c tracking", 0),
                out(L22, "chronyc -h 127.0.0.4 -c sources", 0), new Chronyc.Output("", 0)));
        assertEquals(4, r.sources().size());
        assertEquals('x', r.sources().get(0).state());
        assertEquals('?', r.sources().get(1).state());
        assertNull(r.sources().get(1).lastRxS(), "4294967295 is never");
        assertEquals(-5.000051498, r.sources().get(2).offsetS(), 1e-12);
        assertEquals(128, r.sources().get(3).pollSeconds());
        assertFalse(r.tracking().synced());
        assertTrue(r.stats().isEmpty());
    }

    @Test
    void stoppedDaemonIs506AndAMissingChronycIsNamed() {
        ChronycFailed down = assertInstanceOf(ChronycFailed.class, parse(C04, 0));
        assertEquals(ChronycFailed.Cause.NO_DAEMON, down.cause());
        assertEquals("506 Cannot talk to daemon", down.evidence());
        Chronyc.Output missing = out(C04, "sh -c PATH=/nonexistent; chronyc -n -c tracking", 0);
        assertEquals(127, missing.exitCode());
        ChronycFailed m = assertInstanceOf(ChronycFailed.class, Chronyc.parse(missing, missing, missing));
        assertEquals(ChronycFailed.Cause.CHRONYC_MISSING, m.cause());
        assertEquals("sh: 1: chronyc: not found", m.evidence());
    }

    @Test
    void notAuthorisedIsItsOwnCause() {
        Chronyc.Output o = new Chronyc.Output(Samples.block("L21-chrony-4.3_master-local-stratum-10_tracking.txt",
                "$ chronyc -h 127.0.0.6 clients", 0), 1);
        assertEquals(ChronycFailed.Cause.NOT_AUTHORISED,
                assertInstanceOf(ChronycFailed.class, Chronyc.parse(o, o, o)).cause());
    }

    @Test
    void textModeAndOddLinesAreUnparseableWithTheText() {
        String text = Samples.block("L20-chrony-4.3_client-synced_sources_csv_tracking_sourcestats.txt",
                "$ chronyc -h 127.0.0.5 tracking", 0);
        Unparseable u = assertInstanceOf(Unparseable.class, Chronyc.parse(new Chronyc.Output(text, 0),
                new Chronyc.Output("", 0), new Chronyc.Output("", 0)));
        assertEquals(text, u.raw());
        Chronyc.Output tracking = out(C02, Chronyc.TRACKING, 0);
        for (String bad : new String[] {"^,*,10.144.0.1,10,4,77,8,0x1p3,0,0", "^,*,10.144.0.1,10,4,77,8,NaN,0,0",
                "^,*,10.144.0.1,10,4,99,8,0,0,0", "^,!,10.144.0.1,10,4,77,8,0,0,0", "^,*,10.144.0.1,10,4,77,8,0,0"}) {
            assertInstanceOf(Unparseable.class, Chronyc.parse(tracking, new Chronyc.Output(bad, 0),
                    new Chronyc.Output("", 0)), bad);
        }
        assertInstanceOf(Unparseable.class, Chronyc.parse(new Chronyc.Output("", 0), tracking, tracking));
    }
}

package dev.ntpdeploy.facts;

import static dev.ntpdeploy.facts.Samples.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SystemVarsTest {

    private static SystemVars vars(String text) {
        return assertInstanceOf(SystemVars.class, SystemVars.parse(text, 0));
    }

    @Test
    void orphanMasterIsAnOrphanParent() {
        SystemVars v = vars(block("L02-ntpsec-1.2.2_orphan-master_no-associations_and_rv.txt", "$ ntpq -c rv", 0));
        assertEquals(0, v.leap().getAsInt());
        assertEquals(10, v.stratum().getAsInt());
        assertEquals("127.0.0.1", v.refid().orElseThrow());
        assertEquals(0, v.peer().getAsInt());
        assertTrue(v.isOrphanParent());
        assertTrue(v.synced());
        assertTrue(v.isNtpsec());
        SystemVars.Status s = v.status().orElseThrow();
        assertEquals(0x0016, s.word());
        assertEquals("sync_unspec", s.sourceName());
        assertEquals("restart", s.lastEvent());
        assertEquals(1, s.eventCount());
    }

    @Test
    void selectedListRawAndSingleVariableForms() {
        String f = "L03-ntpsec-1.2.2_client-of-orphan-master_rv_as_sysinfo_raw.txt";
        SystemVars list = vars(block(f, "$ ntpq -c \"rv 0 leap,stratum", 0));
        assertTrue(list.status().isEmpty());
        assertEquals(11, list.stratum().getAsInt());
        assertEquals(17767, list.peer().getAsInt());
        assertEquals(0.037, list.rootDelayMs().getAsDouble());
        SystemVars raw = vars(block(f, "$ ntpq -c raw", 0));
        assertEquals(3, raw.leap().getAsInt());
        assertEquals(0xc016, raw.status().orElseThrow().word());
        assertEquals(3, vars(block(f, "$ ntpq -c \"rv 0 leap\"", 0)).leap().getAsInt());
        assertInstanceOf(Unparseable.class, SystemVars.parse(block(f, "$ ntpq -c sysinfo", 0), 0));
    }

    @Test
    void unsyncedClientAndLocalClockMaster() {
        SystemVars client = vars(block("L06-ntpsec-1.2.2_client_unreachable-server_INIT_reach0.txt", "$ ntpq -c rv", 0));
        assertEquals(16, client.stratum().getAsInt());
        assertEquals("INIT", client.refid().orElseThrow());
        assertFalse(client.synced());
        String f = "L07-ntpsec-1.2.2_localclock-master_LOCAL0_startup-and-synced.txt";
        SystemVars selected = vars(block(f, "$ ntpq -c rv", 1));
        assertEquals(11, selected.stratum().getAsInt());
        assertEquals("127.127.1.0", selected.refid().orElseThrow());
        assertEquals("sync_local", selected.status().orElseThrow().sourceName());
        assertEquals(3, selected.status().orElseThrow().leap());
    }

    @Test
    void classicRvWithQuotedCommasAndDates() {
        String f = "P11-classic-4.2.8p4-p6-p8_ntpq-c-rl-pn_PPS-o_IPv6_INIT_ubuntuforums.txt";
        String router = block(f, "# ntpq -c rl -pn", 1);
        SystemVars v = vars(router.substring(0, router.indexOf("     remote")));
        assertEquals("ntpd 4.2.8p8@1.3265-o Tue Jun  7 20:05:56 UTC 2016 (1)", v.version().orElseThrow());
        assertFalse(v.isNtpsec());
        assertEquals(2, v.stratum().getAsInt());
        assertEquals("192.168.1.2", v.refid().orElseThrow());
        assertEquals(2.244189, v.offsetMs().getAsDouble());
        assertEquals(4.434699, v.sysJitterMs().getAsDouble());
        assertEquals("sync_ntp", v.status().orElseThrow().sourceName());
        assertEquals("clock_sync", v.status().orElseThrow().lastEvent());
        assertTrue(v.synced());
    }

    @Test
    void classicUnsynchronisedHost() {
        String text = Samples.body("P12-classic-4.2.8_rv-unsynced_c018_and_ntpq-p-with-name-paren_ubuntuforums.txt");
        SystemVars v = vars(text.substring(0, text.indexOf("\n\n")));
        assertEquals(0xc018, v.status().orElseThrow().word());
        assertEquals("no_sys_peer", v.status().orElseThrow().lastEvent());
        assertEquals(16, v.stratum().getAsInt());
        assertFalse(v.synced());
    }

    @Test
    void errorsAreClassified() {
        assertEquals(NtpqError.SERVER_ERROR, assertInstanceOf(NtpqFailed.class,
                SystemVars.parse("***Server error code UNKNOWNVAR\n", 0)).error());
        assertEquals(NtpqError.NO_REPLY, assertInstanceOf(NtpqFailed.class, SystemVars.parse(
                block("L10-ntpsec-1.2.2_noquery_and_default-restrictions_Request-timed-out.txt", "$ ntpq -c rv", 0), 0))
                .error());
        assertInstanceOf(Unparseable.class, SystemVars.parse("", 0));
    }
}

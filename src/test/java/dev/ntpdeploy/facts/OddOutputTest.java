package dev.ntpdeploy.facts;

import static dev.ntpdeploy.facts.Samples.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Output shapes no host should print but one did, or the fuzzers made (issue 11, defect 3: each threw and stopped
 * the verification of the whole fleet). Each parser gives a value or says the output is unparseable, with the text;
 * the parsers of apply's script outputs say in one line what is wrong. The fuzz findings behind them are replayed from the
 * fuzz tests' inputs directories (docs/fuzzing.md).
 */
class OddOutputTest {

    private static final String ROW = "*10.123.0.1      127.127.1.0     11 u    1   16  377   0.0794   0.0207   0.0200\n";
    private static final String HEADER =
            "     remote           refid      st t when poll reach   delay   offset   jitter\n"
            + "===============================================================================\n";

    @Test
    void billboardHeaderWithoutTheStTColumnsIsUnparseable() {
        // "st  t": the header still matches, but the column arithmetic started at -1 (StringIndexOutOfBounds)
        String text = HEADER.replace(" st t ", " st  t ") + ROW;
        Unparseable u = assertInstanceOf(Unparseable.class, NtpqPeers.parse(text, 0));
        assertTrue(u.reason().startsWith("unexpected ntpq -p header layout: remote"), u.reason());
        assertEquals(text, u.raw());
    }

    @Test
    void billboardHeaderTooNarrowForTheRefidColumnIsUnparseable() {
        // one space between the words: refid's 16 columns would start before the line (StringIndexOutOfBounds)
        String text = "remote refid st t when poll reach delay offset jitter\n=====\n"
                + "*10.1.1.1 X 11 u 1 16 377 0.1 0.1 0.1\n";
        Unparseable u = assertInstanceOf(Unparseable.class, NtpqPeers.parse(text, 0));
        assertTrue(u.reason().startsWith("unexpected ntpq -p header layout"), u.reason());
    }

    @Test
    void billboardIntervalLongerThanNtpqPrintsIsAnUnreadableRow() {
        // ntpq prints at most 4 digits; 11 overflowed Integer.parseInt (NumberFormatException)
        String text = HEADER + ROW.replace("  16  377", " 99999999999  377");
        Unparseable u = assertInstanceOf(Unparseable.class, NtpqPeers.parse(text, 0));
        assertTrue(u.reason().startsWith("unreadable row: *10.123.0.1"), u.reason());
        assertEquals(List.of(16 * 60), assertInstanceOf(NtpqPeers.Table.class,
                NtpqPeers.parse(HEADER + ROW.replace("  16  377", "  16m 377"), 0)).peers().stream()
                .map(Peer::pollSeconds).toList(), "a suffixed interval within 4 digits still reads");
    }

    @Test
    void systemVariableWithALoneQuoteKeepsItsValue() {
        // `version="` (the output cut after the quote): taking the quotes off a 1-character value threw
        SystemVars v = assertInstanceOf(SystemVars.class, SystemVars.parse("leap=00, stratum=2, version=\"\n", 0));
        assertEquals("\"", v.vars().get("version"));
        assertEquals(2, v.stratum().getAsInt());
    }

    @Test
    void systemVariableNamesStartOnlyWhereAWordStarts() {
        // how the name pattern stays linear on a long run of letters and digits (a base64 line): it may only start a
        // name at a word's start, so "x1=2" inside "0x1=2" is not a variable
        SystemVars v = assertInstanceOf(SystemVars.class, SystemVars.parse("stratum=3, 0x1=2\n", 0));
        assertEquals(java.util.Map.of("stratum", "3"), v.vars());
    }

    @Test
    void probeExitStatusOrPidTooLongForANumberIsUnknownNotAnError() {
        String out = "@@ntpdeploy:ntpq@@\nntpq: read: Connection refused\n@@ntpdeploy:ntpq.rc@@\n99999999999\n"
                + "@@ntpdeploy:procs@@\n99999999999999999999 12 ntpd\n  42 7 ntpd\n"
                + "@@ntpdeploy:udp123@@\ntool=ss\nUNCONN 0 0 127.0.0.1:123 0.0.0.0:* "
                + "users:((\"ntpd\",pid=99999999999999999999,fd=16))\n@@ntpdeploy:end@@\n";
        HostObservation o = NtpProbe.parse(out);
        assertEquals(NtpqError.NOT_LISTENING, assertInstanceOf(NtpqFailed.class, o.peers()).error());
        assertEquals(List.of(7L), o.ntpdUptimes(), "the readable ps line counts, the overlong pid is no process");
        assertTrue(o.complete());
    }

    @Test
    void noProbeOutputAtAllIsUnparseableWithEmptyText() {
        // null stdout gave an Unparseable whose raw text was null: the judge's evidence then threw
        Unparseable u = assertInstanceOf(Unparseable.class, NtpProbe.parse(null).peers());
        assertEquals("", u.raw());
    }

    @Test
    void configProbeSaysWhichValueIsNotWhatItShouldBe() {
        IllegalArgumentException pid = assertThrows(IllegalArgumentException.class,
                () -> ConfigProbe.parse("@@ntpdeploy:probe@@\n@@ntpdeploy:ntpd_pid@@\n25773x\n@@ntpdeploy:end@@\n"));
        assertEquals("probe output: ntpd_pid is not a process id: '25773x'", pid.getMessage());
        IllegalArgumentException b64 = assertThrows(IllegalArgumentException.class, () -> ConfigProbe.parse(
                "@@ntpdeploy:probe@@\n@@ntpdeploy:file@@\n/etc/ntp.conf\n644 root root 1796578119\nc2Vy-dmVy\n@@ntpdeploy:end@@\n"));
        assertTrue(b64.getMessage().startsWith("probe output: the content of /etc/ntp.conf is not base64"),
                b64.getMessage());
    }

    @Test
    void restartCheckSaysWhichValueIsNotWhatItShouldBe() {
        IllegalArgumentException rc = assertThrows(IllegalArgumentException.class,
                () -> DaemonStartLog.parse("@@ntpdeploy:restart_rc@@\n1\u0007" + "9".repeat(100) + "\n@@ntpdeploy:end@@\n"));
        // quoted as every message quotes a value: cut, with its length, a control character escaped
        assertEquals("restart check output: restart_rc is not an exit status: '1\\u0007" + "9".repeat(77)
                + "…' (102 characters)", rc.getMessage());
    }

    @Test
    void theCapturedRvStillReadsWithTheLinearNamePattern() {
        String rv = block("L07-ntpsec-1.2.2_localclock-master_LOCAL0_startup-and-synced.txt", "$ ntpq -c rv", 1);
        SystemVars v = assertInstanceOf(SystemVars.class, SystemVars.parse(rv, 0));
        assertTrue(v.vars().size() > 10, v.vars().toString());
        assertTrue(v.version().orElseThrow().startsWith("ntpd ntpsec-1.2.2"), v.vars().toString());
    }
}

package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DaemonStartLogTest {

    /** The log lines of a captured ntpd start, framed as the restart check prints them. */
    static String checkOutput(String logResource, String pid) throws IOException {
        String log;
        try (InputStream in = DaemonStartLogTest.class.getResourceAsStream("/ntpd-log/" + logResource)) {
            log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String lines = log.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n"));
        return "@@ntpdeploy:restart_rc@@\n0\n@@ntpdeploy:pid@@\n" + pid
                + "\n@@ntpdeploy:logfile@@\n/var/log/ntpsec/ntpd.log\n@@ntpdeploy:log@@\n" + lines + "\n@@ntpdeploy:end@@\n";
    }

    @Test
    void syntaxErrorIsAFailedStartEvenThoughNtpdRuns() throws IOException {
        DaemonStartLog s = DaemonStartLog.parse(checkOutput(
                "L16-ntpsec-1.2.2_ntpd-log_config-syntax-error_classic-discard-line.txt", "16844"));
        assertTrue(s.running());
        assertFalse(s.good());
        assertEquals(List.of(
                "2026-11-25T19:53:32 ntpd[16844]: CONFIG: line 10 column 0 syntax error",
                "2026-11-25T19:53:32 ntpd[16844]: CONFIG: syntax error in /srv/lab/m4/ntp.conf line 10, column 0"),
                s.configErrors());
        assertTrue(s.problem().startsWith("ntpd rejected config lines: "), s.problem());
    }

    static String restartCapture(String name) throws IOException {
        try (InputStream in = DaemonStartLogTest.class.getResourceAsStream("/restart/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A lab capture read by its fact, whose arguments are the ones the capture ran with (its "# args:" line). */
    static DaemonStartLog checked(String name, long oldPid) throws IOException {
        return checked(name, "ntpsec", oldPid, "ntpd");
    }

    static DaemonStartLog checked(String name, String service, long oldPid, String program) throws IOException {
        RestartCheck fact = new RestartCheck(service, ServiceManager.SERVICE, java.util.OptionalLong.of(oldPid), program);
        String capture = restartCapture(name);
        assertTrue(capture.contains("\n# args: " + String.join(" ", fact.arguments()) + "\n"), name);
        return fact.process(capture);
    }

    @Test
    void labRestartWithMisspelledKeywordIsCaughtFromTheForkedDaemonsLines() throws IOException {
        DaemonStartLog s = checked("lab-ntpsec-syntax-error.txt", 3551);
        assertTrue(s.running());
        assertEquals(2, s.configErrors().size(), s.configErrors().toString());
        assertTrue(s.configErrors().get(0).endsWith("CONFIG: line 52 column 0 syntax error"), s.configErrors().toString());
        assertEquals(java.util.Optional.of("/var/log/ntpsec/ntpd.log"), s.logFile());
    }

    @Test
    void labCleanStartIsGoodDespiteCapabilityAndRlimitWarnings() throws IOException {
        // the lab's ntpd has no CAP_SYS_TIME: "ntp_adjtime: Operation not permitted" and "setrlimit ... failed"
        DaemonStartLog s = checked("lab-ntpsec-clean-start.txt", 573);
        assertTrue(s.lines().stream().anyMatch(l -> l.contains("Operation not permitted")));
        assertTrue(s.good(), s.problem());
    }

    @Test
    void ignoredKeywordWarningsAreNotErrors() {
        DaemonStartLog s = DaemonStartLog.parse("""
                @@ntpdeploy:restart_rc@@
                0
                @@ntpdeploy:pid@@
                77
                @@ntpdeploy:log@@
                2026-11-25T19:53:32 ntpd[77]: CONFIG: restrict nopeer ignored
                2026-11-25T19:53:32 ntpd[77]: CONFIG: restrict default: KOD does nothing without LIMITED.
                2026-11-25T19:53:32 ntpd[77]: IO: Listen normally on 0 lo 127.0.0.1:123
                @@ntpdeploy:end@@
                """);
        assertTrue(s.good(), s.problem());
        assertEquals("", s.problem());
    }

    @Test
    void invalidAddressIsAnError() {
        DaemonStartLog s = DaemonStartLog.parse("@@ntpdeploy:restart_rc@@\n0\n@@ntpdeploy:pid@@\n9\n@@ntpdeploy:log@@\n"
                + "ntpd[9]: CONFIG: attempt to configure invalid address 127.0.0.2\n@@ntpdeploy:end@@\n");
        assertFalse(s.good());
    }

    @Test
    void daemonThatDidNotComeBackReportsTheServiceManagersWords() {
        DaemonStartLog s = DaemonStartLog.parse("""
                @@ntpdeploy:restart_rc@@
                1
                @@ntpdeploy:restart_out@@
                Job for ntpsec.service failed because the control process exited with error code.
                @@ntpdeploy:end@@
                """);
        assertFalse(s.running());
        assertEquals("ntpd did not come back up (restart exit 1): Job for ntpsec.service failed because the control"
                + " process exited with error code.", s.problem());
    }

    @Test
    void daemonThatDiedRightAfterStartIsNotRunning() {
        DaemonStartLog s = DaemonStartLog.parse(
                "@@ntpdeploy:restart_rc@@\n0\n@@ntpdeploy:ntpd_pid@@\n9\n@@ntpdeploy:died@@\n@@ntpdeploy:end@@\n");
        assertFalse(s.running());
    }

    @Test
    void aDaemonThatDiesAtStartIsReportedWithItsOwnReasonNotOnlyTheServiceManagersHint() throws IOException {
        DaemonStartLog s = checked("lab-ntpsec-nts-missing-certificate.txt", 4088);
        assertFalse(s.running());
        String p = s.problem();
        assertTrue(p.startsWith("ntpd did not come back up (restart exit 1): "), p);
        assertTrue(p.contains("NTSs: can't stat certificate (chain) from /etc/ntpsec/nope.pem: No such file or directory"), p);
        assertTrue(p.contains("NTS: troubles during init2.  Bailing."), p);
        assertTrue(p.endsWith("Job for ntpsec.service failed because the control process exited with error code."), p);
        assertFalse(p.contains("Operation not permitted"), "the lab's capability warnings are not the reason: " + p);
    }

    @Test
    void aReportLeftByAnOlderVersionStillNamesItsDaemonsPid() {
        // the check's pid section was called ntpd_pid before it knew chronyd; such a report may wait on a host
        DaemonStartLog s = DaemonStartLog.parse(
                "@@ntpdeploy:restart_rc@@\n0\n@@ntpdeploy:ntpd_pid@@\n9\n@@ntpdeploy:end@@\n");
        assertEquals(java.util.OptionalLong.of(9), s.pid());
        assertEquals("ntpd", s.program());
    }

    @Test
    void chronydsParseErrorIsAConfigErrorAndNtpdsIsNotOneForChronyd() {
        String log = "@@ntpdeploy:log@@\n2026-12-07T03:00:00Z Fatal error : Invalid directive at line 7 in file"
                + " /etc/chrony/chrony.conf\nntpd[9]: CONFIG: line 52 column 0 syntax error\n@@ntpdeploy:end@@\n";
        DaemonStartLog chronyd = DaemonStartLog.parse("@@ntpdeploy:program@@\nchronyd\n" + log);
        assertEquals(List.of("2026-12-07T03:00:00Z Fatal error : Invalid directive at line 7 in file"
                + " /etc/chrony/chrony.conf"), chronyd.configErrors());
        assertTrue(chronyd.problem().startsWith("chronyd did not come back up: "), chronyd.problem());
        DaemonStartLog ntpd = DaemonStartLog.parse(log);
        assertEquals(List.of("ntpd[9]: CONFIG: line 52 column 0 syntax error"), ntpd.configErrors());
    }

    @Test
    void labChronydCleanStartIsGoodAndItsPidIsTheNewMainProcess() throws IOException {
        DaemonStartLog s = checked("lab-chrony-clean-start.txt", "chrony", 2730, "chronyd");
        assertEquals("chronyd", s.program());
        assertEquals(java.util.OptionalLong.of(5312), s.pid());
        assertEquals(java.util.Optional.of("/var/log/chrony/chronyd.log"), s.logFile());
        assertTrue(s.lines().get(0).endsWith("chronyd exiting"), "read from where the old chronyd's log ended: "
                + s.lines());
        assertTrue(s.good(), s.problem());
    }

    @Test
    void labChronydThatCannotStartOnItsConfigIsNotRunningWithChronydsOwnReason() throws IOException {
        DaemonStartLog s = checked("lab-chrony-unknown-user.txt", "chrony", 5312, "chronyd");
        assertFalse(s.running());
        assertEquals("chronyd did not come back up (restart exit 1): 2026-12-07T03:22:01Z Fatal error : Could not get"
                + " user/group ID of ntpdeploy-no-such-user; Job for chrony.service failed because the control process"
                + " exited with error code.", s.problem());
    }
}

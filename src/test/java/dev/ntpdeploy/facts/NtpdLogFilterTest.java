package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.LocalShell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The probe's log filter (remote/ntp-probe.sh, section log), run with the local awk over real log lines: only the
 * running daemon's own lines count (#13 item 4). The lines are those of two captures: the lab's restart of an ntpd
 * whose config has a syntax error (restart/lab-ntpsec-syntax-error.txt, pid 4088 running, 3551 the daemon before
 * it) and an older, classic ntpd's start and panic in syslog (ntpq-samples/P17, pids 89548/89549).
 */
class NtpdLogFilterTest {

    private static final String AWK_START = "| awk -v pid=\"$pid\" -v since=\"$since\" '";

    /** The awk program exactly as the probe holds it. */
    static String program() {
        String script = RemoteScript.file("ntp-probe.sh");
        int start = script.indexOf(AWK_START);
        assertTrue(start >= 0, "ntp-probe.sh no longer filters with: " + AWK_START);
        int from = start + AWK_START.length();
        return script.substring(from, script.indexOf("'\n", from));
    }

    static List<String> filter(String pid, String since, List<String> lines) throws IOException, InterruptedException {
        ExecResult r = LocalShell.run("awk -v pid=\"$PID\" -v since=\"$SINCE\" \"$PROG\"",
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                Map.of("PID", pid, "SINCE", since, "PROG", program()));
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout().lines().toList();
    }

    static List<String> restartLog() throws IOException {
        String capture = Files.readString(Path.of("src/test/resources/restart/lab-ntpsec-syntax-error.txt"));
        return capture.substring(capture.indexOf("@@ntpdeploy:log@@\n") + 18).lines()
                .takeWhile(l -> !l.startsWith("@@ntpdeploy:")).toList();
    }

    static List<String> olderDaemonInSyslog() throws IOException {
        return Files.readAllLines(Path.of(
                        "src/test/resources/ntpq-samples/P17-classic_ntpq-errors_timed-out_connection-refused_panic-logs.txt"))
                .stream().filter(l -> l.startsWith("Aug 6 08:")).toList();
    }

    private static final List<String> CONFIG_ERRORS = List.of(
            "2026-12-07T03:21:43 ntpd[4088]: CONFIG: readconfig: parsing file: /etc/ntpsec/ntp.conf",
            "2026-12-07T03:21:43 ntpd[4088]: CONFIG: line 52 column 0 syntax error",
            "2026-12-07T03:21:43 ntpd[4088]: CONFIG: syntax error in /etc/ntpsec/ntp.conf line 52, column 0",
            "2026-12-07T03:21:43 ntpd[4088]: CONFIG: restrict nopeer ignored");

    @Test
    void anOlderDaemonsStartInAFileReadLaterHidesNothingOfTheRunningDaemon() throws Exception {
        // the journal (or ntpsec's own log) first, then syslog with an older daemon's start and panic: the older
        // start lines used to reset the filter, so the running daemon's syntax error vanished and the older
        // daemon's panic was reported instead
        List<String> lines = Stream.concat(restartLog().stream(), olderDaemonInSyslog().stream()).toList();
        assertEquals(CONFIG_ERRORS, filter("4088", "2026-12-07T03:21:41", lines));
    }

    @Test
    void linesOfAPidFromBeforeTheDaemonStartedAreAnotherDaemons() throws Exception {
        // the same pid, but a daemon started after these lines were written: they are an earlier one's
        assertEquals(List.of(), filter("4088", "2026-12-07T03:30:00", restartLog()));
    }

    @Test
    void withNoDaemonRunningTheLastDaemonsLinesSinceItsStartAreKept() throws Exception {
        // nothing runs (a panic exit): the newest start decides, as before
        assertEquals(List.of("Aug 6 08:33:12 jcf-562-alpha ntpd[89549]: Clock offset exceeds panic threshold."),
                filter("", "", Stream.concat(restartLog().stream(), olderDaemonInSyslog().stream()).toList()));
    }
}

package dev.ntpdeploy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Severity;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code verify --format nagios} against the monitoring-plugins guidelines and check_ntp_peer's own output
 * (captured in the lab: src/test/resources/monitoring/check_ntp_peer-2.3.3.txt).
 */
class VerifyNagiosTest {

    /** "SERVICE STATUS: text|perfdata" (check_ntp_peer writes ':', we write ' -'; both are plugin conventions). */
    private static final Pattern STATUS_LINE =
            Pattern.compile("NTP (OK|WARNING|CRITICAL|UNKNOWN)(?::| -) ([^|]+?) ?(?:\\|(.*))?");
    /** The guidelines' perfdata item: 'label'=value[UOM];[warn];[crit];[min];[max]. */
    private static final Pattern PERF = Pattern.compile(
            "('[^'=]+'|[^'= ]+)=(-?[0-9]+(?:\\.[0-9]+)?|U)(s|ms|us|%|B|KB|MB|TB|c)?((?:;[^; ]*){0,4})");
    private static final Map<String, Integer> EXIT = Map.of("OK", 0, "WARNING", 1, "CRITICAL", 2, "UNKNOWN", 3);
    private static final Function<String, OptionalDouble> LIMIT_128 = h -> OptionalDouble.of(128);

    private record Capture(String command, String firstLine, int exit) {
    }

    private static List<Capture> checkNtpPeer() throws IOException {
        String text;
        try (InputStream in = VerifyNagiosTest.class.getResourceAsStream("/monitoring/check_ntp_peer-2.3.3.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Capture> out = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("$ ")) {
                Matcher exit = Pattern.compile("\\[exit status (\\d+)]").matcher(lines.get(i + 2));
                assertTrue(exit.matches(), lines.get(i + 2));
                out.add(new Capture(lines.get(i), lines.get(i + 1), Integer.parseInt(exit.group(1))));
            }
        }
        assertEquals(4, out.size());
        return out;
    }

    /** label -> the fields after '=' (value+UOM, warn, crit, min, max), checking each item's grammar. */
    private static Map<String, String> perfdata(String line) {
        Matcher m = STATUS_LINE.matcher(line);
        assertTrue(m.matches(), "not a plugin status line: " + line);
        Map<String, String> items = new LinkedHashMap<>();
        if (m.group(3) != null) {
            for (String item : m.group(3).strip().split(" +")) {
                Matcher p = PERF.matcher(item);
                assertTrue(p.matches(), "perfdata item off the guidelines' grammar: '" + item + "' in " + line);
                items.put(p.group(1), p.group(2) + (p.group(3) == null ? "" : p.group(3)) + p.group(4));
            }
        }
        return items;
    }

    private static String statusWord(String line) {
        Matcher m = STATUS_LINE.matcher(line);
        assertTrue(m.matches(), line);
        return m.group(1);
    }

    @Test
    void ourStatusLineHasCheckNtpPeersShape() throws IOException {
        // the grammar is not written for our output alone: check_ntp_peer's real lines pass it with their exit codes
        for (Capture c : checkNtpPeer()) {
            perfdata(c.firstLine());
            assertEquals(c.exit(), EXIT.get(statusWord(c.firstLine())), c.command());
        }
        for (VerifyResult r : List.of(VerifyReportTest.seedCase(), allSynced())) {
            String first = VerifyNagios.render(r, LIMIT_128).lines().findFirst().orElseThrow();
            assertEquals(r.status().name(), statusWord(first));
            assertEquals(dev.ntpdeploy.Exit.of(r.status()).code(), EXIT.get(statusWord(first)));
            assertFalse(perfdata(first).isEmpty(), first);
        }
    }

    @Test
    void offsetPerfdataIsInSecondsWithTheLimitsAsCheckNtpPeerPrintsThem() throws IOException {
        // check_ntp_peer -w 0.064 -c 0.128 on lab21-h2: offset=-0.000001s;0.064000;0.128000;
        String peer = checkNtpPeer().get(1).firstLine();
        String[] theirs = perfdata(peer).get("offset").split(";", -1);
        String[] ours = perfdata(VerifyNagios.statusLine(allSynced(), LIMIT_128)).get("offset_max").split(";", -1);
        assertTrue(theirs[0].endsWith("s") && ours[0].endsWith("s"), String.join(";", ours));
        assertEquals(theirs[1], ours[1], "warn: half of ntp_max_offset_ms 128");
        assertEquals(theirs[2], ours[2], "crit: ntp_max_offset_ms 128");
        assertEquals("0.000045s", ours[0], "the largest |offset| of the fleet (-0.045 ms on c2)");
    }

    @Test
    void firstLineCountsHostsInSyncAndNamesTheTroubledOnesWorstFirst() {
        String line = VerifyNagios.statusLine(VerifyReportTest.seedCase(), LIMIT_128);
        assertTrue(line.startsWith("NTP CRITICAL - 1 of 3 hosts in sync: host8461 MASTER_UPSTREAM_UNREACHABLE,"
                + " host8462 MASTER_NOT_SERVING | "), line);
        Map<String, String> perf = perfdata(line);
        assertEquals("1;;;0;3", perf.get("in_sync"));
        assertEquals("0;;;0;3", perf.get("unknown"));
        assertEquals("16;;;0;16", perf.get("stratum_max"));
        assertEquals("0.000012s;0.064000;0.128000;0", perf.get("offset_max"));
        assertEquals("0.000007s;;;0", perf.get("jitter_max"));

        String ok = VerifyNagios.statusLine(allSynced(), LIMIT_128);
        assertTrue(ok.startsWith("NTP OK - 3 of 3 hosts in sync | in_sync=3;;;0;3 "), ok);
    }

    @Test
    void theOffsetReportedIsTheOneFurthestOutOfItsOwnHostsLimit() {
        // c1 is 10 ms off with a limit of 12 ms; c2 is 45 µs off with the default 128: c1 is the one to graph
        Function<String, OptionalDouble> limits = h -> OptionalDouble.of(h.equals("c1") ? 12 : 128);
        VerifyResult r = new VerifyResult(List.of(
                synced("c1", 10.0), synced("c2", -0.045), synced("c3", 20.0)), Status.OK);
        assertEquals("0.010000s;0.006000;0.012000;0", perfdata(VerifyNagios.statusLine(r, limits)).get("offset_max"));
    }

    @Test
    void aLongListOfTroubledHostsIsCutAndCounted() {
        List<HostVerdict> hosts = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            hosts.add(new HostVerdict("c" + i, Role.CLIENT, Verdict.DAEMON_DOWN, null, null, null, null, null,
                    List.of(new Finding("NTPD_NOT_RUNNING", Severity.CRITICAL, "ntpd is not running", "start it",
                            List.of())), false));
        }
        String line = VerifyNagios.statusLine(new VerifyResult(hosts, Status.CRITICAL), LIMIT_128);
        assertTrue(line.contains(": c1 NTPD_NOT_RUNNING, c2 NTPD_NOT_RUNNING, c3 NTPD_NOT_RUNNING,"
                + " c4 NTPD_NOT_RUNNING, c5 NTPD_NOT_RUNNING, +3 more | "), line);
        assertFalse(perfdata(line).containsKey("offset_max"), "no offset known: no made-up 0");
    }

    @Test
    void theHostTableIsTheLongOutputAfterTheFirstLine() {
        List<String> lines = VerifyNagios.render(VerifyReportTest.seedCase(), LIMIT_128).lines().toList();
        assertTrue(lines.get(0).startsWith("NTP CRITICAL - "), lines.get(0));
        assertTrue(lines.get(1).startsWith("HOST "), lines.get(1));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("status: ")), "the status is line 1, not last");
        assertTrue(lines.stream().skip(1).noneMatch(l -> l.contains("|") && l.contains("=")),
                "no second perfdata block");
    }

    private static VerifyResult allSynced() {
        return new VerifyResult(List.of(
                new HostVerdict("m1", Role.MASTER, Verdict.SERVING, "LOCAL(0)", 11, 0.0, 0.0, 0377, List.of(), false),
                synced("c1", 0.013), synced("c2", -0.045)), Status.OK);
    }

    private static HostVerdict synced(String name, double offsetMs) {
        return new HostVerdict(name, Role.CLIENT, Verdict.SYNCED, "10.0.0.1", 12, offsetMs, 0.005, 0377, List.of(),
                false);
    }
}

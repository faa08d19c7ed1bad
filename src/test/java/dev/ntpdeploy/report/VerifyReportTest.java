package dev.ntpdeploy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Severity;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public class VerifyReportTest {

    public static VerifyResult seedCase() {
        Finding upstream = new Finding("MASTER_UPSTREAM_UNREACHABLE", Severity.CRITICAL,
                "master cannot reach its upstream servers (DNS): 0.centos.pool.n .DNS. st 16 reach 0",
                "repair the upstream path or set `ntp_upstream: []` (isolated: serve the local clock)",
                List.of(" 0.centos.pool.n .DNS.           16 u    -   64    0"));
        Finding notServing = new Finding("MASTER_NOT_SERVING", Severity.CRITICAL,
                "no usable replies from host8461: the master itself is UNSYNCED", "fix host8461 first (see its findings)",
                List.of());
        return new VerifyResult(List.of(
                new HostVerdict("host8461", Role.MASTER, Verdict.UNSYNCED, null, 16, null, null, null, List.of(upstream),
                        false),
                new HostVerdict("host8462", Role.CLIENT, Verdict.UNSYNCED, null, 16, null, null, 0,
                        List.of(notServing), false),
                new HostVerdict("host8463", Role.CLIENT, Verdict.SYNCED, "192.168.84.61", 11, 0.0116, 0.0074, 0377,
                        List.of(), false)),
                Status.CRITICAL);
    }

    @Test
    void textTableHasOneRowPerHostWithFindingsUnderIt() {
        String text = VerifyText.render(seedCase(), true);
        List<String> lines = text.lines().toList();
        assertEquals("HOST      ROLE    VERDICT   PEER           STRATUM  OFFSET     REACH", lines.get(0));
        assertEquals("host8461  master  UNSYNCED  -              16       -          -", lines.get(1));
        assertEquals("    CRITICAL MASTER_UPSTREAM_UNREACHABLE: master cannot reach its upstream servers (DNS):"
                + " 0.centos.pool.n .DNS. st 16 reach 0", lines.get(2));
        assertEquals("      fix: repair the upstream path or set `ntp_upstream: []` (isolated: serve the local clock)",
                lines.get(3));
        assertEquals("      |  0.centos.pool.n .DNS.           16 u    -   64    0", lines.get(4));
        assertEquals("host8462  client  UNSYNCED  -              16       -          0", lines.get(5));
        assertEquals("host8463  client  SYNCED    192.168.84.61  11       +0.012 ms  377", lines.get(8));
        assertEquals("status: CRITICAL - 1 of 3 hosts in sync (2 UNSYNCED)", lines.get(9));
        assertFalse(VerifyText.render(seedCase(), false).contains("|  0.centos"));
    }

    /**
     * Unreadable output (#13 item 3): the verdict reads UNKNOWN in the table, the status line and JSON; the text shows
     * the first evidence lines and says where the rest is, JSON holds every line. The evidence is P03's real 22-line
     * billboard (src/test/resources/ntpq-samples).
     */
    @Test
    void unreadableOutputIsUnknownEverywhereAndJsonKeepsEveryLine() throws Exception {
        List<String> raw = dev.ntpdeploy.facts.Samples.body("P03-classic-4.2.8p10_ubuntu18.04_ntpq-p_pool_backup-hash.txt")
                .lines().toList();
        Finding unreadable = new Finding("UNPARSEABLE_OUTPUT", Severity.WARNING,
                "cannot read ntpq's output on c1 (unreadable row): its state is unknown",
                "run `ntpq -pn` on the host and report the output", raw);
        HostVerdict c1 = new HostVerdict("c1", Role.CLIENT, Verdict.UNKNOWN, null, null, null, null, null,
                List.of(unreadable), true);
        VerifyResult r = new VerifyResult(List.of(c1), c1.status());
        assertEquals(Status.UNKNOWN, r.status());
        String text = VerifyText.render(r, true);
        assertTrue(text.contains("c1    client  UNKNOWN"), text);
        assertTrue(text.endsWith("status: UNKNOWN - 0 of 1 hosts in sync (1 UNKNOWN)\n"), text);
        assertTrue(text.contains("      | (" + (raw.size() - VerifyText.EVIDENCE_LINES)
                + " more lines: --format json has them all)"), text);
        JsonNode host = new ObjectMapper().readTree(VerifyJson.render(r)).get("hosts").get(0);
        assertEquals("UNKNOWN", host.get("verdict").asText());
        JsonNode ev = host.get("findings").get(0).get("evidence");
        assertEquals(raw.size(), ev.size());
        assertEquals(raw.get(raw.size() - 1), ev.get(raw.size() - 1).asText());
    }

    /**
     * DAEMON_DOWN is daemon-neutral (#15): people read which daemon is down (table, Nagios status line), machines
     * read the verdict and the daemon apart (JSON {@code verdict} and {@code daemon}); a host whose daemon is not
     * known (auto, not reached) has a null daemon.
     */
    @Test
    void daemonDownNamesTheDaemonForPeopleAndKeepsItApartInJson() throws Exception {
        Finding down = new Finding("CHRONYD_NOT_RUNNING", Severity.CRITICAL, "chronyd is not running on m1",
                "start it", List.of());
        HostVerdict m1 = new HostVerdict("m1", Role.MASTER, Verdict.DAEMON_DOWN, null, null, null, null, null,
                List.of(down), false).withDaemon(Optional.of(Flavor.CHRONY));
        HostVerdict c1 = new HostVerdict("c1", Role.CLIENT, Verdict.DAEMON_DOWN, null, null, null, null, null,
                List.of(), false).withDaemon(Optional.of(Flavor.NTPSEC));
        HostVerdict c2 = new HostVerdict("c2", Role.CLIENT, Verdict.UNREACHABLE, null, null, null, null, null,
                List.of(), true);
        VerifyResult r = new VerifyResult(List.of(m1, c1, c2), Status.CRITICAL);
        List<String> lines = VerifyText.render(r, false).lines().toList();
        assertTrue(lines.get(1).startsWith("m1    master  DAEMON_DOWN (chronyd)  -"), lines.get(1));
        assertTrue(lines.get(4).startsWith("c1    client  DAEMON_DOWN (ntpd)     -"), lines.get(4));
        assertEquals("status: CRITICAL - 0 of 3 hosts in sync (2 DAEMON_DOWN, 1 UNREACHABLE)",
                lines.get(lines.size() - 1));
        String nagios = VerifyNagios.statusLine(r, h -> java.util.OptionalDouble.empty());
        assertTrue(nagios.contains("m1 CHRONYD_NOT_RUNNING, c1 DAEMON_DOWN (ntpd)"), nagios);
        JsonNode hosts = new ObjectMapper().readTree(VerifyJson.render(r)).get("hosts");
        assertEquals("DAEMON_DOWN", hosts.get(0).get("verdict").asText());
        assertEquals("chrony", hosts.get(0).get("daemon").asText());
        assertEquals("ntpsec", hosts.get(1).get("daemon").asText());
        assertTrue(hosts.get(2).get("daemon").isNull(), hosts.get(2).toString());
    }

    @Test
    void jsonUsesLowerSnakeNamesAndUpperCaseWords() throws Exception {
        JsonNode root = new ObjectMapper().readTree(VerifyJson.render(seedCase()));
        assertEquals("CRITICAL", root.get("status").asText());
        JsonNode master = root.get("hosts").get(0);
        assertEquals("host8461", master.get("host").asText());
        assertEquals("master", master.get("role").asText());
        assertEquals("UNSYNCED", master.get("verdict").asText());
        assertTrue(master.get("peer").isNull());
        assertEquals(16, master.get("stratum").asInt());
        JsonNode f = master.get("findings").get(0);
        assertEquals("MASTER_UPSTREAM_UNREACHABLE", f.get("code").asText());
        assertEquals("CRITICAL", f.get("severity").asText());
        assertTrue(f.get("fix").asText().contains("ntp_upstream: []"));
        JsonNode synced = root.get("hosts").get(2);
        assertEquals(0.0116, synced.get("offset_ms").asDouble());
        assertEquals(0.0074, synced.get("jitter_ms").asDouble());
        assertEquals("377", synced.get("reach").asText());
        assertEquals(0, synced.get("findings").size());
    }
}

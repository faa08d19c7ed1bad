package dev.ntpdeploy.cli;

import static dev.ntpdeploy.cli.ApplyIT.apply;
import static dev.ntpdeploy.cli.ApplyIT.applyVerified;
import static dev.ntpdeploy.cli.ApplyIT.sh;
import static dev.ntpdeploy.cli.VerifyIT.codes;
import static dev.ntpdeploy.cli.VerifyIT.finding;
import static dev.ntpdeploy.cli.VerifyIT.host;
import static dev.ntpdeploy.cli.VerifyIT.json;
import static dev.ntpdeploy.cli.VerifyIT.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ntpdeploy.Exit;
import dev.ntpdeploy.cli.ApplyIT.Run;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import dev.ntpdeploy.lab.LabShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Competing time daemons (issue 15): apply leaves exactly one time daemon running and enabled on each host, and a
 * host switched ntpsec -> chrony -> ntpsec by changing ntp_flavor is a normal apply. lab-h1, the master, runs ntpsec;
 * lab-h2 has ntpsec and chrony installed and runs ntpsec beside the systemd-timesyncd stand-in; lab-h3 has both
 * installed and runs chrony. What is checked on the hosts is read through the lab's own
 * access (its processes by network namespace, the units' enablement), never through ntpdeploy.
 */
@ExtendWith(LabExtension.class)
@LabShape(hosts = 3, dual = {2, 3}, chrony = 3, timesyncd = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CompetingDaemonsIT {

    @TempDir
    Path tmp;

    /** The lab inventory with {@code vars} ("key: value" lines) added to the named hosts. */
    private Path inventory(Lab lab, Map<String, String> vars) throws IOException {
        StringBuilder out = new StringBuilder();
        String host = null;
        for (String line : Files.readString(lab.inventory()).split("\n", -1)) {
            out.append(line).append('\n');
            String t = line.strip();
            if (t.endsWith(":") && vars.containsKey(t.substring(0, t.length() - 1))) {
                host = t.substring(0, t.length() - 1);
            } else if (host != null && t.startsWith("ansible_host:")) {
                String indent = line.substring(0, line.indexOf('a'));
                vars.get(host).lines().forEach(v -> out.append(indent).append(v).append('\n'));
                host = null;
            }
        }
        Path p = Files.createTempFile(tmp, "inventory", ".yml");
        Files.writeString(p, out.toString().stripTrailing() + "\n");
        return p;
    }

    /** The time daemons running in the host's network namespace, by name, each once. */
    private static List<String> daemons(Lab lab, String host) {
        return lab.processes(host).values().stream()
                .filter(c -> List.of("ntpd", "chronyd", "systemd-timesyn").contains(c)).distinct().sorted().toList();
    }

    /** Each time daemon unit installed on the host, with systemctl's is-enabled word. */
    private static Map<String, String> enablement(Lab lab, String host) {
        Map<String, String> m = new TreeMap<>();
        for (String u : List.of("ntpsec", "chrony", "systemd-timesyncd")) {
            String state = lab.exec(host, "systemctl", "is-enabled", u).stdout().strip();
            if (!state.isEmpty()) {
                m.put(u, state);
            }
        }
        return m;
    }

    private String h2(Lab lab) {
        return lab.hosts().get(1);
    }

    private String h3(Lab lab) {
        return lab.hosts().get(2);
    }

    /** lab-h3 managed as ntpsec; lab-h2 left to auto (its timesyncd is stopped under auto too). */
    private Path h3AsNtpsec(Lab lab) throws IOException {
        return inventory(lab, Map.of(h3(lab), "ntp_flavor: ntpsec"));
    }

    @Test
    @Order(1)
    void theLabStartsWithTwoDaemonsOnH2AndChronyOnH3(Lab lab) {
        // what the tests below change: checked so a lab that starts otherwise fails here, not later
        assertEquals(List.of("ntpd", "systemd-timesyn"), daemons(lab, h2(lab)));
        assertEquals(Map.of("ntpsec", "enabled", "chrony", "disabled", "systemd-timesyncd", "enabled"),
                enablement(lab, h2(lab)));
        assertEquals(List.of("chronyd"), daemons(lab, h3(lab)));
        assertEquals(Map.of("ntpsec", "disabled", "chrony", "enabled"), enablement(lab, h3(lab)));
    }

    @Test
    @Order(2)
    void aDryRunShowsTheStopAndDisableLineAndChangesNothing(Lab lab) throws IOException {
        long chronyd = lab.chronydPid(h3(lab)).orElseThrow();
        long timesyncd = lab.timesyncdPid(h2(lab)).orElseThrow();
        Run dry = apply(lab, h3AsNtpsec(lab), lab.knownHosts(), "--dry-run");
        assertEquals(Exit.OK.code(), dry.exit(), dry.out() + dry.err());
        assertTrue(dry.out().contains("\nenable ntpsec; stop and disable chrony (chronyd runs, enabled): once ntpsec runs"
                + " its config, then start ntpsec again to take UDP 123\n"), dry.out());
        assertTrue(dry.line(h3(lab)).contains("would enable ntpsec; stop and disable chrony (chronyd runs, enabled)"),
                dry.line(h3(lab)));
        assertTrue(dry.out().contains("\nstop and disable systemd-timesyncd (systemd-timesyn runs, enabled): once"
                + " ntpsec runs its config\n"), dry.out());
        assertEquals(chronyd, lab.chronydPid(h3(lab)).orElse(-1), "a dry run stops nothing");
        assertEquals(timesyncd, lab.timesyncdPid(h2(lab)).orElse(-1), "a dry run stops nothing");
        assertEquals(List.of("chronyd"), daemons(lab, h3(lab)));
        assertEquals(Map.of("ntpsec", "disabled", "chrony", "enabled"), enablement(lab, h3(lab)));
        assertEquals("enabled", enablement(lab, h2(lab)).get("systemd-timesyncd"));
    }

    @Test
    @Order(3)
    void applyLeavesExactlyOneDaemonRunningAndEnabledOnEachHostAndTheFleetInSync(Lab lab) throws IOException {
        Path inv = h3AsNtpsec(lab);
        Run r = applyVerified(lab, inv, lab.knownHosts());
        assertEquals(Exit.OK.code(), r.exit(), r.out() + r.err());
        assertTrue(r.line(h3(lab)).contains("enabled ntpsec; stopped and disabled chrony; started ntpsec again (UDP 123"
                + " free)"), r.line(h3(lab)));
        assertTrue(r.line(h2(lab)).contains("stopped and disabled systemd-timesyncd"), r.line(h2(lab)));
        for (String h : lab.hosts()) {
            assertEquals(List.of("ntpd"), daemons(lab, h), h);
        }
        assertEquals(Map.of("ntpsec", "enabled", "chrony", "disabled"), enablement(lab, h3(lab)));
        assertEquals(Map.of("ntpsec", "enabled", "chrony", "disabled", "systemd-timesyncd", "disabled"),
                enablement(lab, h2(lab)));
        JsonNode v = json(verify(lab, inv, "--wait", "--sync-timeout=120s"));
        assertEquals("SYNCED", host(v, h3(lab)).get("verdict").asText(), v.toPrettyString());
        assertEquals("SYNCED", host(v, h2(lab)).get("verdict").asText(), v.toPrettyString());
        assertFalse(codes(host(v, h2(lab))).contains("TIMESYNCD_RUNNING"), v.toPrettyString());

        Run again = apply(lab, inv, lab.knownHosts());
        assertEquals(Exit.OK.code(), again.exit(), again.out() + again.err());
        for (String h : lab.hosts()) {
            assertEquals("ok: " + h + " (no change)", again.line(h), "a second apply has nothing left to stop");
        }
    }

    @Test
    @Order(4)
    void ntpDisableCompetitorsFalseLeavesTimesyncdRunningAndVerifyReportsIt(Lab lab) throws IOException {
        sh(lab, h2(lab), "systemctl enable --now systemd-timesyncd");
        try {
            Path inv = inventory(lab, Map.of(h2(lab), "ntp_disable_competitors: false", h3(lab), "ntp_flavor: ntpsec"));
            Run r = apply(lab, inv, lab.knownHosts());
            assertEquals(Exit.OK.code(), r.exit(), r.out() + r.err());
            assertEquals("ok: " + h2(lab) + " (no change)", r.line(h2(lab)));
            assertEquals(List.of("ntpd", "systemd-timesyn"), daemons(lab, h2(lab)));
            JsonNode v = json(verify(lab, inv));
            JsonNode f = finding(host(v, h2(lab)), "TIMESYNCD_RUNNING");
            assertTrue(f.toString().contains("ntp_disable_competitors is false"), f.toString());
            // with the default the fix says apply does it
            JsonNode byApply = finding(host(json(verify(lab, h3AsNtpsec(lab))), h2(lab)), "TIMESYNCD_RUNNING");
            assertTrue(byApply.toString().contains("`ntpdeploy apply` stops and disables it"), byApply.toString());
        } finally {
            sh(lab, h2(lab), "systemctl disable --now systemd-timesyncd");
        }
    }

    @Test
    @Order(5)
    void aHostSwitchedNtpsecToChronyAndBackByApplyEndsEachTimeWithOneDaemonRunningAndEnabled(Lab lab)
            throws IOException {
        String h = h3(lab);
        assertEquals(List.of("ntpd"), daemons(lab, h), "test 3 left it on ntpsec");
        long ntpd = lab.ntpdPid(h).orElseThrow();
        Path toChrony = inventory(lab, Map.of(h, "ntp_flavor: chrony"));
        Run dry = apply(lab, toChrony, lab.knownHosts(), "--dry-run");
        assertEquals(Exit.OK.code(), dry.exit(), dry.out() + dry.err());
        assertTrue(dry.out().contains("\nenable chrony; stop and disable ntpsec (ntpd runs, enabled): once chrony runs its config,"
                + " then start chrony again to take UDP 123\n"), dry.out());
        assertEquals(ntpd, lab.ntpdPid(h).orElse(-1), "a dry run stops nothing");
        assertEquals(Map.of("ntpsec", "enabled", "chrony", "disabled"), enablement(lab, h));

        Run r = applyVerified(lab, toChrony, lab.knownHosts());
        assertEquals(Exit.OK.code(), r.exit(), r.out() + r.err());
        assertTrue(r.line(h).contains("enabled chrony; stopped and disabled ntpsec; started chrony again (UDP 123 free)"), r.line(h));
        assertEquals(List.of("chronyd"), daemons(lab, h));
        assertEquals(Map.of("ntpsec", "disabled", "chrony", "enabled"), enablement(lab, h));
        JsonNode v = json(verify(lab, toChrony, "--wait", "--sync-timeout=120s"));
        assertEquals("SYNCED", host(v, h).get("verdict").asText(), v.toPrettyString());

        Run back = applyVerified(lab, h3AsNtpsec(lab), lab.knownHosts());
        assertEquals(Exit.OK.code(), back.exit(), back.out() + back.err());
        assertTrue(back.line(h).contains("enabled ntpsec; stopped and disabled chrony; started ntpsec again (UDP 123 free)"),
                back.line(h));
        assertEquals(List.of("ntpd"), daemons(lab, h));
        assertEquals(Map.of("ntpsec", "enabled", "chrony", "disabled"), enablement(lab, h));
        JsonNode w = json(verify(lab, h3AsNtpsec(lab), "--wait", "--sync-timeout=120s"));
        assertEquals("SYNCED", host(w, h).get("verdict").asText(), w.toPrettyString());
    }

    @Test
    @Order(99)
    void theLabIsPutBack(Lab lab) {
        // as the lab brought them up, for the classes that share this shape
        sh(lab, h3(lab), "systemctl disable --now ntpsec && systemctl enable --now chrony");
        sh(lab, h2(lab), "systemctl enable --now systemd-timesyncd");
        assertEquals(List.of("chronyd"), daemons(lab, h3(lab)));
        assertEquals(List.of("ntpd", "systemd-timesyn"), daemons(lab, h2(lab)));
    }
}

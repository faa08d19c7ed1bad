package dev.ntpdeploy.cli;

import static dev.ntpdeploy.cli.ApplyIT.applyVerified;
import static dev.ntpdeploy.cli.ApplyIT.ntpdeploy;
import static dev.ntpdeploy.cli.ApplyIT.sh;
import static dev.ntpdeploy.cli.VerifyIT.host;
import static dev.ntpdeploy.cli.VerifyIT.json;
import static dev.ntpdeploy.cli.VerifyIT.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply for chrony hosts (issue 15), on real chronyd (chrony 4.3, {@code -x}) in the lab: lab-h1..h3 run chrony,
 * lab-h4 ntpsec. Each test writes the inventory of its topology (which host is the master, each host's declared
 * ntp_flavor) over the lab's hosts, and checks what an operator would: the file on the host, chronyd's pid, verify's
 * verdicts and strata. Waits are apply's and verify's own, never sleeps.
 */
@ExtendWith(LabExtension.class)
@LabShape(hosts = 4, chrony = {1, 2, 3})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChronyApplyIT {

    private static final String CHRONY_CONF = "/etc/chrony/chrony.conf";

    @TempDir
    Path tmp;

    /**
     * An inventory of the lab's hosts: {@code master} and {@code clients} with their declared flavors (host ->
     * "chrony"/"ntpsec"), the lab's poll and allow settings, and {@code extra} (YAML lines) on the last client.
     */
    private Path inventory(Lab lab, String master, Map<String, String> clients, String extra) throws IOException {
        Map<String, String> flavors = new LinkedHashMap<>();
        flavors.put(master, flavorOf(lab, master));
        clients.forEach(flavors::put);
        StringBuilder y = new StringBuilder("""
                all:
                  vars:
                    ansible_user: root
                    ansible_ssh_private_key_file: %s
                    ntp_minpoll: 4
                    ntp_maxpoll: 4
                    ntp_allow: [%s]
                  children:
                    masters:
                      hosts:
                        %s:
                          ansible_host: %s
                          ntp_flavor: %s
                          ntp_upstream: []
                          ntp_orphan_wait: 1
                    clients:
                      hosts:
                """.formatted(lab.clientKey(), lab.subnet(), master, lab.address(master), flavors.get(master)));
        String last = List.copyOf(clients.keySet()).get(clients.size() - 1);
        for (Map.Entry<String, String> c : clients.entrySet()) {
            y.append("        ").append(c.getKey()).append(":\n");
            y.append("          ansible_host: ").append(lab.address(c.getKey())).append('\n');
            y.append("          ntp_flavor: ").append(c.getValue()).append('\n');
            if (c.getKey().equals(last)) {
                extra.lines().forEach(l -> y.append("          ").append(l).append('\n'));
            }
        }
        Path p = Files.createTempFile(tmp, "inventory", ".yml");
        Files.writeString(p, y.toString());
        return p;
    }

    /** Client -> flavor, in the order given (the last one gets the extra lines). */
    private static Map<String, String> ordered(String c1, String f1, String c2, String f2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(c1, f1);
        m.put(c2, f2);
        return m;
    }

    private static String flavorOf(Lab lab, String host) {
        return lab.chronyHosts().contains(host) ? "chrony" : "ntpsec";
    }

    private static Run apply(Lab lab, Path inventory, String... more) {
        return ApplyIT.apply(lab, inventory, lab.knownHosts(), more);
    }

    private static JsonNode verified(Lab lab, Path inventory) {
        Run r = verify(lab, inventory, "--wait", "--sync-timeout=120s");
        JsonNode v = json(r);
        assertEquals("OK", v.get("status").asText(), v.toPrettyString() + r.err());
        return v;
    }

    private static long chronyd(Lab lab, String host) {
        OptionalLong pid = lab.chronydPid(host);
        assertTrue(pid.isPresent(), host + ": chronyd does not run\n" + lab.stateReport(20));
        return pid.getAsLong();
    }

    private String h(Lab lab, int i) {
        return lab.hosts().get(i - 1);
    }

    /** The all-chrony fleet: lab-h1 the master, lab-h2 and lab-h3 its clients. */
    private Path allChrony(Lab lab, String extra) throws IOException {
        return inventory(lab, h(lab, 1), ordered(h(lab, 2), "chrony", h(lab, 3), "chrony"), extra);
    }

    @Test
    @Order(1)
    void anAllChronyFleetAppliedEndToEndServesAndSyncsAndASecondApplyChangesNothing(Lab lab) throws IOException {
        Path inv = allChrony(lab, "");
        for (String h : List.of(h(lab, 1), h(lab, 2), h(lab, 3))) {
            sh(lab, h, "echo '# changed by ChronyApplyIT' >> " + CHRONY_CONF);   // as a drifted host
        }
        Run first = applyVerified(lab, inv, lab.knownHosts());
        assertEquals(Exit.OK.code(), first.exit(), "applied and verified in sync: " + first.out() + first.err());
        for (String h : List.of(h(lab, 1), h(lab, 2), h(lab, 3))) {
            assertTrue(first.line(h).startsWith("changed: " + h + " (uploaded " + CHRONY_CONF), first.line(h));
            assertTrue(first.line(h).contains("restarted chrony"), first.line(h));
            assertEquals(rendered(lab, inv, h), lab.fileContent(h, CHRONY_CONF), h);
        }
        JsonNode v = verified(lab, inv);
        String all = v.toPrettyString();
        JsonNode master = host(v, h(lab, 1));
        assertEquals("SERVING", master.get("verdict").asText(), all);
        assertEquals(10, master.get("stratum").asInt(), "`local stratum 10` serves at 10: " + all);
        for (String c : List.of(h(lab, 2), h(lab, 3))) {
            assertEquals("SYNCED", host(v, c).get("verdict").asText(), all);
            assertEquals(11, host(v, c).get("stratum").asInt(), all);
            assertEquals(lab.address(h(lab, 1)), host(v, c).get("peer").asText(), all);
        }

        Map<String, Long> before = new LinkedHashMap<>();
        for (String h : List.of(h(lab, 1), h(lab, 2), h(lab, 3))) {
            before.put(h, chronyd(lab, h));
        }
        Run second = apply(lab, inv);
        assertEquals(Exit.OK.code(), second.exit(), second.out() + second.err());
        for (String h : before.keySet()) {
            assertEquals("ok: " + h + " (no change)", second.line(h));
            assertEquals(before.get(h), chronyd(lab, h), h + ": chronyd was not restarted");
        }
    }

    @Test
    @Order(2)
    void aConfigChronydRejectsIsRefusedBeforeInstallAndTheOldFileStays(Lab lab) throws IOException {
        String c = h(lab, 3);
        Path good = allChrony(lab, "");
        assertEquals(Exit.OK.code(), apply(lab, good).exit());
        String old = lab.fileContent(c, CHRONY_CONF);
        long pid = chronyd(lab, c);
        Path bad = allChrony(lab, "ntp_extra: ['frobnicate 7']");
        Run r = apply(lab, bad, "--limit", c);
        assertEquals(Exit.HOSTS_FAILED.code(), r.exit(), r.out() + r.err());
        String line = r.line(c);
        assertTrue(line.startsWith("failed: " + c + " (chronyd rejected the new config, so it was not installed"), line);
        // chronyd's own words, naming the line in the file the operator knows (not the upload's temp file)
        int lineNo = rendered(lab, bad, c).lines().toList().indexOf("frobnicate 7") + 1;
        assertTrue(line.contains("Invalid directive at line " + lineNo + " in file " + CHRONY_CONF), line);
        assertEquals(old, lab.fileContent(c, CHRONY_CONF), "the old config, byte for byte");
        assertEquals(pid, chronyd(lab, c), "chronyd was not touched");
        assertEquals("", lab.exec(c, "sh", "-c", "ls -a /etc/chrony | grep '^\\.ntpdeploy' || true").stdout(),
                "no temp file left");
    }

    @Test
    @Order(3)
    void aConfigChronydCannotStartOnIsRolledBackAndChronydRunsTheOldOne(Lab lab) throws IOException {
        String c = h(lab, 3);
        assertEquals(Exit.OK.code(), apply(lab, allChrony(lab, "")).exit());
        String old = lab.fileContent(c, CHRONY_CONF);
        // a line chronyd -p accepts (it only parses) but a starting chronyd dies on
        Run r = apply(lab, allChrony(lab, "ntp_extra: ['user ntpdeploy-no-such-user']"), "--limit", c);
        assertEquals(Exit.HOSTS_FAILED.code(), r.exit(), r.out() + r.err());
        String line = r.line(c);
        assertTrue(line.startsWith("failed: " + c + " (chronyd did not come back up"), line);
        assertTrue(line.contains("Could not get user/group ID of ntpdeploy-no-such-user"), line);
        assertTrue(line.contains("previous config restored, chronyd running again (pid " + chronyd(lab, c) + ")"), line);
        assertEquals(old, lab.fileContent(c, CHRONY_CONF), "the old config, byte for byte");
        Run again = apply(lab, allChrony(lab, ""), "--limit", c);
        assertEquals("ok: " + c + " (no change)", again.line(c), "chronyd runs the file on disk");
    }

    @Test
    @Order(4)
    void aChronyMasterWithNtpsecAndChronyClientsAppliedIsInSync(Lab lab) throws IOException {
        String m = h(lab, 1);
        Path inv = inventory(lab, m, ordered(h(lab, 2), "chrony", h(lab, 4), "ntpsec"), "");
        Run r = applyVerified(lab, inv, lab.knownHosts());
        assertEquals(Exit.OK.code(), r.exit(), r.out() + r.err());
        JsonNode v = verified(lab, inv);
        String all = v.toPrettyString();
        assertEquals("SERVING", host(v, m).get("verdict").asText(), all);
        for (String c : List.of(h(lab, 2), h(lab, 4))) {
            assertEquals("SYNCED", host(v, c).get("verdict").asText(), all);
            assertEquals(11, host(v, c).get("stratum").asInt(), all);
            assertEquals(lab.address(m), host(v, c).get("peer").asText(), all);
        }
    }

    @Test
    @Order(5)
    void anNtpsecMasterWithChronyClientsAppliedIsInSync(Lab lab) throws IOException {
        String m = h(lab, 4);
        Path inv = inventory(lab, m, ordered(h(lab, 2), "chrony", h(lab, 3), "chrony"), "");
        Run r = applyVerified(lab, inv, lab.knownHosts());
        assertEquals(Exit.OK.code(), r.exit(), r.out() + r.err());
        JsonNode v = verified(lab, inv);
        String all = v.toPrettyString();
        JsonNode master = host(v, m);
        assertEquals("SERVING", master.get("verdict").asText(), all);
        for (String c : List.of(h(lab, 2), h(lab, 3))) {
            assertEquals("SYNCED", host(v, c).get("verdict").asText(), all);
            assertEquals(master.get("stratum").asInt() + 1, host(v, c).get("stratum").asInt(), all);
            assertEquals(lab.address(m), host(v, c).get("peer").asText(), all);
        }
    }

    /** What render writes for {@code host} from {@code inventory}. */
    private String rendered(Lab lab, Path inventory, String host) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "render");
        Run r = ntpdeploy(lab, "render", inventory.toString(), "--host", host, "--out", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        return Files.readString(dir.resolve(host + ".conf"));
    }
}

package dev.ntpdeploy.cli;

import static dev.ntpdeploy.cli.ApplyIT.ntpdeploy;
import static dev.ntpdeploy.cli.ApplyIT.sh;
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
import dev.ntpdeploy.lab.Eventually;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import dev.ntpdeploy.lab.LabShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * chrony verified like ntpd (issue 15), on real chronyd (chrony 4.3, {@code -x}): lab-h1, the master, has ntpsec and
 * chrony installed and runs chrony; lab-h2 runs ntpsec, lab-h3 chrony. Each host's config is what {@code ntpdeploy
 * render} renders for its flavor (chrony hosts get it written here: apply does not manage chrony yet; ntpsec hosts
 * through apply). Waits are verify's own --wait loop, never sleeps.
 */
@ExtendWith(LabExtension.class)
@LabShape(hosts = 3, chrony = {1, 3}, dual = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChronyVerifyIT {

    private static final String CHRONY_CONF = "/etc/chrony/chrony.conf";

    @TempDir
    Path tmp;

    /** The lab inventory with each host's ntp_flavor declared. */
    private Path inventory(Lab lab, Map<String, String> flavors) throws IOException {
        return inventory(lab, flavors, "");
    }

    /** ... and {@code masterVars} (YAML lines "key: value", newline-separated) added to the master. */
    private Path inventory(Lab lab, Map<String, String> flavors, String masterVars) throws IOException {
        StringBuilder out = new StringBuilder();
        String host = null;
        for (String line : Files.readString(lab.inventory()).split("\n", -1)) {
            out.append(line).append('\n');
            String t = line.strip();
            if (t.endsWith(":") && flavors.containsKey(t.substring(0, t.length() - 1))) {
                host = t.substring(0, t.length() - 1);
            } else if (host != null && t.startsWith("ansible_host:")) {
                String indent = line.substring(0, line.indexOf('a'));
                out.append(indent).append("ntp_flavor: ").append(flavors.get(host)).append('\n');
                if (host.equals(lab.master())) {
                    masterVars.lines().forEach(v -> out.append(indent).append(v).append('\n'));
                }
                host = null;
            }
        }
        Path p = tmp.resolve("inventory-" + String.join("-", flavors.values()) + masterVars.hashCode() + ".yml");
        Files.writeString(p, out.toString().stripTrailing() + "\n");
        return p;
    }

    /** Writes what render gives {@code host} for chrony and restarts chronyd on it. */
    private void renderChrony(Lab lab, Path inventory, String host) throws IOException {
        Path dir = tmp.resolve("render-" + host);
        Run r = ntpdeploy(lab, "render", inventory.toString(), "--host", host, "--out", dir.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        String conf = Files.readString(dir.resolve(host + ".conf"));
        assertTrue(conf.contains("(" + (lab.master().equals(host) ? "master" : "client") + ", chrony)"), conf);
        sh(lab, host, "cat > " + CHRONY_CONF + " <<'NTPDEPLOY_EOF'\n" + conf + "NTPDEPLOY_EOF\n"
                + "chronyd -p -f " + CHRONY_CONF + " >/dev/null && systemctl restart chrony");
    }

    private static JsonNode verified(Lab lab, Path inventory, String... more) {
        String[] args = new String[more.length + 2];
        args[0] = "--wait";
        args[1] = "--sync-timeout=120s";
        System.arraycopy(more, 0, args, 2, more.length);
        Run r = verify(lab, inventory, args);
        JsonNode j = json(r);
        return j;
    }

    @Test
    @Order(1)
    void anAllChronyFleetServesAndSyncsAtTheStrataTheInventoryImplies(Lab lab) throws IOException {
        String m = lab.master();
        String c = lab.hosts().get(2);
        Path inv = inventory(lab, Map.of(m, "chrony", lab.hosts().get(1), "ntpsec", c, "chrony"));
        renderChrony(lab, inv, m);
        renderChrony(lab, inv, c);
        // the chrony part of the fleet: the client and, by --limit's rule, its master
        JsonNode v = verified(lab, inv, "--limit", m + "," + c);
        String all = v.toPrettyString();
        assertEquals("OK", v.get("status").asText(), all);
        JsonNode master = host(v, m);
        assertEquals("SERVING", master.get("verdict").asText(), all);
        assertEquals(10, master.get("stratum").asInt(), "chrony's `local stratum 10` serves at 10: " + all);
        JsonNode client = host(v, c);
        assertEquals("SYNCED", client.get("verdict").asText(), all);
        assertEquals(11, client.get("stratum").asInt(), all);
        assertEquals(lab.address(m), client.get("peer").asText(), all);
        // the chrony master's `clients` list has it: the check from both ends agrees
        assertFalse(VerifyIT.codes(client).contains("UNHEARD_BY_MASTER"), all);
    }

    @Test
    @Order(2)
    void aChronyMasterServesAnNtpsecClientAndAChronyClient(Lab lab) throws IOException {
        String m = lab.master();
        String n = lab.hosts().get(1);
        String c = lab.hosts().get(2);
        Path inv = inventory(lab, Map.of(m, "chrony", n, "ntpsec", c, "chrony"));
        Run applied = ntpdeploy(lab, "apply", inv.toString(), "--known-hosts", lab.knownHosts().toString(),
                "--limit", n, "--no-verify");
        assertTrue(applied.exit() == 0, applied.out() + applied.err());
        JsonNode v = verified(lab, inv);
        String all = v.toPrettyString();
        assertEquals("OK", v.get("status").asText(), all);
        assertEquals("SERVING", host(v, m).get("verdict").asText(), all);
        assertEquals("SYNCED", host(v, n).get("verdict").asText(), all);
        assertEquals(11, host(v, n).get("stratum").asInt(), "ntpsec one below chrony's stratum 10: " + all);
        assertEquals("SYNCED", host(v, c).get("verdict").asText(), all);
        // chronyd logged both, the ntpsec client (from port 123) and the chrony one (a new port per request)
        assertFalse(VerifyIT.codes(host(v, n)).contains("UNHEARD_BY_MASTER"), all);
        assertFalse(VerifyIT.codes(host(v, c)).contains("UNHEARD_BY_MASTER"), all);
    }

    @Test
    @Order(3)
    void aStoppedChronydIsNamedWithChronysFix(Lab lab) throws IOException {
        String m = lab.master();
        String c = lab.hosts().get(2);
        Path inv = inventory(lab, Map.of(m, "chrony", lab.hosts().get(1), "ntpsec", c, "chrony"));
        sh(lab, m, "systemctl stop chrony");
        try {
            Eventually.await("chronyd on " + m + " gone", java.time.Duration.ofSeconds(30))
                    .until(() -> lab.processes(m).values().stream().noneMatch("chronyd"::equals));
            Run r = verify(lab, inv, "--limit", m + "," + c);
            assertEquals(Exit.CRITICAL.code(), r.exit(), r.out() + r.err());
            JsonNode v = json(r);
            JsonNode master = host(v, m);
            assertEquals("NTPD_DOWN", master.get("verdict").asText(), v.toPrettyString());
            JsonNode f = finding(master, "CHRONYD_NOT_RUNNING");
            assertTrue(f.get("fix").asText().contains("systemctl enable --now chrony"), f.toPrettyString());
        } finally {
            sh(lab, m, "systemctl start chrony");
        }
    }

    @Test
    @Order(4)
    void aChronyClientOutsideTheMastersAllowIsToldTheEntryToAdd(Lab lab) throws IOException {
        String m = lab.master();
        String c = lab.hosts().get(2);
        Map<String, String> flavors = Map.of(m, "chrony", lab.hosts().get(1), "ntpsec", c, "chrony");
        Path narrow = inventory(lab, flavors, "ntp_allow: [10.99.0.0/16]\nntp_serve_others: false");
        renderChrony(lab, narrow, m);
        sh(lab, c, "systemctl restart chrony");
        try {
            // the grace windows (first polls of both sides) run out inside --wait
            JsonNode v = verified(lab, narrow, "--limit", m + "," + c);
            JsonNode client = host(v, c);
            assertEquals("UNSYNCED", client.get("verdict").asText(), v.toPrettyString());
            JsonNode f = finding(client, "CLIENT_NOT_ALLOWED");
            // the client's own /24 in this lab's subnet (which LAB_ID chooses)
            String clientNet = lab.address(c).replaceFirst("\\.\\d+$", ".0/24");
            assertTrue(f.get("fix").asText().contains("`" + clientNet + "`"), clientNet + ": " + f.toPrettyString());
        } finally {
            renderChrony(lab, inventory(lab, flavors), m);
            sh(lab, c, "systemctl restart chrony");
        }
        assertEquals("SYNCED", host(verified(lab, inventory(lab, flavors), "--limit", m + "," + c), c)
                .get("verdict").asText());
    }

    @Test
    @Order(5)
    void aChronyClientWhosePacketsAreDroppedGetsNoReplies(Lab lab) throws IOException {
        String m = lab.master();
        String c = lab.hosts().get(2);
        Path inv = inventory(lab, Map.of(m, "chrony", lab.hosts().get(1), "ntpsec", c, "chrony"));
        sh(lab, c, "nft 'add table inet ntpdeploy_it; add chain inet ntpdeploy_it o { type filter hook output"
                + " priority 0; }; add rule inet ntpdeploy_it o udp dport 123 drop' && systemctl restart chrony");
        try {
            JsonNode v = verified(lab, inv, "--limit", m + "," + c);
            JsonNode client = host(v, c);
            assertEquals("UNSYNCED", client.get("verdict").asText(), v.toPrettyString());
            finding(client, "CLIENT_NO_REPLIES");
            // seen from the master's end: its chronyd never received the client's requests
            JsonNode unheard = finding(client, "UNHEARD_BY_MASTER");
            assertTrue(unheard.get("message").asText().contains("has received no NTP request from " + c),
                    unheard.toPrettyString());
        } finally {
            sh(lab, c, "nft delete table inet ntpdeploy_it; systemctl restart chrony");
        }
    }

    @Test
    @Order(6)
    void aChronyMasterWithoutClientLoggingSaysTheCheckWasNotPossibleAndAccusesNoClient(Lab lab) throws IOException {
        String m = lab.master();
        String c = lab.hosts().get(2);
        Map<String, String> flavors = Map.of(m, "chrony", lab.hosts().get(1), "ntpsec", c, "chrony");
        Path noLog = inventory(lab, flavors, "ntp_extra: [noclientlog]");
        renderChrony(lab, noLog, m);
        try {
            JsonNode v = verified(lab, noLog, "--limit", m + "," + c);
            String all = v.toPrettyString();
            assertEquals("OK", v.get("status").asText(), "information only: " + all);
            JsonNode f = finding(host(v, m), "BOTH_ENDS_UNCHECKED");
            assertEquals("INFO", f.get("severity").asText(), all);
            assertTrue(f.get("message").asText().contains("519 Client logging is not active in the daemon"), all);
            assertEquals("SYNCED", host(v, c).get("verdict").asText(), all);
            assertFalse(VerifyIT.codes(host(v, c)).contains("UNHEARD_BY_MASTER"), all);
        } finally {
            renderChrony(lab, inventory(lab, flavors), m);
        }
    }
}

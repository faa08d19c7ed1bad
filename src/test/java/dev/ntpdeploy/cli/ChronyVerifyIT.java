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
import java.time.Duration;
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
        assertEquals("chrony", host(v, m).get("daemon").asText(), "one field per host names its daemon: " + all);
        assertEquals("SYNCED", host(v, n).get("verdict").asText(), all);
        assertEquals("ntpsec", host(v, n).get("daemon").asText(), all);
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
            assertEquals("DAEMON_DOWN", master.get("verdict").asText(), v.toPrettyString());
            JsonNode f = finding(master, "CHRONYD_NOT_RUNNING");
            assertTrue(f.get("fix").asText().contains("systemctl enable --now chrony"), f.toPrettyString());
            // people read which daemon is down; JSON keeps the verdict daemon-neutral and the daemon apart
            Run text = ntpdeploy(lab, "verify", inv.toString(), "--known-hosts", lab.knownHosts().toString(),
                    "--limit", m + "," + c);
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith(m + " ") && l.contains(" DAEMON_DOWN (chronyd) ")),
                    text.out());
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

    /**
     * The seed's master in chrony: upstream names that do not resolve (the lab's DNS resolves nothing beyond it) and
     * no local clock. chronyc lists no source at all (an unresolved name shows only with {@code -a}), so the master
     * is UNSYNCED with MASTER_UPSTREAM_UNREACHABLE (DNS) once its start window is closed (here by --sync-timeout),
     * and its chrony client blames the master, not the network. The finding's fix, {@code ntp_upstream: []} (the
     * lab's own inventory), rendered and written, brings both back.
     */
    @Test
    @Order(7)
    void theSeedsDeadUpstreamNamesOnAChronyMasterAndTheirFix(Lab lab) throws IOException {
        String m = lab.master();
        String c = lab.hosts().get(2);
        Map<String, String> flavors = Map.of(m, "chrony", lab.hosts().get(1), "ntpsec", c, "chrony");
        Path fixed = inventory(lab, flavors);
        Path seed = tmp.resolve("inventory-seed.yml");
        String lines = Files.readString(fixed);
        assertTrue(lines.contains("ntp_upstream: []"), lines);
        Files.writeString(seed, lines.replace("ntp_upstream: []",
                "ntp_upstream: [0.centos.pool.ntp.org, 1.centos.pool.ntp.org]"));
        renderChrony(lab, seed, m);
        try {
            // the client keeps `*` on its master's last good samples until its next polls are refused as unsynchronised
            String masterAddr = lab.address(m);
            Eventually.await(c + " leaving " + m + " unselected", Duration.ofMinutes(3))
                    .evidence(() -> c + ": chronyc -n sources\n" + lab.exec(c, "chronyc", "-n", "sources").stdout())
                    .until(() -> lab.exec(c, "chronyc", "-n", "-c", "sources").stdout().lines()
                            .noneMatch(l -> l.startsWith("^,*," + masterAddr + ",")));
            Run r = verify(lab, seed, "--wait", "--sync-timeout=30s", "--limit", m + "," + c);
            assertEquals(Exit.CRITICAL.code(), r.exit(), r.out() + r.err());
            JsonNode v = json(r);
            String all = v.toPrettyString();
            JsonNode master = host(v, m);
            assertEquals("UNSYNCED", master.get("verdict").asText(), all);
            JsonNode f = finding(master, "MASTER_UPSTREAM_UNREACHABLE");
            assertEquals("CRITICAL", f.get("severity").asText(), all);
            assertTrue(f.get("message").asText().startsWith("master cannot reach its upstream servers (DNS)"), all);
            assertTrue(f.get("fix").asText().contains("`ntp_upstream: []`"), all);
            JsonNode client = host(v, c);
            assertEquals("UNSYNCED", client.get("verdict").asText(), all);
            assertTrue(finding(client, "MASTER_NOT_SERVING").get("message").asText()
                    .contains("the master itself is UNSYNCED"), all);
            assertTrue(VerifyIT.codes(client).stream().noneMatch(x -> x.equals("CLIENT_NO_REPLIES")),
                    "must not blame the network: " + all);
        } finally {
            renderChrony(lab, fixed, m);
        }
        JsonNode v = verified(lab, fixed, "--limit", m + "," + c);
        assertEquals("SERVING", host(v, m).get("verdict").asText(), v.toPrettyString());
        assertEquals("SYNCED", host(v, c).get("verdict").asText(), v.toPrettyString());
    }

    /**
     * A chrony client whose config was edited on the host to poll a host that is not a master (lab-h2, an ntpsec
     * client in sync, which serves time): once chronyd selects it, the client is SYNCED_TO_FOREIGN_PEER naming that
     * host and its stratum, and the hand edit is CONFIG_DRIFT. ntpsec's VerifyIT has the same case.
     */
    @Test
    @Order(8)
    void aChronyClientSyncedToAHostOutsideTheInventoryAndTheHandEditIsDrift(Lab lab) throws IOException {
        String m = lab.master();
        String other = lab.hosts().get(1);
        String c = lab.hosts().get(2);
        String otherAddr = lab.address(other);
        Path inv = inventory(lab, Map.of(m, "chrony", other, "ntpsec", c, "chrony"));
        sh(lab, c, "sed -i 's/^server " + lab.address(m).replace(".", "\\.") + " /server " + otherAddr + " /' "
                + CHRONY_CONF + " && grep -q '^server " + otherAddr + " ' " + CHRONY_CONF
                + " && systemctl restart chrony");
        try {
            Eventually.await(c + " selecting " + other + " (" + otherAddr + ")", Duration.ofMinutes(3))
                    .evidence(() -> c + ": chronyc -n sources\n" + lab.exec(c, "chronyc", "-n", "sources").stdout())
                    .until(() -> lab.exec(c, "chronyc", "-n", "-c", "sources").stdout().lines()
                            .anyMatch(l -> l.startsWith("^,*," + otherAddr + ",")));
            Run r = verify(lab, inv, "--limit", c);
            assertEquals(Exit.CRITICAL.code(), r.exit(), r.out() + r.err());
            JsonNode h = host(json(r), c);
            String all = h.toPrettyString();
            assertEquals("UNSYNCED", h.get("verdict").asText(), all);
            assertEquals(otherAddr, h.get("peer").asText(), all);
            int otherStratum = host(json(verify(lab, inv, "--limit", other)), other).get("stratum").asInt();
            assertTrue(finding(h, "SYNCED_TO_FOREIGN_PEER").get("message").asText().startsWith(c + " is synced to "
                    + otherAddr + " (stratum " + otherStratum + "), which is not one of the inventory masters"), all);
            JsonNode drift = finding(h, "CONFIG_DRIFT");
            assertEquals("WARNING", drift.get("severity").asText(), all);
            assertTrue(drift.get("fix").asText().contains("`ntpdeploy apply --dry-run`"), all);
        } finally {
            renderChrony(lab, inv, c);
        }
    }

    /**
     * Config drift alone: a chrony client's file edited on the host and chronyd not restarted. The client stays
     * SYNCED (it still runs the rendered config) with CONFIG_DRIFT (the file is not the rendered one) and
     * CONFIG_NOT_LOADED (chronyd started before the file changed): WARNING, exit 1.
     */
    @Test
    @Order(9)
    void aChronyConfigEditedOnTheHostIsDriftAndNotLoaded(Lab lab) throws IOException {
        String m = lab.master();
        String c = lab.hosts().get(2);
        Path inv = inventory(lab, Map.of(m, "chrony", lab.hosts().get(1), "ntpsec", c, "chrony"));
        assertEquals("SYNCED", host(verified(lab, inv, "--limit", m + "," + c), c).get("verdict").asText());
        sh(lab, c, "echo '# edited on the host' >> " + CHRONY_CONF);
        try {
            Run r = verify(lab, inv, "--limit", m + "," + c);
            JsonNode h = host(json(r), c);
            String all = h.toPrettyString();
            assertEquals(Exit.WARNING.code(), r.exit(), r.out() + r.err());
            assertEquals("SYNCED", h.get("verdict").asText(), all);
            assertEquals("WARNING", finding(h, "CONFIG_DRIFT").get("severity").asText(), all);
            assertTrue(finding(h, "CONFIG_NOT_LOADED").get("message").asText().contains("after chronyd started"), all);
        } finally {
            renderChrony(lab, inv, c);
        }
    }

    /**
     * The lab's own inventory declares no flavor (auto): verify detects each host's daemon (#15), chrony on lab-h1
     * (ntpsec installed too, chronyd running) and lab-h3 (chrony only), ntpsec on lab-h2, and judges each with its
     * own tool against the config rendered for the detected flavor.
     */
    @Test
    @Order(10)
    void theLabsOwnInventoryHasEachHostsDaemonDetected(Lab lab) {
        JsonNode v = verified(lab, lab.inventory());
        String all = v.toPrettyString();
        assertEquals("chrony", host(v, lab.master()).get("daemon").asText(), all);
        assertEquals("ntpsec", host(v, lab.hosts().get(1)).get("daemon").asText(), all);
        assertEquals("chrony", host(v, lab.hosts().get(2)).get("daemon").asText(), all);
        assertEquals("SERVING", host(v, lab.master()).get("verdict").asText(), all);
        assertEquals("SYNCED", host(v, lab.hosts().get(1)).get("verdict").asText(), all);
        assertEquals("SYNCED", host(v, lab.hosts().get(2)).get("verdict").asText(), all);
        assertEquals("OK", v.get("status").asText(), "each host runs the config rendered for its detected daemon: " + all);
    }
}

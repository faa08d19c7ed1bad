package dev.ntpdeploy.cli;

import static dev.ntpdeploy.cli.ApplyIT.CONF;
import static dev.ntpdeploy.cli.ApplyIT.ntpdeploy;
import static dev.ntpdeploy.cli.ApplyIT.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ntpdeploy.Exit;
import dev.ntpdeploy.cli.ApplyIT.Run;
import dev.ntpdeploy.lab.Eventually;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntpdeploy verify} and apply's verification against the lab (the diagnosis scenarios of docs/verify.md): real ntpd
 * in every host, broken the way operators break it, judged from the shaded jar's JSON. Every test ends with the
 * lab inventory applied and verified in sync, for the next test. Waits are the tool's own --wait loop (or, where
 * the lab has to reach a state first, a condition polled on the host with {@link Eventually}), never fixed sleeps.
 *
 * <p>Offsets beyond the limit or ntpd's panic threshold (scenario 6) cannot be produced honestly here: every lab
 * host shares the machine's kernel clock and none may set it. They are covered by unit tests from the captured
 * sample L12 (TopologyJudgeTest.offsetsBeyondTheLimitAndThePanicThreshold).
 */
@ExtendWith(LabExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** ntp_local_stratum's default: the lab master serves its local clock at this + 1. */
    private static final int LOCAL_STRATUM = 10;
    /** The master's local clock as ntpq names it: by its driver, or by its pseudo-address (see assertEveryHostInSync). */
    private static final Pattern LOCAL_CLOCK = Pattern.compile("LOCAL\\(0\\)|127\\.127\\.1\\.0");
    /** The lab README's NTP block, leaving loopback alone (ntpq on the host talks to its own ntpd over lo). */
    private static final String NFT_DROP_NTP = "add table inet t; add chain inet t o { type filter hook output priority 0; };"
            + " add rule inet t o oifname != \"lo\" udp dport 123 drop";

    @TempDir
    Path tmp;

    // ------------------------------------------------------------------ helpers

    static Run verify(Lab lab, Path inventory, String... more) {
        List<String> args = new ArrayList<>(List.of("verify", inventory.toString(), "--known-hosts",
                lab.knownHosts().toString(), "--json"));
        args.addAll(List.of(more));
        return ntpdeploy(lab, args.toArray(String[]::new));
    }

    static JsonNode json(Run r) {
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON (exit " + r.exit() + "):\n" + r.out() + r.err(), e);
        }
    }

    static JsonNode host(JsonNode verification, String name) {
        for (JsonNode h : verification.get("hosts")) {
            if (h.get("host").asText().equals(name)) {
                return h;
            }
        }
        throw new AssertionError("no host " + name + " in " + verification.toPrettyString());
    }

    static List<String> codes(JsonNode host) {
        List<String> out = new ArrayList<>();
        host.get("findings").forEach(f -> out.add(f.get("code").asText()));
        return out;
    }

    static JsonNode finding(JsonNode host, String code) {
        for (JsonNode f : host.get("findings")) {
            if (f.get("code").asText().equals(code)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + code + " on " + host.toPrettyString());
    }

    /** The lab inventory applied and verified: every host in sync, at the strata the topology expects. */
    static void appliedAndInSync(Lab lab) {
        Run r = ApplyIT.applyVerified(lab, lab.inventory(), lab.knownHosts(), "--json");
        assertEquals(Exit.OK.code(), r.exit(), "the lab inventory must apply and verify in sync:\n" + r.out() + r.err());
        assertEveryHostInSync(lab, json(r).get("verify"));
    }

    static void assertEveryHostInSync(Lab lab, JsonNode verification) {
        String all = verification.toPrettyString();
        // in sync; a warning (e.g. a lossy reach register) is not a failure to sync
        assertTrue(List.of("OK", "WARNING").contains(verification.get("status").asText()), all);
        JsonNode m = host(verification, lab.master());
        assertEquals("SERVING", m.get("verdict").asText(), all);
        // rv can say synchronised a moment before the billboard marks LOCAL(0) with '*'; and NTPsec's ntpq names
        // the clock by its pseudo-address when the association's srchost variable did not come back (seen on a
        // loaded machine: "*127.127.1.0 .LOCL. 10 u"): the same local clock either way
        assertTrue(m.get("peer").isNull() || LOCAL_CLOCK.matcher(m.get("peer").asText()).matches(), all);
        assertEquals(LOCAL_STRATUM + 1, m.get("stratum").asInt(), all);
        for (String c : lab.clients()) {
            JsonNode h = host(verification, c);
            assertEquals("SYNCED", h.get("verdict").asText(), all);
            assertEquals(lab.address(lab.master()), h.get("peer").asText(), all);
            assertEquals(LOCAL_STRATUM + 2, h.get("stratum").asInt(), c + " one below its master: " + all);
            // and the master heard it: the check from both ends agrees
            assertFalse(codes(h).contains("UNHEARD_BY_MASTER"), all);
        }
    }

    /** A copy of the lab inventory with one text replacement (which must take). */
    Path inventoryWith(Lab lab, String name, String from, String to) throws IOException {
        String original = Files.readString(lab.inventory());
        assertTrue(original.contains(from), "lab inventory has no '" + from + "'");
        Path p = tmp.resolve(name);
        Files.writeString(p, original.replace(from, to));
        return p;
    }

    static void restartNtpd(Lab lab, String host) {
        sh(lab, host, "systemctl restart ntpsec");
    }

    // ------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void applyOfTheIsolatedLabInventoryEndsWithEveryHostVerifiedInSync(Lab lab) {
        for (String h : lab.hosts()) {
            sh(lab, h, "echo '# changed by VerifyIT' >> " + CONF); // every daemon restarts, as on a first apply
        }
        appliedAndInSync(lab);

        // the text forms: apply's recap ends with the verified table, verify alone prints the same table
        Run text = ApplyIT.applyVerified(lab, lab.inventory(), lab.knownHosts());
        assertEquals(Exit.OK.code(), text.exit(), text.out() + text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals("status: OK - " + lab.hosts().size() + " of " + lab.hosts().size() + " hosts in sync",
                lines.get(lines.size() - 1), text.out());
        assertTrue(text.out().contains("SYNC (verified after applying)\nHOST"), text.out());
        Run plain = ntpdeploy(lab, "verify", lab.inventory().toString(), "--known-hosts", lab.knownHosts().toString());
        assertEquals(Exit.OK.code(), plain.exit(), plain.out() + plain.err());
        assertTrue(plain.out().lines().anyMatch(l -> l.matches(lab.master() + "\\s+master\\s+SERVING\\s+(" + LOCAL_CLOCK.pattern()
                + ")\\s+" + (LOCAL_STRATUM + 1) + "\\s.*")), plain.out());
    }

    @Test
    @Order(2)
    void seedCaseMasterWithUnresolvableUpstreamsThenTheIsolatedInventorySyncs(Lab lab) throws IOException {
        Path seed = inventoryWith(lab, "seed.yml", "          ntp_upstream: []\n",
                "          ntp_upstream: [0.centos.pool.ntp.org, 1.centos.pool.ntp.org]\n          ntp_local_clock: false\n");
        for (String c : lab.clients()) {
            sh(lab, c, "echo '# changed by VerifyIT' >> " + CONF); // clients restart too: they never synced
        }
        Run r = ApplyIT.applyVerified(lab, seed, lab.knownHosts(), "--json", "--sync-timeout", "20s");
        assertEquals(Exit.NOT_IN_SYNC.code(), r.exit(), r.out() + r.err());
        JsonNode v = json(r).get("verify");
        String all = v.toPrettyString();
        assertEquals("CRITICAL", v.get("status").asText(), all);
        JsonNode m = host(v, lab.master());
        assertEquals("UNSYNCED", m.get("verdict").asText(), all);
        assertEquals(16, m.get("stratum").asInt(), all);
        JsonNode up = finding(m, "MASTER_UPSTREAM_UNREACHABLE");
        assertEquals("CRITICAL", up.get("severity").asText());
        assertTrue(up.get("message").asText().startsWith("master cannot reach its upstream servers (DNS)"), all);
        assertTrue(up.get("fix").asText().contains("`ntp_upstream: []`"), all);
        assertTrue(finding(m, "SYNC_TIMEOUT").get("message").asText().contains("after waiting 2"), all);
        for (String c : lab.clients()) {
            JsonNode h = host(v, c);
            assertEquals("UNSYNCED", h.get("verdict").asText(), all);
            assertTrue(finding(h, "MASTER_NOT_SERVING").get("message").asText()
                    .contains("the master itself is UNSYNCED"), all);
            assertTrue(!codes(h).contains("CLIENT_NO_REPLIES"), "must blame the master, not the network: " + all);
        }

        // the fix the finding names: the isolated inventory makes the same lab verify in sync
        appliedAndInSync(lab);
    }

    @Test
    @Order(3)
    void udpBlockedInsideAClientNamesTheMasterWhileTheMasterServes(Lab lab) {
        String c = lab.clients().get(0);
        try {
            sh(lab, c, "nft '" + NFT_DROP_NTP + "'");
            restartNtpd(lab, c); // no reply has ever arrived: reach 0 from the start
            Run r = verify(lab, lab.inventory(), "--wait", "--limit", lab.master() + "," + c);
            assertEquals(Exit.CRITICAL.code(), r.exit(), r.out() + r.err());
            JsonNode v = json(r);
            String all = v.toPrettyString();
            assertEquals(2, v.get("hosts").size(), "--limit reports only the hosts asked for: " + all);
            assertEquals("SERVING", host(v, lab.master()).get("verdict").asText(), all);
            JsonNode h = host(v, c);
            assertEquals("UNSYNCED", h.get("verdict").asText(), all);
            assertEquals("0", h.get("reach").asText(), all);
            String msg = finding(h, "CLIENT_NO_REPLIES").get("message").asText();
            assertTrue(msg.startsWith("no NTP replies from " + lab.master() + " (" + lab.address(lab.master())
                    + ") although it is serving: UDP/123 blocked"), msg);
            // seen from the master's end (NTPsec's MRU list): the requests never arrived, so they are lost on the way out
            String unheard = finding(h, "UNHEARD_BY_MASTER").get("message").asText();
            assertTrue(unheard.startsWith(lab.master() + " has received no NTP request from " + c + " ("
                    + lab.address(c) + ")") && unheard.contains("lost on the way out"), unheard);
            assertTrue(r.err().contains(c + ": SYNCING"), "progress per host on stderr:\n" + r.err());
        } finally {
            sh(lab, c, "nft delete table inet t || true");
            restartNtpd(lab, c);
        }
        appliedAndInSync(lab);
    }

    @Test
    @Order(4)
    void masterWhoseRestrictLinesMissTheClientNamesTheAllowEntryToAdd(Lab lab) throws IOException {
        String m = lab.master();
        String c = lab.clients().get(1);
        String[] net = lab.subnet().split("\\.");
        String other = net[0] + "." + net[1] + ".0.99";
        String allowed = lab.clients().get(2);
        // a master that serves only its ntp_allow, which lists another client but misses this one
        Path narrow = inventoryWith(lab, "narrow.yml", "          ntp_orphan_wait: 1\n",
                "          ntp_orphan_wait: 1\n          ntp_allow: [" + other + "/32, " + lab.address(allowed) + "/32]\n"
                        + "          ntp_serve_others: false\n");
        // the listed client serves nobody either: its master's replies pass through `restrict source`
        String allowedEntry = "          ansible_host: " + lab.address(allowed) + "\n";
        String text = Files.readString(narrow);
        assertTrue(text.contains(allowedEntry), text);
        Files.writeString(narrow, text.replace(allowedEntry, allowedEntry + "          ntp_serve_others: false\n"));
        Run applied = ApplyIT.apply(lab, narrow, lab.knownHosts());
        assertEquals(Exit.OK.code(), applied.exit(), applied.out() + applied.err());
        String conf = lab.fileContent(m, CONF);
        assertTrue(conf.contains("restrict " + other + " mask 255.255.255.255") && conf.contains("\nrestrict default ignore\n")
                && conf.contains("\nrestrict source nomodify noquery\n"), conf);
        assertTrue(lab.fileContent(allowed, CONF).contains("\nrestrict default ignore\n"), lab.fileContent(allowed, CONF));
        restartNtpd(lab, c); // the client starts over against the refusing master
        Run r = verify(lab, narrow, "--wait", "--limit", m + "," + c + "," + allowed);
        assertEquals(Exit.CRITICAL.code(), r.exit(), r.out() + r.err());
        JsonNode v = json(r);
        String all = v.toPrettyString();
        JsonNode mv = host(v, m);
        assertEquals("SERVING", mv.get("verdict").asText(), all);
        assertFalse(codes(mv).contains("CONFIG_DRIFT"), "the master runs ntpdeploy's own config: " + all);
        JsonNode h = host(v, c);
        assertEquals("UNSYNCED", h.get("verdict").asText(), all);
        JsonNode denied = finding(h, "CLIENT_NOT_ALLOWED");
        assertTrue(denied.get("message").asText().contains("do not allow " + c + " (" + lab.address(c)), all);
        String net24 = lab.address(c).replaceFirst("\\.\\d+$", ".0/24");
        assertTrue(denied.get("fix").asText().startsWith("add `" + net24 + "` to " + m + "'s `ntp_allow`"), all);
        assertEquals("SYNCED", host(v, allowed).get("verdict").asText(), "a listed client is still served: " + all);

        appliedAndInSync(lab);
    }

    @Test
    @Order(5)
    void ntpdStoppedIsNtpdDownAndAConfigWithoutLocalhostRestrictsIsNtpqNoAnswer(Lab lab) throws IOException {
        String c = lab.clients().get(2);
        sh(lab, c, "systemctl stop ntpsec");
        // a fixed flavor: with the lab's auto, verify's fix names `ntp` (it judges an auto host by the inventory's
        // flavor, not the one it detected on the host)
        Path ntpsec = inventoryWith(lab, "ntpsec.yml", "  vars:\n", "  vars:\n    ntp_flavor: ntpsec\n");
        Run down = verify(lab, ntpsec, "--limit", c);
        assertEquals(Exit.CRITICAL.code(), down.exit(), down.out() + down.err());
        JsonNode h = host(json(down), c);
        assertEquals("DAEMON_DOWN", h.get("verdict").asText(), h.toPrettyString());
        assertTrue(finding(h, "NTPD_NOT_RUNNING").get("fix").asText().contains("systemctl enable --now ntpsec"),
                h.toPrettyString());
        // the same state as a monitoring system and cron see it: the status and the host at fault on line 1 of
        // stdout (nagios), or the status line on stderr (text: cron drops stdout and mails stderr)
        Run nagios = ntpdeploy(lab, "verify", ntpsec.toString(), "--known-hosts", lab.knownHosts().toString(),
                "--format", "nagios");
        assertEquals(Exit.CRITICAL.code(), nagios.exit(), nagios.out() + nagios.err());
        String first = nagios.out().lines().findFirst().orElse("");
        int n = lab.hosts().size();
        assertTrue(first.startsWith("NTP CRITICAL - " + (n - 1) + " of " + n + " hosts in sync: " + c
                + " NTPD_NOT_RUNNING"), nagios.out());
        assertTrue(first.contains(" | in_sync=" + (n - 1) + ";;;0;" + n + " "), nagios.out());
        Run text = ntpdeploy(lab, "verify", ntpsec.toString(), "--known-hosts", lab.knownHosts().toString());
        assertEquals(Exit.CRITICAL.code(), text.exit(), text.out() + text.err());
        assertTrue(text.err().contains("status: CRITICAL - "), "stderr: " + text.err());

        sh(lab, c, "sed -i '/^restrict 127.0.0.1/d; /^restrict ::1/d' " + CONF + " && systemctl start ntpsec");
        Run mute = verify(lab, lab.inventory(), "--limit", c);
        assertEquals(Exit.CRITICAL.code(), mute.exit(), mute.out() + mute.err());
        JsonNode q = host(json(mute), c);
        assertEquals("UNSYNCED", q.get("verdict").asText(), q.toPrettyString());
        JsonNode f = finding(q, "NTPQ_NO_ANSWER");
        assertTrue(f.get("message").asText().contains("is not the rendered one")
                && f.get("message").asText().contains("restrict 127.0.0.1"), q.toPrettyString());
        assertTrue(codes(q).contains("CONFIG_DRIFT"), q.toPrettyString());
        appliedAndInSync(lab);

        // the rendered config (restrict lines there) and ntpd on UDP 123, but queries dropped on lo: nothing on the
        // host shows why ntpq times out, so the state is unknown (3), not unsynced, and no restrict line is blamed
        sh(lab, c, "nft 'add table inet vtq; add chain inet vtq i { type filter hook input priority 0; };"
                + " add rule inet vtq i iifname \"lo\" udp dport 123 drop'");
        try {
            Run wedged = verify(lab, lab.inventory(), "--limit", c);
            assertEquals(Exit.UNKNOWN.code(), wedged.exit(), wedged.out() + wedged.err());
            JsonNode w = host(json(wedged), c);
            assertEquals("UNKNOWN", w.get("verdict").asText(), "neither in sync nor proven out of it (#13 item 3): "
                    + w.toPrettyString());
            JsonNode t = finding(w, "NTPQ_TIMED_OUT");
            assertTrue(t.get("message").asText().contains("is the rendered one"), w.toPrettyString());
            assertFalse(codes(w).contains("NTPQ_NO_ANSWER"), w.toPrettyString());
        } finally {
            sh(lab, c, "nft delete table inet vtq");
        }

        appliedAndInSync(lab);
    }

    @Test
    @Order(6)
    void clientSyncedToAHostOutsideTheInventoryAndTheHandEditIsDrift(Lab lab) {
        List<String> clients = lab.clients();
        String c = clients.get(clients.size() - 1);
        String other = clients.get(clients.size() - 2); // a synced client: serves time, but is no master
        String otherAddr = lab.address(other);
        sh(lab, c, "sed -i 's/^server " + lab.address(lab.master()).replace(".", "\\.") + " /server " + otherAddr + " /' "
                + CONF + " && systemctl restart ntpsec");
        Eventually.await(c + " selecting " + other + " (" + otherAddr + ") as its system peer", Duration.ofMinutes(3))
                .evidence(() -> c + ": ntpq -pn\n" + lab.exec(c, "ntpq", "-pn").stdout())
                .until(() -> lab.exec(c, "ntpq", "-pn").stdout().lines().anyMatch(l -> l.startsWith("*" + otherAddr + " ")));
        Run r = verify(lab, lab.inventory(), "--limit", c);
        assertEquals(Exit.CRITICAL.code(), r.exit(), r.out() + r.err());
        JsonNode h = host(json(r), c);
        String all = h.toPrettyString();
        assertEquals("UNSYNCED", h.get("verdict").asText(), all);
        assertEquals(otherAddr, h.get("peer").asText(), all);
        assertTrue(finding(h, "SYNCED_TO_FOREIGN_PEER").get("message").asText()
                .startsWith(c + " is synced to " + otherAddr + " (stratum " + (LOCAL_STRATUM + 2) + "), which is not one of"
                        + " the inventory masters"), all);
        JsonNode drift = finding(h, "CONFIG_DRIFT");
        assertEquals("WARNING", drift.get("severity").asText(), all);
        assertTrue(drift.get("fix").asText().contains("`ntpdeploy apply --dry-run`"), all);

        appliedAndInSync(lab);
    }

    /**
     * #13 item 4: the running daemon's config error is found although an older daemon's start lines come later in
     * what the probe reads (syslog after ntpsec's own log): they reset the log filter and hid the error.
     */
    @Test
    @Order(7)
    void theRunningDaemonsConfigErrorIsFoundWhateverAnOlderDaemonLoggedLater(Lab lab) {
        String c = lab.clients().get(0);
        sh(lab, c, "echo 'serverr 10.0.0.1 iburst' >> " + CONF + " && systemctl restart ntpsec");
        // an older daemon's start as classic ntpd logs it to syslog (the lines of ntpq-samples/P17, another pid)
        String older = "'Aug 6 08:29:57 " + c + " ntpd[89548]: ntpd 4.2.8p16-a (1): Starting' 'Aug 6 08:29:57 " + c
                + " ntpd[89548]: Command line: /usr/sbin/ntpd -p /var/db/ntp/ntpd.pid -c /etc/ntp.conf'";
        sh(lab, c, "printf '%s\\n' " + older + " >> /var/log/syslog");
        try {
            Run r = verify(lab, lab.inventory(), "--limit", c);
            JsonNode h = host(json(r), c);
            JsonNode f = finding(h, "CONFIG_REJECTED_LINES");
            assertTrue(f.get("message").asText().contains("syntax error"), h.toPrettyString());
            f.get("evidence").forEach(e -> assertFalse(e.asText().contains("ntpd[89548]"), h.toPrettyString()));
        } finally {
            sh(lab, c, "sed -i '/ntpd\\[89548\\]/d' /var/log/syslog");
            appliedAndInSync(lab);
        }
    }
}

package dev.ntpdeploy.cli;

import static dev.ntpdeploy.cli.ApplyIT.CONF;
import static dev.ntpdeploy.cli.ApplyIT.ntpdeploy;
import static dev.ntpdeploy.cli.ApplyIT.pids;
import static dev.ntpdeploy.cli.ApplyIT.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import dev.ntpdeploy.lab.LabShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntpdeploy play playbooks/site.yml} on a lab of its own (6 hosts: the master lab-h1, clients h2 to h6), so
 * the first tests see a fresh lab. The tests share it in order: refused before any connection, --check on the
 * fresh lab, the staged rollout, then a rollout whose second client batch cannot sync and its retry. site.yml's
 * batches on this lab: the master; then clients [h2], [h3], [h4, h5], [h6] (serial [1, 10%, 50%, 100%] of 5).
 */
@ExtendWith(LabExtension.class)
@LabShape(hosts = 6)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlayIT {

    private static final Path SITE = Path.of("playbooks/site.yml");
    /** Drops the client's NTP packets to anything but itself (VerifyIT's rule). */
    private static final String NFT_DROP_NTP = "add table inet pt; add chain inet pt o { type filter hook output"
            + " priority 0; }; add rule inet pt o oifname != \"lo\" udp dport 123 drop";

    @TempDir
    Path tmp;

    private List<String> clients;

    @BeforeAll
    void hosts(Lab lab) {
        clients = lab.clients();
        assertEquals(5, clients.size(), "PlayIT's batches assume 1 master and 5 clients: " + lab.hosts());
    }

    private ApplyIT.Run play(Lab lab, Path playbook, Path inventory, String... more) {
        List<String> args = new ArrayList<>(List.of("play", playbook.toString(), "-i", inventory.toString(),
                "--known-hosts", lab.knownHosts().toString()));
        args.addAll(List.of(more));
        return ntpdeploy(lab, args.toArray(String[]::new));
    }

    private static Map<String, String> files(Lab lab) {
        Map<String, String> m = new HashMap<>();
        lab.hosts().forEach(h -> m.put(h, lab.fileContent(h, CONF)));
        return m;
    }

    /** When the host's ntpd started, in clock ticks since boot (/proc/PID/stat field 22): orders restarts exactly. */
    private static long started(Lab lab, String host) {
        long pid = lab.ntpdPid(host).orElseThrow(() -> new AssertionError(host + ": ntpd is not running"));
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(after[22 - 3]);
        } catch (IOException e) {
            throw new AssertionError(host + ": cannot read its ntpd's start time", e);
        }
    }

    @Test
    @Order(1)
    void anInvalidPlaybookIsRefusedWithItsPlaceBeforeAnyConnection(Lab lab) throws IOException {
        Map<String, Long> before = pids(lab);
        Path unknownModule = Files.writeString(tmp.resolve("module.yml"),
                "- hosts: clients\n  tasks:\n    - ntp_config: {}\n    - shell: systemctl restart ntpsec\n");
        // a --known-hosts that does not exist: had play tried to connect, that is what it would have said
        Path noKnownHosts = tmp.resolve("no-known-hosts");
        ApplyIT.Run r = ntpdeploy(lab, "play", unknownModule.toString(), "-i", lab.inventory().toString(),
                "--known-hosts", noKnownHosts.toString());
        assertEquals(Exit.INVALID_INPUT.code(), r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith(unknownModule + ":4:7: unknown module 'shell'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace:\n" + r.err());
        assertEquals("", r.out());

        Path badSerial = Files.writeString(tmp.resolve("serial.yml"),
                "- hosts: clients\n  serial: [1, '10 %']\n  tasks: [ntp_config: {}]\n");
        r = ntpdeploy(lab, "play", badSerial.toString(), "-i", lab.inventory().toString(),
                "--known-hosts", noKnownHosts.toString());
        assertEquals(Exit.INVALID_INPUT.code(), r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith(badSerial + ":2:15: invalid 'serial' '10 %'"), r.err());
        assertEquals(before, pids(lab), "no daemon was touched");
    }

    @Test
    @Order(2)
    void checkDiffOnAFreshLabPrintsEveryBatchsPlanAndChangesNothing(Lab lab) {
        Map<String, Long> pidsBefore = pids(lab);
        Map<String, String> filesBefore = files(lab);
        ApplyIT.Run r = play(lab, SITE, lab.inventory(), "--check", "--diff");
        assertEquals(0, r.exit(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.contains("BATCH 1/1 [masters, one at a time]: " + lab.master()), out);
        assertTrue(out.contains("BATCH 1/4 [clients, in growing batches]: " + clients.get(0) + "\n"), out);
        assertTrue(out.contains("BATCH 2/4 [clients, in growing batches]: " + clients.get(1) + "\n"), out);
        assertTrue(out.contains("BATCH 3/4 [clients, in growing batches]: " + clients.get(2) + ", " + clients.get(3)
                + "\n"), out);
        assertTrue(out.contains("BATCH 4/4 [clients, in growing batches]: " + clients.get(4) + "\n"), out);
        for (String h : lab.hosts()) {
            assertTrue(out.contains("changed: " + h + " (would upload " + CONF), h + ":\n" + out);
            assertTrue(out.contains("skipping: " + h + " (check mode"), h + ":\n" + out);
        }
        assertTrue(out.contains("+++ ") && out.contains("\n+server "), "the diffs are printed:\n" + out);
        assertEquals(pidsBefore, pids(lab), "no daemon restarted");
        assertEquals(filesBefore, files(lab), "no file changed");
        assertFalse(Files.exists(lab.projectDir().resolve("playbooks/site.retry")), "check mode writes no retry file");
    }

    @Test
    @Order(3)
    void siteAppliesInTheDeclaredBatchesAndEndsInSync(Lab lab) {
        Map<String, Long> before = pids(lab);
        ApplyIT.Run r = play(lab, SITE, lab.inventory());
        assertEquals(0, r.exit(), r.out() + r.err());
        Map<String, Long> after = pids(lab);
        for (String h : lab.hosts()) {
            assertNotEquals(before.get(h), after.get(h), h + " was restarted on its new config:\n" + r.out());
            assertTrue(r.out().matches("(?s).*\nok: " + h + " \\((SERVING|SYNCED)\\)\n.*"), h + " passed its gate:\n" + r.out());
        }
        // the daemons started batch after batch: master, [h2], [h3], [h4, h5], [h6]
        long m = started(lab, lab.master());
        long c1 = started(lab, clients.get(0));
        long c2 = started(lab, clients.get(1));
        long c3 = Math.min(started(lab, clients.get(2)), started(lab, clients.get(3)));
        long c3last = Math.max(started(lab, clients.get(2)), started(lab, clients.get(3)));
        long c4 = started(lab, clients.get(4));
        assertTrue(m < c1 && c1 < c2 && c2 < c3 && c3last < c4,
                "daemon start times (ticks) must follow the batches: " + List.of(m, c1, c2, c3, c3last, c4));
        // and the fleet is in sync now, as verify (not the play) judges it
        ApplyIT.Run v = ntpdeploy(lab, "verify", lab.inventory().toString(), "--known-hosts",
                lab.knownHosts().toString(), "--wait", "--sync-timeout", "2m");
        assertEquals(0, v.exit(), v.out() + v.err());
    }

    @Test
    @Order(4)
    void aSecondBatchClientThatCannotSyncStopsThePlayAndItsRetryFinishes(Lab lab) throws IOException {
        // a change for every client (a comment line), and site.yml with gates short enough for a test: the blocked
        // client's gate waits its whole timeout
        Path inventory = Files.writeString(tmp.resolve("lab.yml"), Files.readString(lab.inventory()).replace(
                "    clients:\n      hosts:\n", "    clients:\n      vars:\n        ntp_extra: ['# rollout 2']\n      hosts:\n"));
        String site = Files.readString(lab.projectDir().resolve(SITE));
        assertTrue(site.contains("timeout: 5m"), site);
        Path playbook = Files.writeString(tmp.resolve("site.yml"), site.replace("timeout: 5m", "timeout: 60s"));
        Path retry = tmp.resolve("site.retry");
        String blocked = clients.get(1); // the second client batch
        List<String> later = clients.subList(2, 5);
        Map<String, Long> before = pids(lab);
        Map<String, String> filesBefore = files(lab);
        sh(lab, blocked, "nft '" + NFT_DROP_NTP + "'");
        try {
            ApplyIT.Run r = play(lab, playbook, inventory);
            assertEquals(Exit.HOSTS_FAILED.code(), r.exit(), r.out() + r.err());
            String out = r.out();
            assertTrue(out.contains("failed: " + blocked + " (not in sync at the gate"), out);
            assertTrue(out.contains("STOPPED: 1 of 1 host(s) of batch 2/4 of play 'clients, in growing batches' failed"),
                    out);
            assertFalse(out.contains("BATCH 3/4"), "no later batch started:\n" + out);
            assertNotEquals(before.get(clients.get(0)), lab.ntpdPid(clients.get(0)).getAsLong(), "batch 1 was applied");
            assertTrue(lab.fileContent(clients.get(0), CONF).contains("# rollout 2"));
            for (String h : later) {
                assertEquals(before.get(h), lab.ntpdPid(h).getAsLong(), h + "'s daemon untouched:\n" + out);
                assertEquals(filesBefore.get(h), lab.fileContent(h, CONF), h + "'s file untouched");
            }
            List<String> expected = new ArrayList<>(List.of(blocked));
            expected.addAll(later);
            assertEquals(expected, Files.readAllLines(retry), "the failed client, then the clients never started");
            assertTrue(out.contains("to retry, use: --limit @" + retry), out);
        } finally {
            sh(lab, blocked, "nft delete table inet pt || true");
        }
        // the operator's fix: the firewall opened and the daemon restarted. Without the restart the gate judges the
        // client at once, UNSYNCED with CLIENT_NO_REPLIES (reach 0 long after its start is final, not pending), until
        // its daemon next polls the master (docs/playbooks.md)
        VerifyIT.restartNtpd(lab, blocked);

        ApplyIT.Run again = play(lab, playbook, inventory, "--limit", "@" + retry);
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("PLAY [masters, one at a time] no hosts matched"), again.out());
        assertTrue(again.out().contains("ok: " + blocked + " (SYNCED)"), again.out());
        for (String h : later) {
            assertNotEquals(before.get(h), lab.ntpdPid(h).getAsLong(), h + " applied by the retry:\n" + again.out());
            assertTrue(lab.fileContent(h, CONF).contains("# rollout 2"), h);
            assertTrue(again.out().contains("ok: " + h + " (SYNCED)"), h + " passed its gate:\n" + again.out());
        }
    }
}

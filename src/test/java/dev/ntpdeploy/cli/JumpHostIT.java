package dev.ntpdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import dev.ntpdeploy.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply through a jump host, as isolated networks have it: the lab's master is the bastion, and every client
 * refuses SSH from anywhere but the bastion's address (nftables in the client's namespace), so a client can only
 * be reached through it. The inventory names the jump as Ansible users write it, -o ProxyJump in
 * ansible_ssh_common_args from group_vars/clients.yml; host keys are checked strictly on both hops.
 */
@ExtendWith(LabExtension.class)
class JumpHostIT {

    private static final String TABLE = "ntpdeploy_jumpit";

    @TempDir
    Path tmp;

    private Lab lab;

    private void isolateClients(Lab lab) {
        this.lab = lab;
        String bastion = lab.address(lab.master());
        for (String c : lab.clients()) {
            ExecResult r = lab.exec(c, "bash", "-c", "nft add table inet " + TABLE
                    + " && nft 'add chain inet " + TABLE + " in { type filter hook input priority 0 ; policy accept ; }'"
                    + " && nft add rule inet " + TABLE + " in tcp dport 22 ip saddr != " + bastion + " reject with tcp reset");
            assertEquals(0, r.exitCode(), c + ": " + r.stderr());
        }
    }

    @AfterEach
    void openClientsAgain() {
        if (lab != null) {
            for (String c : lab.clients()) {
                lab.exec(c, "nft", "delete", "table", "inet", TABLE);
            }
        }
    }

    /** The lab's inventory with the clients behind the bastion, in group_vars/clients.yml beside it. */
    private Path inventoryBehindBastion(Lab lab) throws IOException {
        Path inv = tmp.resolve("inv.yml");
        Files.copy(lab.inventory(), inv);
        Files.createDirectories(tmp.resolve("group_vars"));
        Files.writeString(tmp.resolve("group_vars/clients.yml"),
                "ansible_ssh_common_args: '-o ProxyJump=root@" + lab.address(lab.master()) + ":22'\n");
        return inv;
    }

    @Test
    void appliesToClientsReachableOnlyThroughTheBastionWithHostKeysCheckedOnBothHops(Lab lab) throws IOException {
        isolateClients(lab);
        String client = lab.clients().get(0);
        assertEquals(255, lab.ssh(client, "true").exitCode(), "the client must not be reachable directly");
        Path inv = inventoryBehindBastion(lab);
        for (String c : lab.clients()) {
            lab.exec(c, "bash", "-c", "echo '# touched by JumpHostIT' >> " + ApplyIT.CONF);
        }
        Map<String, String> expected = ApplyIT.rendered(lab, inv, tmp);

        ApplyIT.Run r = ApplyIT.apply(lab, inv, lab.knownHosts());

        assertEquals(0, r.exit(), r.out() + r.err());
        for (String c : lab.clients()) {
            assertTrue(r.line(c).startsWith("changed: " + c), r.line(c));
            assertEquals(expected.get(c), lab.fileContent(c, ApplyIT.CONF), c + " holds its rendered config");
        }
    }

    @Test
    void aBastionWhoseHostKeyIsUnknownIsRefusedNamingTheHop(Lab lab) throws IOException {
        isolateClients(lab);
        Path inv = inventoryBehindBastion(lab);
        String bastion = lab.address(lab.master());
        // known_hosts without the bastion: its clients' keys are there, so only the first hop can fail
        List<String> others = Files.readAllLines(lab.knownHosts()).stream()
                .filter(l -> !l.startsWith(bastion + " ") && !l.startsWith(lab.master() + " ")).toList();
        Path known = tmp.resolve("known_hosts");
        Files.write(known, others);

        ApplyIT.Run r = ApplyIT.apply(lab, inv, known, "--limit", "clients");

        assertNotEquals(0, r.exit(), r.out() + r.err());
        String client = lab.clients().get(0);
        String line = r.line(client);
        assertTrue(line.startsWith("unreachable: " + client) && line.contains("jump host root@" + bastion),
                line + "\n" + r.out() + r.err());
    }

    @Test
    void aHostBehindTheBastionWhoseHostKeyIsUnknownIsRefusedOnTheSecondHop(Lab lab) throws IOException {
        isolateClients(lab);
        Path inv = inventoryBehindBastion(lab);
        String client = lab.clients().get(0);
        String address = lab.address(client);
        // known_hosts with the bastion but without this client: the tunnel opens, the client's own key must not pass
        List<String> others = Files.readAllLines(lab.knownHosts()).stream()
                .filter(l -> !l.startsWith(address + " ") && !l.startsWith(client + " ")).toList();
        Path known = tmp.resolve("known_hosts");
        Files.write(known, others);

        ApplyIT.Run r = ApplyIT.apply(lab, inv, known, "--limit", client);

        assertNotEquals(0, r.exit(), r.out() + r.err());
        String line = r.line(client);
        assertTrue(line.startsWith("unreachable: " + client) && line.contains("host key of " + address + " is unknown")
                && !line.contains("jump host"), line + "\n" + r.out() + r.err());
    }
}

package dev.ntpdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.TestAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply through a jump host, as isolated networks have it: the lab's master is the bastion, and every client
 * refuses SSH from anywhere but the bastion's address (nftables in the client's namespace), so a client can only
 * be reached through it. The inventory names the jump as Ansible users write it, -o ProxyJump in
 * ansible_ssh_common_args from group_vars/clients.yml; host keys are checked strictly on both hops. The login keys
 * come from a real ssh-agent (SSH_AUTH_SOCK, as ssh takes them): the inventory names no key file and ntpdeploy's
 * home has no ~/.ssh, so the agent is the only key there is; one case keeps the key file.
 */
@ExtendWith(LabExtension.class)
class JumpHostIT {

    private static final String TABLE = "ntpdeploy_jumpit";

    @TempDir
    Path tmp;

    @TempDir
    static Path agentDir;

    private static TestAgent agent;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = TestAgent.start(agentDir);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    /** The agent holding exactly these keys, and the environment of an ntpdeploy whose only keys are the agent's. */
    private Map<String, String> agentHolding(Path... keys) throws Exception {
        agent.deleteAll();
        agent.add(keys);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = new HashMap<>(agent.env());
        env.put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
        return env;
    }

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

    /** Logins the bastion's sshd has accepted so far (its log, read from outside). */
    private static long bastionLogins(Lab lab) throws IOException {
        return Files.readAllLines(lab.hostPath(lab.master(), "/run/sshd.log")).stream()
                .filter(l -> l.contains("Accepted publickey for root")).count();
    }

    /** The lab's inventory with the clients behind the bastion, in group_vars/clients.yml beside it. */
    private Path inventoryBehindBastion(Lab lab) throws IOException {
        Path inv = tmp.resolve("inv.yml");
        Files.copy(lab.inventory(), inv);
        return behindBastion(lab, inv);
    }

    /** The same, naming no key file: the login keys are whatever ssh-agent holds. */
    private Path inventoryBehindBastionWithoutKeyFile(Lab lab) throws IOException {
        Path inv = tmp.resolve("inv.yml");
        List<String> lines = Files.readAllLines(lab.inventory());
        List<String> kept = lines.stream().filter(l -> !l.trim().startsWith("ansible_ssh_private_key_file:")).toList();
        assertEquals(lines.size() - 1, kept.size(), "the lab's inventory names its key file once");
        Files.write(inv, kept);
        return behindBastion(lab, inv);
    }

    private Path behindBastion(Lab lab, Path inv) throws IOException {
        Files.createDirectories(tmp.resolve("group_vars"));
        Files.writeString(tmp.resolve("group_vars/clients.yml"),
                "ansible_ssh_common_args: '-o ProxyJump=root@" + lab.address(lab.master()) + ":22'\n");
        return inv;
    }

    @Test
    void appliesWithKeysFromSshAgentToClientsReachableOnlyThroughTheBastionWithHostKeysCheckedOnBothHops(Lab lab)
            throws Exception {
        isolateClients(lab);
        String client = lab.clients().get(0);
        assertEquals(255, lab.ssh(client, "true").exitCode(), "the client must not be reachable directly");
        Path inv = inventoryBehindBastionWithoutKeyFile(lab);
        for (String c : lab.clients()) {
            lab.exec(c, "bash", "-c", "echo '# touched by JumpHostIT' >> " + ApplyIT.CONF);
        }
        Map<String, String> expected = ApplyIT.rendered(lab, inv, tmp);

        long loginsBefore = bastionLogins(lab);

        ApplyIT.Run r = ApplyIT.ntpdeploy(lab, agentHolding(lab.clientKey()), "apply", inv.toString(),
                "--known-hosts", lab.knownHosts().toString(), "--no-verify");

        assertEquals(0, r.exit(), r.out() + r.err());
        for (String c : lab.clients()) {
            assertTrue(r.line(c).startsWith("changed: " + c), r.line(c));
            assertEquals(expected.get(c), lab.fileContent(c, ApplyIT.CONF), c + " holds its rendered config");
        }
        // the bastion as a host of its own, and one jump login shared by all the clients behind it (not one each)
        assertTrue(lab.clients().size() >= 2, "the lab has clients enough to tell one shared login from one each");
        assertEquals(2, bastionLogins(lab) - loginsBefore, "logins to the bastion during the run");
    }

    @Test
    void anAgentWithoutTheLabKeyIsRefusedAtTheBastionNamingTheHopAndWhatWasTried(Lab lab) throws Exception {
        isolateClients(lab);
        Path inv = inventoryBehindBastionWithoutKeyFile(lab);
        Path stranger = tmp.resolve("stranger");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString())
                .redirectErrorStream(true).start();
        keygen.getInputStream().readAllBytes();
        assertEquals(0, keygen.waitFor());
        String bastion = lab.address(lab.master());
        String client = lab.clients().get(0);

        ApplyIT.Run r = ApplyIT.ntpdeploy(lab, agentHolding(stranger), "apply", inv.toString(),
                "--known-hosts", lab.knownHosts().toString(), "--no-verify", "--limit", client);

        assertNotEquals(0, r.exit(), r.out() + r.err());
        String line = r.line(client);
        assertTrue(line.startsWith("unreachable: " + client) && line.contains("jump host root@" + bastion)
                && line.contains("authentication as root@" + bastion + " failed (tried: 1 key from ssh-agent)"),
                line + "\n" + r.out() + r.err());
    }

    @Test
    void aBastionWhoseHostKeyIsUnknownIsRefusedNamingTheHop(Lab lab) throws Exception {
        isolateClients(lab);
        Path inv = inventoryBehindBastionWithoutKeyFile(lab);
        String bastion = lab.address(lab.master());
        // known_hosts without the bastion: its clients' keys are there, so only the first hop can fail
        List<String> others = Files.readAllLines(lab.knownHosts()).stream()
                .filter(l -> !l.startsWith(bastion + " ") && !l.startsWith(lab.master() + " ")).toList();
        Path known = tmp.resolve("known_hosts");
        Files.write(known, others);

        ApplyIT.Run r = ApplyIT.ntpdeploy(lab, agentHolding(lab.clientKey()), "apply", inv.toString(),
                "--known-hosts", known.toString(), "--no-verify", "--limit", "clients");

        assertNotEquals(0, r.exit(), r.out() + r.err());
        String client = lab.clients().get(0);
        String line = r.line(client);
        assertTrue(line.startsWith("unreachable: " + client) && line.contains("jump host root@" + bastion),
                line + "\n" + r.out() + r.err());
    }

    /** The key-file case: the lab's inventory as it is, ansible_ssh_private_key_file and no agent. */
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

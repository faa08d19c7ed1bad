package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ansible_ssh_common_args / ansible_ssh_extra_args: the jump host read from them, anything else refused by name. */
class SshArgsTest {

    @TempDir
    Path dir;

    private Path inventory(String clientVars) throws IOException {
        Path f = dir.resolve("inv.yml");
        Files.writeString(f, "all:\n  children:\n    masters:\n      hosts:\n        m1: {ansible_host: 10.0.0.1}\n"
                + "    clients:\n      hosts:\n        c1: {ansible_host: 10.0.0.2, " + clientVars + "}\n");
        return f;
    }

    private Optional<JumpHost> jump(String clientVars) throws Exception {
        return InventoryLoader.load(inventory(clientVars)).host("c1").orElseThrow().connection().jump();
    }

    private String error(String clientVars) throws IOException {
        Path inv = inventory(clientVars);
        return assertThrows(InventoryException.class, () -> InventoryLoader.load(inv)).getMessage();
    }

    @Test
    void readsProxyJumpInEveryFormSshTakes() throws Exception {
        JumpHost admin = new JumpHost(Optional.of("admin"), "bastion.example.net", 2222);
        assertEquals(Optional.of(admin), jump("ansible_ssh_common_args: '-o ProxyJump=admin@bastion.example.net:2222'"));
        assertEquals(Optional.of(admin), jump("ansible_ssh_common_args: '-oProxyJump=admin@bastion.example.net:2222'"));
        assertEquals(Optional.of(admin), jump("ansible_ssh_extra_args: \"-o 'ProxyJump admin@bastion.example.net:2222'\""));
        assertEquals(Optional.of(admin), jump("ansible_ssh_extra_args: '-J admin@bastion.example.net:2222'"));
        assertEquals(Optional.of(new JumpHost(Optional.empty(), "fd00::1", 22)), jump("ansible_ssh_common_args: '-J [fd00::1]'"));
        assertEquals(Optional.empty(), jump("ansible_ssh_common_args: '-o ProxyJump=none'"));
        assertEquals(Optional.empty(), jump("ansible_ssh_common_args: ''"));
        // ssh keeps an option's first value, and Ansible passes the common args before the extra ones
        assertEquals(Optional.empty(), jump("ansible_ssh_common_args: '-J none', ansible_ssh_extra_args: '-J b'"));
        assertEquals(Optional.of(new JumpHost(Optional.empty(), "a", 22)),
                jump("ansible_ssh_common_args: '-J a', ansible_ssh_extra_args: '-J b'"));
        assertEquals(Optional.of(new JumpHost(Optional.empty(), "b", 22)),
                jump("ansible_ssh_common_args: '', ansible_ssh_extra_args: '-J b'"));
    }

    @Test
    void refusesOptionsItDoesNotHonourByName() throws Exception {
        String m = error("ansible_ssh_common_args: '-o StrictHostKeyChecking=no'");
        assertTrue(m.contains("sets ssh option 'StrictHostKeyChecking', which ntpdeploy does not honour"), m);
        m = error("ansible_ssh_extra_args: '-o ProxyJump=a -C'");
        assertTrue(m.contains("has '-C', which ntpdeploy does not honour"), m);
        m = error("ansible_ssh_common_args: '-J a,b'");
        assertTrue(m.contains("several hops"), m);
        m = error("ansible_ssh_common_args: '-J a@b@c;rm'");
        assertTrue(m.contains("not [USER@]HOST[:PORT]"), m);
        m = error("ansible_ssh_common_args: '-J host:99999'");
        assertTrue(m.contains("not [USER@]HOST[:PORT]"), m);
    }

    private ConnectionSpec connection(String clientVars) throws Exception {
        return InventoryLoader.load(inventory(clientVars)).host("c1").orElseThrow().connection();
    }

    @Test
    void readsIdentitiesOnlyBesideTheJumpHostFirstValueWinning() throws Exception {
        assertTrue(!connection("ansible_port: 22").identitiesOnly(), "ssh's default: agent keys offered too");
        assertTrue(connection("ansible_ssh_common_args: '-o IdentitiesOnly=yes'").identitiesOnly());
        assertTrue(connection("ansible_ssh_common_args: \"-o 'identitiesonly true'\"").identitiesOnly());
        ConnectionSpec both = connection("ansible_ssh_common_args: '-oIdentitiesOnly=yes -J admin@b:2222'");
        assertTrue(both.identitiesOnly());
        assertEquals(Optional.of(new JumpHost(Optional.of("admin"), "b", 2222)), both.jump());
        assertTrue(!connection("ansible_ssh_common_args: '-o IdentitiesOnly=no',"
                + " ansible_ssh_extra_args: '-o IdentitiesOnly=yes'").identitiesOnly());
        assertTrue(connection("ansible_ssh_common_args: '-J b', ansible_ssh_extra_args: '-o IdentitiesOnly=yes'")
                .identitiesOnly());
        String m = error("ansible_ssh_common_args: '-o IdentitiesOnly=maybe'");
        assertTrue(m.contains("has IdentitiesOnly 'maybe', not yes or no"), m);
    }
}

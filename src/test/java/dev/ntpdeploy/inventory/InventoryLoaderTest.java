package dev.ntpdeploy.inventory;

import static dev.ntpdeploy.inventory.InventoryFiles.MINIMAL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("inv.yml");
        Files.writeString(f, yaml);
        return f;
    }

    private Inventory load(String yaml) throws Exception {
        return InventoryLoader.load(write(yaml));
    }

    /** Loads, expects an error, checks it starts with file:line:col and contains every fragment. */
    private String error(String yaml, int line, int col, String... fragments) throws IOException {
        return errorIn(write(yaml), line, col, fragments);
    }

    private static String errorIn(Path f, int line, int col, String... fragments) {
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryLoader.load(f));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(f + ":" + line + ":" + col + ": "), "position in: " + msg);
        for (String s : fragments) {
            assertTrue(msg.contains(s), "'" + s + "' missing in: " + msg);
        }
        assertFalse(msg.contains("\n"), "one line: " + msg);
        return msg;
    }

    @Test
    void loadsTheExampleInventory() throws Exception {
        Inventory inv = InventoryLoader.load(Path.of("inventories/example.yml"));
        assertEquals(List.of("host8461", "host8462", "host8463"), inv.hosts().stream().map(Host::name).toList());
        Host m = inv.masters().get(0);
        assertEquals("host8461", m.name());
        assertEquals(List.of("0.centos.pool.ntp.org", "1.centos.pool.ntp.org", "2.centos.pool.ntp.org",
                "3.centos.pool.ntp.org"), m.ntp().upstream());
        assertEquals(List.of(Cidr.parse("192.168.84.0/24").orElseThrow()), m.ntp().allow());
        assertEquals("192.168.84.61", m.ntp().serverAddress());
        assertFalse(m.ntp().localClock());
        assertEquals(2, inv.clients().size());
        assertEquals(Set.of("masters"), m.groups());
    }

    @Test
    void appliesDefaults() throws Exception {
        Host c = load(MINIMAL).host("c1").orElseThrow();
        assertEquals(new ConnectionSpec("10.0.0.2", 22, "root", Optional.empty(), false, "root"), c.connection());
        NtpSpec n = c.ntp();
        assertEquals(List.of(), n.upstream());
        assertTrue(n.localClock(), "no upstream: local clock by default");
        assertEquals(10, n.localStratum());
        assertEquals(Optional.empty(), n.flavor(), "no ntp_flavor: auto, detected on the host");
        assertTrue(n.iburst());
        assertEquals(128.0, n.maxOffsetMs());
        assertEquals(OptionalInt.empty(), n.minpoll());
        assertEquals("10.0.0.2", n.serverAddress());
        assertEquals("/etc/ntpsec/ntp.conf", n.confPathFor(Flavor.NTPSEC));
        assertEquals(Optional.empty(), n.service(), "no ntp_service: the flavor's own service");
    }

    @Test
    void serverAddressDefaultsToInventoryNameWithoutAnsibleHost() throws Exception {
        Inventory inv = load(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "ntp1.example.net:"));
        Host m = inv.masters().get(0);
        assertEquals("ntp1.example.net", m.ntp().serverAddress());
        assertEquals("ntp1.example.net", m.connection().address());
    }

    @Test
    void mergesAllThenParentThenChildThenHost() throws Exception {
        Inventory inv = load("""
                all:
                  vars:
                    ntp_minpoll: 4
                    ntp_maxpoll: 10
                    ntp_local_stratum: 5
                    ansible_port: 2200
                    site: all
                  children:
                    masters:
                      hosts:
                        m1: {ansible_host: 10.0.0.1}
                    clients:
                      vars:
                        ntp_maxpoll: 9
                        ntp_local_stratum: 6
                        site: clients
                      children:
                        rack1:
                          vars:
                            ntp_local_stratum: 7
                            site: rack1
                          hosts:
                            c1:
                              ansible_host: 10.0.0.2
                              site: host
                            c2:
                              ansible_host: 10.0.0.3
                """);
        Host c1 = inv.host("c1").orElseThrow();
        Host c2 = inv.host("c2").orElseThrow();
        assertEquals(OptionalInt.of(4), c1.ntp().minpoll(), "from all");
        assertEquals(OptionalInt.of(9), c1.ntp().maxpoll(), "parent group beats all");
        assertEquals(7, c1.ntp().localStratum(), "child group beats parent");
        assertEquals("host", c1.vars().get("site"), "host beats every group");
        assertEquals("rack1", c2.vars().get("site"));
        assertEquals(2200, c2.connection().port());
        assertEquals(Role.CLIENT, c1.role());
        assertEquals(Set.of("clients", "rack1"), c1.groups());
        assertEquals(OptionalInt.of(10), inv.host("m1").orElseThrow().ntp().maxpoll());
    }

    @Test
    void sameDepthGroupsMergeInNameOrderAndHostsKeepOtherGroups() throws Exception {
        Inventory inv = load("""
                all:
                  children:
                    zeta:
                      vars: {ntp_local_stratum: 3}
                      hosts: {m1: }
                    alpha:
                      vars: {ntp_local_stratum: 2}
                      hosts: {m1: }
                    masters:
                      hosts:
                        m1: {ansible_host: 10.0.0.1}
                """);
        Host m1 = inv.host("m1").orElseThrow();
        assertEquals(3, m1.ntp().localStratum(), "zeta sorts after alpha, so it wins (Ansible's order)");
        assertEquals(Set.of("alpha", "masters", "zeta"), m1.groups());
        assertEquals(Role.MASTER, m1.role());
    }

    @Test
    void resolvesKeyFileRelativeToTheCurrentDirectoryAsAnsibleDoesAndExpandsHome() throws Exception {
        // Ansible's ssh connection passes the value through expanduser only: ssh opens a relative path from
        // the directory ansible runs in. This read it from the inventory's directory, saying "as in Ansible".
        Inventory inv = load(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}",
                "m1: {ansible_host: 10.0.0.1, ansible_ssh_private_key_file: keys/id_ed25519}")
                .replace("c1: {ansible_host: 10.0.0.2}", "c1: {ansible_host: 10.0.0.2, ansible_ssh_private_key_file: ~/.ssh/k}"));
        assertEquals(Optional.of(Path.of("").toAbsolutePath().resolve("keys/id_ed25519")),
                inv.host("m1").orElseThrow().connection().keyFile());
        assertEquals(Optional.of(Path.of(System.getProperty("user.home"), ".ssh/k")),
                inv.host("c1").orElseThrow().connection().keyFile());
    }

    @Test
    void acceptsAnsibleYesNoBooleansAndTopLevelGroups() throws Exception {
        Inventory inv = load("""
                masters:
                  hosts:
                    m1: {ansible_host: 10.0.0.1, ansible_become: yes, ntp_iburst: no}
                clients:
                  hosts:
                    c1: {ansible_host: 10.0.0.2, ansible_python_interpreter: /usr/bin/python3}
                """);
        Host m1 = inv.host("m1").orElseThrow();
        assertTrue(m1.connection().become());
        assertFalse(m1.ntp().iburst());
    }

    @Test
    void templatesSeeYamlBooleansAsAnsibleReadsThem() throws Exception {
        // Jackson types yes/on (and y/n) as booleans; Boolean.parseBoolean("yes") is false
        Host c = load(MINIMAL.replace("all:\n", "all:\n  vars: {a: yes, b: On, c: no, d: TRUE, e: y}\n")).host("c1").orElseThrow();
        assertEquals(true, c.vars().get("a"));
        assertEquals(true, c.vars().get("b"));
        assertEquals(false, c.vars().get("c"));
        assertEquals(true, c.vars().get("d"));
        assertEquals("y", c.vars().get("e"), "YAML 1.1 as Ansible reads it: y is a string");
    }

    @Test
    void rejectsYamlSyntaxErrors() throws IOException {
        error("all:\n  children:\n    masters: [unclosed\n", 4, 1, "YAML syntax error");
    }

    @Test
    void rejectsUnknownNtpVariableWithDidYouMean() throws IOException {
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1:\n          ntp_upstrem: [a.example]"),
                6, 11, "unknown variable 'ntp_upstrem'", "did you mean 'ntp_upstream'?");
    }

    @Test
    void rejectsUnknownAnsibleVariable() throws IOException {
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_usr: deploy\n"),
                3, 5, "unknown variable 'ansible_usr'", "did you mean 'ansible_user'?");
    }

    @Test
    void rejectsUnknownGroupKeyWithDidYouMean() throws IOException {
        error(MINIMAL.replace("  children:", "  childen:"), 2, 3, "unknown key 'childen' in group 'all'",
                "did you mean 'children'?");
    }

    @Test
    void allowsUserVariablesAndPassesThemToTemplates() throws Exception {
        Host m = load(MINIMAL.replace("all:\n", "all:\n  vars:\n    datacenter: fra1\n")).host("m1").orElseThrow();
        assertEquals("fra1", m.vars().get("datacenter"));
    }

    @Test
    void rejectsAnInventoryWithoutMaster() throws IOException {
        error("""
                all:
                  children:
                    masters:
                    clients:
                      hosts:
                        c1: {ansible_host: 10.0.0.2}
                """, 3, 5, "no master", "masters");
    }

    @Test
    void rejectsAHostInBothGroups() throws IOException {
        error(MINIMAL + "        m1:\n", 9, 9, "host 'm1' is in both 'masters' (line 5) and 'clients'", "remove it from one");
    }

    @Test
    void rejectsAHostInBothGroupsThroughNesting() throws IOException {
        error("""
                all:
                  children:
                    masters:
                      children:
                        dc1: {hosts: {m1: {ansible_host: 10.0.0.1}}}
                    clients:
                      children:
                        dc1:
                """, 5, 23, "'m1' is in both 'masters'", "'clients'");
    }

    @Test
    void rejectsAPortOutOfRange() throws IOException {
        error(MINIMAL.replace("c1: {ansible_host: 10.0.0.2}", "c1: {ansible_host: 10.0.0.2, ansible_port: 70000}"),
                8, 52, "'ansible_port' is 70000, out of range", "1 to 65535");
    }

    @Test
    void rejectsAnAllowThatIsNotACidr() throws IOException {
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1:\n          ntp_allow: [192.168.84.0/33]"),
                6, 23, "'192.168.84.0/33' in 'ntp_allow' is not a CIDR");
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1:\n          ntp_allow: [10.1.1.1]"),
                6, 23, "is not a CIDR", "write 10.1.1.1/32 for one host");
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1:\n          ntp_allow: [192.168.84.5/24]"),
                6, 23, "host bits set", "did you mean 192.168.84.0/24?");
    }

    @Test
    void refusesAMasterThatServesNobody() throws Exception {
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1: {ansible_host: 10.0.0.1, ntp_serve_others: false}"),
                5, 9, "master 'm1' has ntp_serve_others false and no ntp_allow", "list the clients' networks in ntp_allow");
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1: {ansible_host: 10.0.0.1, ntp_serve_others: maybe}"),
                5, 56, "'ntp_serve_others' must be true or false, not 'maybe'");
        Host m = load(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}",
                "m1: {ansible_host: 10.0.0.1, ntp_serve_others: false, ntp_allow: [10.0.0.0/24]}")).host("m1").orElseThrow();
        assertFalse(m.ntp().serveOthers());
        assertTrue(load(MINIMAL).host("m1").orElseThrow().ntp().serveOthers(), "serves others by default, as the seed");
    }

    @Test
    void competingDaemonsAreDisabledUnlessTheInventoryOptsOut() throws Exception {
        assertTrue(load(MINIMAL).host("m1").orElseThrow().ntp().disableCompetitors(), "on by default");
        Host m = load(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}",
                "m1: {ansible_host: 10.0.0.1, ntp_disable_competitors: no}")).host("m1").orElseThrow();
        assertFalse(m.ntp().disableCompetitors());
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1: {ansible_host: 10.0.0.1, ntp_disable_competitors: 2}"),
                5, 63, "'ntp_disable_competitors' must be true or false");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_disable_competitor: false\n"), 3, 5,
                "did you mean 'ntp_disable_competitors'?");
    }

    @Test
    void rejectsAnUpstreamThatIsNotAHostOrIp() throws IOException {
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1:\n          ntp_upstream:\n            - ok.example\n            - 'bad host;reboot'"),
                8, 15, "'bad host;reboot' in 'ntp_upstream' is not a host name or IP address");
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1:\n          ntp_upstream: [300.1.1.1]"),
                6, 26, "'300.1.1.1'");
    }

    @Test
    void rejectsAServerAddressThatIsNotAHostOrIp() throws IOException {
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1: {ansible_host: 10.0.0.1, ntp_server_address: 'a b'}"),
                5, 58, "'ntp_server_address' 'a b' is not a host name or IP address");
    }

    @Test
    void rejectsNewlinesAndControlCharactersAnywhere() throws IOException {
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1:\n          ntp_extra: [\"tinker panic 0\\nrestrict default\"]"),
                6, 23, "contains a newline (U+000A)", "one line");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    note: |\n      two\n      lines\n"),
                3, 11, "'note' contains a newline");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    note: \"bell\\a\"\n"),
                3, 11, "a control character (U+0007)");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_extra: [\"server a\\u202Eb\"]\n"),
                3, 17, "an invisible format character (U+202E)");
    }

    @Test
    void refusesPasswordsAndPointsAtTheEnvironment() throws IOException {
        String m = error(MINIMAL.replace("c1: {ansible_host: 10.0.0.2}", "c1: {ansible_host: 10.0.0.2, ansible_password: hunter2}"),
                8, 38, "'ansible_password' holds a password", "NTPDEPLOY_SSH_PASSWORD", "--ask-pass");
        assertFalse(m.contains("hunter2"), "never echo a secret");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_become_password: x\n"),
                3, 5, "NTPDEPLOY_BECOME_PASSWORD", "--ask-become-pass");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_become_pass: x\n"), 3, 5, "NTPDEPLOY_BECOME_PASSWORD");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_ssh_pass: x\n"), 3, 5, "NTPDEPLOY_SSH_PASSWORD");
    }

    @Test
    void refusesAnchorsAliasesAndMergeKeys() throws IOException {
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    base: &b {ntp_iburst: true}\n"), 3, 11, "anchor '&b'");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    <<: {ntp_iburst: true}\n"), 3, 5, "merge key '<<'");
        error("x: &a 1\n" + MINIMAL.replace("all:\n", "all:\n  vars:\n    y: *a\n"), 4, 8, "alias '*a'");
    }

    @Test
    void refusesAnsibleVault() throws IOException {
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    token: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n"),
                3, 12, "Ansible Vault", "NTPDEPLOY_SSH_PASSWORD");
    }

    @Test
    void rejectsDuplicateKeysNamingBothLines() throws IOException {
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_minpoll: 4\n    ntp_minpoll: 5\n"),
                4, 5, "duplicate key 'ntp_minpoll' (first at line 3");
    }

    @Test
    void rejectsWrongTypesAndRanges() throws IOException {
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_upstream: pool.ntp.org\n"), 3, 19, "must be a list");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_iburst: maybe\n"), 3, 17, "must be true or false");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_flavor: openntpd\n"), 3, 17, "use ntp, ntpsec, chrony or auto");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_local_stratum: 16\n"), 3, 24, "0 to 15");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_minpoll: 8\n    ntp_maxpoll: 6\n"),
                4, 18, "ntp_maxpoll 6 is below ntp_minpoll 8");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_conf_path: /etc/../shadow\n"), 3, 20, "'..'");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_max_offset_ms: -1\n"), 3, 24, "above 0");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_connection: winrm\n"), 3, 25, "only connects over SSH");
    }

    @Test
    void rejectsExtraLinesThatWouldBreakTheConfig() throws IOException {
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_extra: ['includefile /etc/x']\n"),
                3, 17, "'includefile' in 'ntp_extra' is not allowed");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_extra: ['driftfile /tmp/d']\n"), 3, 17, "'driftfile'");
    }

    @Test
    void rejectsHostsOutsideBothRolesAndBadHostNames() throws IOException {
        error(MINIMAL.replace("  children:", "  hosts:\n    stray: {ansible_host: 10.0.0.9}\n  children:"),
                3, 5, "'stray' is in neither 'masters' nor 'clients'");
        error(MINIMAL.replace("c1: {ansible_host: 10.0.0.2}", "'web[01:10':"), 8, 9, "host 'web[01:10'",
                "closing ']'");
        error(MINIMAL.replace("c1: {ansible_host: 10.0.0.2}", "'bad/name': {ansible_host: 10.0.0.2}"), 8, 9,
                "host name 'bad/name' is not valid");
    }

    @Test
    void rejectsTwoMastersWithTheSameNtpAddressNamingBothPlaces() throws IOException {
        // one machine behind two SSH ports (a NAT): SSH can tell them apart, clients cannot
        Path f = write(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}",
                "m1: {ansible_host: 10.0.0.1}\n        m2: {ansible_host: 10.0.0.1, ansible_port: 2222}"));
        String m = errorIn(f, 6, 28, "masters 'm1' and 'm2' have the same ntp_server_address '10.0.0.1'");
        assertTrue(m.contains("'m1' at " + f + ":5:28") && m.contains("'m2' at " + f + ":6:28"), m);
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}",
                "m1: {ansible_host: 10.0.0.1, ntp_server_address: ntp.example.net}\n"
                        + "        m2: {ansible_host: 10.0.0.3, ntp_server_address: NTP.Example.NET}"),
                6, 58, "have the same ntp_server_address 'ntp.example.net'");
    }

    @Test
    void rejectsTwoHostsWithTheSameSshAddressNamingBothPlacesAndTheFix() throws IOException {
        // the copy-paste that gave a client the master's address: apply then overwrote the master
        Path f = write(MINIMAL.replace("c1: {ansible_host: 10.0.0.2}", "c1: {ansible_host: 10.0.0.1}"));
        String m = errorIn(f, 8, 28, "hosts 'm1' and 'c1' have the same SSH address 10.0.0.1 port 22",
                "give each host its own ansible_host");
        assertTrue(m.contains("'m1' at " + f + ":5:28") && m.contains("'c1' at " + f + ":8:28"), m);
    }

    @Test
    void sameSshAddressComparesCanonicalFormsAndDefaultsToTheName() throws IOException {
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "ntp1.example.net:")
                .replace("c1: {ansible_host: 10.0.0.2}", "c1: {ansible_host: NTP1.example.net}"),
                8, 28, "hosts 'ntp1.example.net' and 'c1' have the same SSH address");
        error(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1: {ansible_host: 'fd00::1'}")
                .replace("c1: {ansible_host: 10.0.0.2}", "c1: {ansible_host: 'FD00:0:0::0001'}"),
                8, 28, "hosts 'm1' and 'c1' have the same SSH address fd00::1 port 22");
        // one group variable giving two hosts one address: both point at the same line
        error(MINIMAL.replace("clients:\n", "clients:\n      vars: {ansible_host: 10.0.0.9}\n")
                .replace("c1: {ansible_host: 10.0.0.2}", "c1:\n        c2:"),
                7, 28, "hosts 'c1' and 'c2' have the same SSH address 10.0.0.9 port 22", "both take it from");
    }

    @Test
    void acceptsOneAddressOnTwoPorts() throws Exception {
        Inventory inv = load(MINIMAL.replace("c1: {ansible_host: 10.0.0.2}",
                "c1: {ansible_host: 10.0.0.2}\n        c2: {ansible_host: 10.0.0.2, ansible_port: 2222}"));
        assertEquals(3, inv.hosts().size());
    }

    @Test
    void rejectsGroupCycles() throws IOException {
        error("""
                all:
                  children:
                    a:
                      children:
                        b:
                          children:
                            a:
                """, 7, 13, "group 'a' contains itself: a -> b (line 5:9) -> a (line 7:13)");
        error("all:\n  children:\n    a:\n      children:\n        a:\n", 5, 9, "group 'a' contains itself: a -> a (line 5:9)");
    }

    @Test
    void rejectsAGroupCycleDeclaredInTwoPlaces() throws IOException {
        // europe -> fra under one parent, fra -> europe under another: no single nesting path shows the cycle
        error(MINIMAL.replace("all:\n  children:\n", """
                all:
                  children:
                    emea:
                      children:
                        europe:
                          children:
                            fra:
                    datacenters:
                      children:
                        fra:
                          children:
                            europe:
                """), 12, 13, "group 'europe' contains itself: europe -> fra (line 7:13) -> europe (line 12:13)",
                "remove one of these 'children:' entries");
    }

    @Test
    void rejectsALongCycleAndADeepChainWithoutOverflowingTheStack() throws Exception {
        // each link on its own top-level line, declared bottom-up: a recursive walk of the group graph
        // went one frame per group and overflowed the stack
        int n = 5_000;
        StringBuilder chain = new StringBuilder(MINIMAL);
        for (int i = n; i > 0; i--) {
            chain.append("g").append(i).append(": {children: {g").append(i + 1).append(": }}\n");
        }
        Path ok = write(chain.toString());
        assertEquals(2, onSmallStack(() -> InventoryLoader.load(ok)).hosts().size());
        Path cycle = write(chain + "g" + (n + 1) + ": {children: {g1: }}\n");
        InventoryException e = assertThrows(InventoryException.class, () -> onSmallStack(() -> InventoryLoader.load(cycle)));
        String m = e.getMessage();
        assertTrue(m.startsWith(cycle + ":" + (9 + n) + ":20: group 'g1' contains itself: g1 -> g2 (line " + (8 + n) + ":17) -> "), m);
        assertTrue(m.contains("-> g1 (line " + (9 + n) + ":20)") && m.contains("(5,001 groups)"), m);
        assertTrue(m.length() < 600, "a long cycle is cut in the message: " + m.length());
    }

    interface Load {
        Inventory run() throws InventoryException;
    }

    /** Runs a load on a thread with a 512 KiB stack, so a walk that recurses per group overflows it. */
    private static Inventory onSmallStack(Load load) throws InventoryException {
        Object[] out = new Object[1];
        Thread t = new Thread(null, () -> {
            try {
                out[0] = load.run();
            } catch (Throwable x) {
                out[0] = x;
            }
        }, "small-stack", 512 * 1024);
        t.start();
        try {
            t.join();
        } catch (InterruptedException x) {
            throw new AssertionError(x);
        }
        if (out[0] instanceof InventoryException x) {
            throw x;
        }
        if (out[0] instanceof Throwable x) {
            throw new AssertionError("only InventoryException may escape the loader", x);
        }
        return (Inventory) out[0];
    }

    @Test
    void reportsNonUtf8TextWithTheFirstBadByte() throws Exception {
        Path f = dir.resolve("inv.yml");
        Files.write(f, MINIMAL.replace("all:\n", "all:\n  vars:\n    site: caf\u00e9\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        errorIn(f, 3, 14, "not UTF-8 text", "byte 0xE9", "save the file as UTF-8");
        Files.write(f, ("\uFEFF" + MINIMAL).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        errorIn(f, 1, 1, "not UTF-8 text", "UTF-16");
        Files.write(f, ("\uFEFF" + MINIMAL).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(2, InventoryLoader.load(f).hosts().size(), "a UTF-8 byte order mark is UTF-8");
    }

    @Test
    void reportsBinaryBytesWhereTheyAre() throws IOException {
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    site: a\u0000b\n"), 3, 12, "U+0000", "text file");
    }

    @Test
    void cutsLongValuesInEveryMessage() throws IOException {
        String big = "x".repeat(3_000);
        String shown = "'" + "x".repeat(79) + "…' (3,000 characters)";
        String[] errors = {
            error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_flavor: " + big + "\n"), 3, 17, shown),
            error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ntp_upstream: [" + big + "]\n"), 3, 20, shown),
            error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_port: " + big + "\n"), 3, 19, shown),
            // keys over 1024 characters must be explicit ('? KEY' then ': VALUE'), YAML's limit for plain keys
            error(MINIMAL.replace("c1: {ansible_host: 10.0.0.2}", "? " + big + "\n        :"), 8, 11, shown),
            error(MINIMAL.replace("  children:", "  ? " + big + "\n  :"), 2, 5, shown),
            error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ? ansible_" + big + "\n    : 1\n"), 3, 7, "'ansible_" + "x".repeat(71)),
        };
        for (String m : errors) {
            assertTrue(m.length() < 400, () -> "cut: " + m.length() + " chars: " + m.substring(0, 200));
        }
    }

    @Test
    void refusesSecretLookingVariablesWithoutSuggestingAPlainName() throws IOException {
        // ansible_become_passwd was answered "did you mean 'ansible_become_user'?": the password would then
        // have gone into sudo's command line
        String m = error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_become_passwd: hunter2\n"), 3, 5,
                "'ansible_become_passwd' looks like it holds a secret", "NTPDEPLOY_BECOME_PASSWORD", "--ask-become-pass");
        assertFalse(m.contains("did you mean") || m.contains("hunter2"), m);
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_sudo_password: x\n"), 3, 5, "NTPDEPLOY_BECOME_PASSWORD");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_ssh_passwd: x\n"), 3, 5, "NTPDEPLOY_SSH_PASSWORD", "--ask-pass");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_pass: x\n"), 3, 5, "NTPDEPLOY_SSH_PASSWORD");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_ssh_key_passphrase: x\n"), 3, 5, "NTPDEPLOY_KEY_PASSPHRASE");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_ssh_private_key: x\n"), 3, 5,
                "looks like it holds a secret", "give its path in ansible_ssh_private_key_file");
        for (String name : List.of("ntp_auth_key", "ntp_secret", "ntp_api_token", "ntpAuthToken".replace("ntpA", "ntp_a"),
                "ansible_vault_password", "ansible_becomePass")) {
            String e = error(MINIMAL.replace("all:\n", "all:\n  vars:\n    " + name + ": x\n"), 3, 5,
                    "'" + name + "' looks like it holds a secret");
            assertFalse(e.contains("did you mean"), e);
        }
        // names of where a secret lives are not secrets, and typos of plain names still get their did-you-mean
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_ssh_private_key_fil: k\n"), 3, 5,
                "did you mean 'ansible_ssh_private_key_file'?");
        error(MINIMAL.replace("all:\n", "all:\n  vars:\n    ansible_bypass: k\n"), 3, 5, "unknown variable 'ansible_bypass'");
    }

    @Test
    void rejectsEmptyAndMissingFiles() throws IOException {
        error("", 1, 1, "the inventory is empty");
        InventoryException e = assertThrows(InventoryException.class,
                () -> InventoryLoader.load(dir.resolve("nope.yml")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}

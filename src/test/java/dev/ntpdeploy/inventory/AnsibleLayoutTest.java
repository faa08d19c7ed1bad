package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory layouts Ansible users have (group_vars/, host_vars/, INI, ranges, YAML 1.1 scalars), read as Ansible reads them. */
class AnsibleLayoutTest {

    @TempDir
    Path dir;

    private static final String YAML = InventoryFiles.MINIMAL;

    private Path file(String name, String text) throws IOException {
        return InventoryFiles.write(dir, name, text);
    }

    private String error(Path inv) {
        return InventoryFiles.refusal(inv);
    }

    @Test
    void groupVarsBesideTheInventoryAreRead() throws Exception {
        // the master rendered the local clock although group_vars/masters.yml set upstreams, and ansible_user
        // from group_vars/all.yml was dropped (it logged in as root)
        Path inv = file("inv.yml", YAML);
        file("group_vars/masters.yml", "ntp_upstream: [0.pool.ntp.org]\n");
        file("group_vars/all.yml", "ansible_user: deploy\n");
        Inventory i = InventoryLoader.load(inv);
        Host m1 = i.host("m1").orElseThrow();
        assertEquals(List.of("0.pool.ntp.org"), m1.ntp().upstream());
        assertFalse(m1.ntp().localClock());
        assertEquals("deploy", m1.connection().user());
        assertEquals("deploy", i.host("c1").orElseThrow().connection().user());
    }

    @Test
    void groupVarsFileFormsAndDirectoryOrder() throws Exception {
        Path inv = file("inv.yml", YAML);
        file("group_vars/clients/b.yml", "x: b\n");
        file("group_vars/clients/a.yml", "x: a\ny: a\n");
        file("group_vars/clients/.hidden.yml", "x: hidden\n");
        file("group_vars/clients/c.yml~", "x: backup\n");
        file("group_vars/clients/notes.txt", "x: text\n");
        file("group_vars/clients.yml", "x: shadowed by the directory\n");
        file("group_vars/masters", "z: no extension\n");
        file("host_vars/c1.json", "{\"h\": 1e3}\n");
        AnsibleInventory a = InventoryLoader.resolve(inv);
        assertEquals("b", a.hostVars("c1").get("x"), "files merge in name order, later wins");
        assertEquals("a", a.hostVars("c1").get("y"));
        assertEquals("no extension", a.hostVars("m1").get("z"));
        assertEquals(1000.0, a.hostVars("c1").get("h"), "JSON is read as JSON: 1e3 is a number there");
    }

    @Test
    void precedenceIsAnsibles() throws Exception {
        Path inv = file("inv.yml", """
                all:
                  vars: {v: inv-all, w: inv-all}
                  children:
                    masters:
                      hosts:
                        m1: {ansible_host: 10.0.0.1, v: inv-host}
                    clients:
                      vars: {w: inv-clients, p: clients}
                      children:
                        eu:
                          vars: {p: eu}
                          hosts:
                            c1: {ansible_host: 10.0.0.2}
                    zz:
                      vars: {q: zz, ansible_group_priority: 1}
                      hosts: {c1: }
                    aa:
                      vars: {q: aa, ansible_group_priority: 2}
                      hosts: {c1: }
                """);
        file("group_vars/all.yml", "w: file-all\nv: file-all\n");
        file("host_vars/m1.yml", "v: file-host\n");
        AnsibleInventory a = InventoryLoader.resolve(inv);
        assertEquals("file-host", a.hostVars("m1").get("v"), "host_vars file over inventory host var");
        assertEquals("file-all", a.hostVars("c1").get("w"), "group_vars/all.yml over the inventory's group vars, as Ansible");
        assertEquals("eu", a.hostVars("c1").get("p"), "a child group over its parent");
        assertEquals("aa", a.hostVars("c1").get("q"), "same depth: the higher ansible_group_priority wins over the name order");
        assertFalse(a.hostVars("c1").containsKey("ansible_group_priority"), "in the inventory it is the group's priority");
    }

    @Test
    void valuesFromVarsFilesKeepTheirPlaceInErrors() throws Exception {
        Path inv = file("inv.yml", YAML);
        Path gv = file("group_vars/all/ntp.yml", "# ntp\nntp_local_stratum: 99\n");
        assertTrue(error(inv).startsWith(gv + ":2:20: 'ntp_local_stratum' is 99, out of range"), error(inv));
        file("group_vars/all/ntp.yml", "ansible_ssh_pass: x\n");
        assertTrue(error(inv).startsWith(gv + ":1:1: 'ansible_ssh_pass' holds a password"), error(inv));
        file("group_vars/all/ntp.yml", "$ANSIBLE_VAULT;1.1;AES256\n6162\n");
        assertTrue(error(inv).contains("encrypted with Ansible Vault"), error(inv));
    }

    @Test
    void iniInventoryWithAnsiblesGrammarAndTyping() throws Exception {
        Path inv = file("hosts.ini", """
                # INI, the most common format
                [masters]
                m1 ansible_host=10.0.0.1 ansible_become=yes port_s="22" n=80 f=1.5 l="[1, 'a']" s='two words' o=0644 t=True
                [clients]
                c[1:3] ansible_host=10.0.0.9
                [clients:vars]
                ansible_port=2222
                g=yes
                [site:children]
                masters
                clients
                """.replace("c[1:3] ansible_host=10.0.0.9", "c1 ansible_host=10.0.0.2\nc[2:3]"));
        AnsibleInventory a = InventoryLoader.resolve(inv);
        Map<String, Object> m1 = a.hostVars("m1");
        assertEquals("yes", m1.get("ansible_become"), "a word, not a Python literal: Ansible keeps the string");
        assertEquals(22L, m1.get("port_s"), "shlex drops the quotes before literal_eval");
        assertEquals(80L, m1.get("n"));
        assertEquals(1.5, m1.get("f"));
        assertEquals(List.of(1L, "a"), m1.get("l"));
        assertEquals("two words", m1.get("s"));
        assertEquals("0644", m1.get("o"), "0644 is a syntax error in Python 3: kept as text");
        assertEquals(true, m1.get("t"));
        assertEquals(List.of("c1", "c2", "c3"), a.directHosts("clients"));
        assertEquals("yes", a.hostVars("c2").get("g"));
        assertEquals(List.of("ungrouped", "site"), a.children("all"));
        Inventory i = InventoryLoader.load(inv);
        assertTrue(i.host("m1").orElseThrow().connection().become(), "become as Ansible's connection reads 'yes'");
        assertEquals(true, i.host("m1").orElseThrow().vars().get("ansible_become"), "and templates see what the connection uses");
        assertEquals(2222, i.host("c3").orElseThrow().connection().port());
    }

    @Test
    void iniErrorsNameTheLine() throws Exception {
        Path inv = file("hosts.ini", "[masters]\nm1\n[clients:children]\nnowhere\n");
        assertTrue(error(inv).startsWith(inv + ":4:1: [clients:children] names group 'nowhere', which is never defined"),
                error(inv));
        file("hosts.ini", "[masters]\nm1 novalue\n");
        assertTrue(error(inv).startsWith(inv + ":2:4: expected key=value"), error(inv));
        file("hosts.ini", "[masters:bogus]\nm1\n");
        assertTrue(error(inv).contains("unknown type 'bogus'"), error(inv));
    }

    @Test
    void formatIsDetectedAsAnsibleDoesAndAFileThatIsNeitherIsNamed() throws Exception {
        Path ini = file("inventory", "[masters]\nm1 ansible_host=10.0.0.1\n[clients]\nc1 ansible_host=10.0.0.2\n");
        assertEquals(2, InventoryLoader.load(ini).hosts().size(), "no extension: YAML first, then INI");
        Path bad = file("broken.yml", "all:\n  children: [unclosed\n");
        String m = error(bad);
        assertTrue(m.startsWith(bad + ":3:1: YAML syntax error") && m.contains("read as INI instead"), m);
    }

    @Test
    void hostRangesAndPortsInYaml() throws Exception {
        Path inv = file("inv.yml", """
                all:
                  children:
                    masters:
                      hosts:
                        'm1:2200': {ansible_host: 10.0.0.1}
                    clients:
                      hosts:
                        web[01:10:3]:
                        db-[a:c]:
                """);
        AnsibleInventory a = InventoryLoader.resolve(inv);
        assertEquals(List.of("web01", "web04", "web07", "web10", "db-a", "db-b", "db-c"), a.directHosts("clients"));
        assertEquals(2200L, a.hostVars("m1").get("ansible_port"));
        file("inv.yml", YAML.replace("c1: {ansible_host: 10.0.0.2}", "web[1:99999999]:"));
        assertTrue(error(inv).contains("over ntpdeploy's limit of 10,000 hosts"), error(inv));
        file("inv.yml", YAML.replace("c1: {ansible_host: 10.0.0.2}", "web[01:100]:"));
        assertTrue(error(inv).contains("as many digits"), error(inv));
    }

    @Test
    void userVariablesAreTypedAsAnsiblesYaml11Loader() throws Exception {
        // yes/on became false, 0644 became 644, 0x1F stayed a string: Ansible reads true, 420, 31
        Path inv = file("inv.yml", YAML.replace("all:\n", """
                all:
                  vars:
                    a: yes
                    b: on
                    c: 0644
                    d: 0x1F
                    e: 1:30
                    f: 1e3
                    g: 1.0e+3
                    h: y
                    i: "0644"
                    j: 0b101
                    k: 123456789012345678901234567890
                    l: ~
                    m: 09
                """));
        Map<String, Object> v = InventoryLoader.load(inv).host("c1").orElseThrow().vars();
        assertEquals(true, v.get("a"));
        assertEquals(true, v.get("b"));
        assertEquals(420L, v.get("c"));
        assertEquals(31L, v.get("d"));
        assertEquals(90L, v.get("e"));
        assertEquals("1e3", v.get("f"), "PyYAML's float needs a dot");
        assertEquals(1000.0, v.get("g"));
        assertEquals("y", v.get("h"));
        assertEquals("0644", v.get("i"));
        assertEquals(5L, v.get("j"));
        assertEquals(new BigInteger("123456789012345678901234567890"), v.get("k"));
        assertTrue(v.containsKey("l") && v.get("l") == null);
        assertEquals("09", v.get("m"), "not octal, not decimal in YAML 1.1: a string");
    }

    @Test
    void ntpAndAnsibleValuesKeepStrictValidation() throws Exception {
        Path inv = file("inv.yml", YAML.replace("10.0.0.2}", "10.0.0.2, ansible_port: 0644}"));
        assertTrue(error(inv).contains("'ansible_port' must be a whole number from 1 to 65535 written in decimal, not '0644'"),
                error(inv));
        file("inv.yml", YAML.replace("10.0.0.2}", "10.0.0.2, ansible_become: maybe}"));
        assertTrue(error(inv).contains("'ansible_become' must be true or false"), error(inv));
    }

    @Test
    void hiddenValuesAndTheAnsibleInventoryShape() throws Exception {
        Path inv = file("inv.yml", YAML.replace("all:\n", "all:\n  vars:\n    db_password: hunter2\n"));
        String list = InventoryListing.list(InventoryLoader.resolve(inv));
        assertFalse(list.contains("hunter2"), list);
        assertTrue(list.contains(InventoryListing.HIDDEN), list);
        assertTrue(list.contains("\"children\": [\n            \"ungrouped\",\n            \"masters\",\n            \"clients\""), list);
        assertEquals("@all:\n  |--@ungrouped:\n  |--@masters:\n  |  |--m1\n  |--@clients:\n  |  |--c1\n",
                InventoryListing.graph(InventoryLoader.resolve(inv)));
    }
}

package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ansible's host patterns, with the examples of its documentation ("Patterns: targeting hosts and
 * groups", docs/docsite/rst/inventory_guide/intro_patterns.rst) over a fleet in their shape. Expected
 * orders were checked with ansible 2.14's 'ansible -i INV PATTERN --list-hosts'.
 */
class HostPatternTest {

    @TempDir
    Path dir;

    private AnsibleInventory inv;

    @BeforeEach
    void fleet() throws Exception {
        Path f = dir.resolve("hosts.ini");
        Files.writeString(f, """
                [webservers]
                web1.example.com
                web2.example.com
                web3.example.com
                one.example.com
                [dbservers]
                db1.example.org
                web3.example.com
                [staging]
                web2.example.com
                db1.example.org
                [atlanta]
                web1.example.com
                [phoenix]
                db1.example.org
                [lab]
                lab-h1
                lab-h2
                lab-h3
                192.0.2.10
                """);
        inv = InventoryLoader.resolve(f);
    }

    private List<String> hosts(String pattern) {
        return HostPattern.parse(pattern).select(inv);
    }

    @Test
    void allAndStarSelectEveryHost() {
        assertEquals(inv.groupHosts("all").orElseThrow(), hosts("all"));
        assertEquals(hosts("all"), hosts("*"));
        assertEquals(9, hosts("all").size());
    }

    @Test
    void hostsAndGroupsAndUnions() {
        assertEquals(List.of("web1.example.com"), hosts("web1.example.com"));
        assertEquals(List.of("web1.example.com", "db1.example.org"), hosts("web1.example.com:db1.example.org"));
        assertEquals(hosts("web1.example.com:db1.example.org"), hosts("web1.example.com,db1.example.org"));
        assertEquals(List.of("web1.example.com", "web2.example.com", "web3.example.com", "one.example.com"), hosts("webservers"));
        assertEquals(List.of("web1.example.com", "web2.example.com", "web3.example.com", "one.example.com",
                "db1.example.org"), hosts("webservers:dbservers"));
    }

    @Test
    void exclusionAndIntersectionApplyAfterUnionsWhateverTheOrder() {
        assertEquals(List.of("web2.example.com", "web3.example.com", "one.example.com"), hosts("webservers:!atlanta"));
        assertEquals(List.of("web2.example.com"), hosts("webservers:&staging"));
        // "all machines in webservers and dbservers that are also in staging, except those in phoenix"
        assertEquals(List.of("web2.example.com"), hosts("webservers:dbservers:&staging:!phoenix"));
        assertEquals(hosts("webservers:dbservers:&staging:!phoenix"), hosts("!phoenix:&staging:webservers:dbservers"));
        assertEquals(hosts("all:!webservers"), hosts("!webservers"), "only ! and &: start from all");
    }

    @Test
    void wildcardsAndRegexesMatchHostAndGroupNames() {
        assertEquals(List.of("192.0.2.10"), hosts("192.0.*"));
        assertEquals(List.of("web1.example.com", "web2.example.com", "web3.example.com", "one.example.com"), hosts("*.example.com"));
        assertEquals(List.of("one.example.com", "db1.example.org", "web3.example.com"), hosts("one*.com:dbservers"));
        assertEquals(List.of("web1.example.com", "web2.example.com", "web3.example.com", "db1.example.org"),
                hosts("~(web|db).*\\.example\\.(com|org)"));
        assertEquals(List.of("lab-h1", "lab-h2", "lab-h3"), hosts("lab-h?"));
        assertEquals(List.of("web1.example.com", "web2.example.com"), hosts("web[12].example.com"));
        // a glob matches group names too: [w]eb[!3]* matches the group webservers, so all of its hosts
        assertEquals(hosts("webservers"), hosts("[w]eb[!3]*"));
        assertEquals(List.of(), hosts("webservers:![w]eb[!3]*"));
    }

    @Test
    void subscriptsPickFromAGroupsHosts() {
        assertEquals(List.of("web1.example.com"), hosts("webservers[0]"));
        assertEquals(List.of("one.example.com"), hosts("webservers[-1]"));
        assertEquals(List.of("web1.example.com", "web2.example.com", "web3.example.com"), hosts("webservers[0:2]"));
        assertEquals(List.of("web2.example.com", "web3.example.com", "one.example.com"), hosts("webservers[1:]"));
        assertEquals(List.of("lab-h2"), hosts("lab-h*[1]"));
    }

    @Test
    void aRangeOfHostNamesIsASubscriptNotACharacterClass() {
        // lab-h[1:3] selected lab-h1 and lab-h3 (a character class); Ansible reads hosts 1 to 3 of a group
        // named lab-h, which does not exist, and selects nothing: ntpdeploy says so
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hosts("lab-h[1:3]"));
        assertTrue(e.getMessage().startsWith("--limit: 'lab-h[1:3]' matches no host or group"), e.getMessage());
        assertEquals(List.of("lab-h2", "lab-h3", "192.0.2.10"), hosts("lab[1:3]"));
    }

    @Test
    void aTermThatMatchesNothingIsAnErrorButAnExclusionOfNothingIsNot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hosts("webservrs"));
        assertTrue(e.getMessage().contains("'webservrs' matches no host or group"), e.getMessage());
        assertEquals(hosts("webservers"), hosts("webservers:!nothing*"));
    }

    @Test
    void hostsFromAFileOneAPerLine() throws IOException {
        Path retry = dir.resolve("retry.txt");
        Files.writeString(retry, "web2.example.com\n\n  db1.example.org  \nlab-h3\n");
        assertEquals(List.of("web2.example.com", "db1.example.org", "lab-h3"), hosts("@" + retry));
        assertEquals(List.of("web2.example.com", "lab-h3"), hosts("@" + retry + ",!dbservers"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hosts("@" + dir.resolve("none")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void aLimitKeepsTheBoundHostsInAnsiblesOrder() throws Exception {
        Path f = dir.resolve("inv.yml");
        Files.writeString(f, """
                all:
                  children:
                    masters: {hosts: {m1: {ansible_host: 10.0.0.1}}}
                    clients: {hosts: {c1: {ansible_host: 10.0.0.2}, c2: {ansible_host: 10.0.0.3}}}
                """);
        Inventory bound = InventoryLoader.load(f);
        assertEquals(List.of("m1", "c2"), HostPattern.parse("c2,masters").select(bound).stream().map(Host::name).toList());
    }
}

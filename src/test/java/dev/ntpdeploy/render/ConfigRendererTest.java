package dev.ntpdeploy.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRendererTest {

    private static final Path TEMPLATES = Path.of("templates");
    private final ConfigRenderer renderer = new ConfigRenderer(TEMPLATES);

    @TempDir
    Path dir;

    private static String expected(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/seed", name));
    }

    private String render(Inventory inv, String host, Flavor flavor) throws RenderException {
        return renderer.render(inv.host(host).orElseThrow(), inv, flavor);
    }

    private Inventory inventory(String yaml) throws Exception {
        Path f = dir.resolve("inv.yml");
        Files.writeString(f, yaml);
        return InventoryLoader.load(f);
    }

    private static String master(String vars) {
        return """
                all:
                  children:
                    masters:
                      vars:
                %s
                      hosts:
                        m1: {ansible_host: 10.0.0.1}
                    clients:
                      hosts:
                        c1: {ansible_host: 10.0.0.2}
                """.formatted(vars.indent(8).stripTrailing());
    }

    @Test
    void rendersTheSeedConfigsExactlyWithFlavorNtp() throws Exception {
        Inventory inv = InventoryLoader.load(Path.of("inventories/example.yml"));
        assertEquals(expected("master.conf"), render(inv, "host8461", Flavor.NTP));
        assertEquals(expected("client-host8462.conf"), render(inv, "host8462", Flavor.NTP));
    }

    @Test
    void rendersTheSeedIsolatedMasterExactly() throws Exception {
        Inventory inv = InventoryLoader.load(Path.of("inventories/example-isolated.yml"));
        assertEquals(expected("isolated-master.conf"), render(inv, "host8461", Flavor.NTP));
    }

    @Test
    void rendersTheSameBytesEveryTime() throws Exception {
        Inventory inv = InventoryLoader.load(Path.of("inventories/example.yml"));
        assertEquals(render(inv, "host8461", Flavor.NTPSEC), new ConfigRenderer(TEMPLATES).render(
                inv.host("host8461").orElseThrow(), InventoryLoader.load(Path.of("inventories/example.yml")), Flavor.NTPSEC));
    }

    @Test
    void rendersNtpsecWithoutKeywordsItIgnores() throws Exception {
        Inventory inv = InventoryLoader.load(Path.of("inventories/example.yml"));
        String m = render(inv, "host8461", Flavor.NTPSEC);
        assertEquals("""
                # managed by ntpdeploy for host8461 (master, ntpsec): edit the inventory, not this file
                driftfile /var/lib/ntpsec/ntp.drift
                restrict default kod limited nomodify noquery
                restrict -6 default kod limited nomodify noquery
                restrict 127.0.0.1
                restrict ::1
                restrict 192.168.84.0 mask 255.255.255.0 nomodify
                server 0.centos.pool.ntp.org iburst
                server 1.centos.pool.ntp.org iburst
                server 2.centos.pool.ntp.org iburst
                server 3.centos.pool.ntp.org iburst
                """, m);
        String c = render(inv, "host8463", Flavor.NTPSEC);
        assertTrue(c.contains("\nrestrict 127.0.0.1\nrestrict ::1\nserver 192.168.84.61 iburst\n"), c);
        for (String word : List.of("notrap", "nopeer", "includefile", "keys", "disable monitor")) {
            assertFalse(m.contains(word) || c.contains(word), word);
        }
    }

    @Test
    void rendersIpv6AllowLinesPerFlavor() throws Exception {
        Inventory inv = inventory(master("ntp_allow: ['2001:db8:84:0::/64', 192.168.84.0/24, 'fd00::1/128']"));
        String classic = render(inv, "m1", Flavor.NTP);
        assertTrue(classic.contains("restrict -6 2001:db8:84:: mask ffff:ffff:ffff:ffff:: nomodify notrap\n"
                + "restrict 192.168.84.0 mask 255.255.255.0 nomodify notrap\n"
                + "restrict -6 fd00::1 mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff nomodify notrap\n"), classic);
        // ntpsec 1.2.2 rejects "restrict -6 ADDR mask M" as a syntax error
        String ntpsec = render(inv, "m1", Flavor.NTPSEC);
        assertTrue(ntpsec.contains("restrict 2001:db8:84:: mask ffff:ffff:ffff:ffff:: nomodify\n"), ntpsec);
    }

    @Test
    void servesOnlyTheAllowListWhenServeOthersIsFalse() throws Exception {
        Inventory inv = inventory(master("ntp_allow: [10.0.0.0/24]\nntp_serve_others: false"));
        String ntpsec = render(inv, "m1", Flavor.NTPSEC);
        assertTrue(ntpsec.contains("""
                restrict default ignore
                restrict -6 default ignore
                restrict source nomodify noquery
                restrict 127.0.0.1
                restrict ::1
                restrict 10.0.0.0 mask 255.255.255.0 nomodify
                """), ntpsec);
        assertFalse(ntpsec.contains("kod"), ntpsec);
        String classic = render(inv, "m1", Flavor.NTP);
        assertTrue(classic.contains("""
                restrict default ignore
                restrict -6 default ignore
                restrict source nomodify notrap noquery
                restrict 127.0.0.1
                restrict -6 ::1
                restrict 10.0.0.0 mask 255.255.255.0 nomodify notrap
                """), classic);
        // the client keeps the default: its own variable, not the master's
        assertTrue(render(inv, "c1", Flavor.NTPSEC).contains("restrict default kod limited nomodify noquery\n"));
    }

    @Test
    void givesClientsOneServerLinePerMaster() throws Exception {
        Inventory inv = inventory("""
                all:
                  vars: {ntp_minpoll: 4, ntp_maxpoll: 6}
                  children:
                    masters:
                      hosts:
                        m1: {ansible_host: 10.0.0.1}
                        m2: {ansible_host: 10.0.0.5, ntp_server_address: ntp2.example.net}
                    clients:
                      hosts:
                        c1: {ansible_host: 10.0.0.2}
                """);
        String c = render(inv, "c1", Flavor.NTP);
        assertTrue(c.contains("\nserver 10.0.0.1 iburst minpoll 4 maxpoll 6\nserver ntp2.example.net iburst minpoll 4 maxpoll 6\n"), c);
        String m = render(inv, "m1", Flavor.NTP);
        assertTrue(m.contains("\nserver 127.127.1.0 minpoll 4 maxpoll 6\nfudge 127.127.1.0 stratum 10\n"), m);
    }

    @Test
    void rendersOrphanModeLocalClockFallbackAndExtraLines() throws Exception {
        Inventory inv = inventory(master("""
                ntp_upstream: [192.0.2.1]
                ntp_local_clock: true
                ntp_local_stratum: 12
                ntp_orphan_stratum: 10
                ntp_orphan_wait: 30
                ntp_iburst: false
                ntp_extra: ['tinker panic 0', 'tos minsane 1']
                """));
        String m = render(inv, "m1", Flavor.NTPSEC);
        assertTrue(m.endsWith("""
                server 192.0.2.1
                server 127.127.1.0
                fudge 127.127.1.0 stratum 12
                tos orphan 10
                tos orphanwait 30
                tinker panic 0
                tos minsane 1
                """), m);
        String c = render(inv, "c1", Flavor.NTP);
        assertFalse(c.contains("orphan") || c.contains("127.127.1.0") || c.contains("restrict 10."), c);
        assertTrue(c.endsWith("server 10.0.0.1 iburst\nincludefile /etc/ntp/crypto/pw\nkeys /etc/ntp/keys\ndisable monitor\n"),
                "the masters' vars do not reach the client: " + c);
    }

    @Test
    void writesValuesRawWithoutHtmlEscaping(@TempDir Path templates) throws Exception {
        Files.writeString(templates.resolve("ntp.conf.client.mustache"), "x {{note}} {{{note}}}\n");
        Inventory inv = inventory(master("ntp_iburst: true").replace("c1: {ansible_host: 10.0.0.2}",
                "c1: {ansible_host: 10.0.0.2, note: 'a&b <c> \"d\" e=f'}"));
        String c = new ConfigRenderer(templates).render(inv.host("c1").orElseThrow(), inv, Flavor.NTP);
        assertTrue(c.endsWith("\nx a&b <c> \"d\" e=f a&b <c> \"d\" e=f\n"), c);
    }

    @Test
    void failsOnAMissingVariableNamingTemplateAndLine(@TempDir Path templates) throws Exception {
        Files.writeString(templates.resolve("ntp.conf.client.mustache"), "driftfile {{drift_file}}\n\nserver {{ntp_sever}}\n");
        RenderException e = renderFails(templates, "c1");
        assertEquals(templates.resolve("ntp.conf.client.mustache") + ":3: variable 'ntp_sever' is not set for host 'c1'"
                + " (define 'ntp_sever' in the inventory's vars, or remove it from the template)", e.getMessage());
    }

    private RenderException renderFails(Path templates, String host) throws Exception {
        Inventory inv = inventory(master("ntp_iburst: true"));
        return assertThrows(RenderException.class,
                () -> new ConfigRenderer(templates).render(inv.host(host).orElseThrow(), inv, Flavor.NTP));
    }

    @Test
    void failsOnAMissingSectionVariableToo(@TempDir Path templates) throws Exception {
        Files.writeString(templates.resolve("ntp.conf.master.mustache"), "{{#peers}}\npeer {{.}}\n{{/peers}}\n");
        RenderException e = renderFails(templates, "m1");
        assertTrue(e.getMessage().startsWith(templates.resolve("ntp.conf.master.mustache") + ":1: variable 'peers'"),
                e.getMessage());
    }

    @Test
    void failsOnAMissingTemplate(@TempDir Path templates) throws Exception {
        RenderException e = renderFails(templates, "m1");
        assertTrue(e.getMessage().startsWith(templates.resolve("ntp.conf.master.mustache") + ": template not found"),
                e.getMessage());
    }
}

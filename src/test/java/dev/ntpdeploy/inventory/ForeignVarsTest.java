package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's existing group_vars, written for another NTP role (geerlingguy.ntp's defaults/main.yml names,
 * kubespray's), load unchanged where ignoring a variable is harmless, and are refused where it would be wrong.
 */
class ForeignVarsTest {

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
    void harmlessForeignVariablesAreIgnoredWithOneWarningEach() throws Exception {
        Path inv = file("inv.yml", YAML);
        // geerlingguy.ntp's defaults, as an operator's group_vars/all.yml often copies them
        Path all = file("group_vars/all.yml", "ntp_enabled: true\nntp_timezone: Etc/UTC\nntp_manage_config: true\n"
                + "ntp_upstream: [10.0.0.9]\n");
        file("group_vars/clients.yml", "ntp_timezone: Europe/Berlin\n");
        Inventory i = InventoryLoader.load(inv);
        List<String> w = i.ansible().warnings();
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.get(0).startsWith(all + ":1:1: warning: 'ntp_enabled' is not an ntpdeploy variable"), w.get(0));
        assertTrue(w.get(1).startsWith(all + ":2:1: warning: 'ntp_timezone'"), "once, where first seen: " + w);
        assertEquals(List.of("10.0.0.9"), i.host("m1").orElseThrow().ntp().upstream(), "ntpdeploy's own still read");
        assertEquals("Europe/Berlin", i.host("c1").orElseThrow().vars().get("ntp_timezone"), "templates still see it");
    }

    @Test
    void aForeignNameCloseToNoneOfOursIsIgnoredButATypoIsRefused() throws Exception {
        Path inv = file("inv.yml", YAML.replace("{ansible_host: 10.0.0.1}", "{ansible_host: 10.0.0.1, ntp_chrony_sync_mode: x}"));
        assertTrue(InventoryLoader.load(inv).ansible().warnings().get(0).contains("'ntp_chrony_sync_mode' is not an ntpdeploy"));
        file("inv.yml", YAML.replace("{ansible_host: 10.0.0.1}", "{ansible_host: 10.0.0.1, ntp_upstrem: [a]}"));
        assertTrue(error(inv).endsWith("unknown variable 'ntp_upstrem' (did you mean 'ntp_upstream'?)"), error(inv));
    }

    @Test
    void foreignVariablesThatWouldBeWrongToIgnoreAreRefusedWithTheNameToUse() throws Exception {
        Path inv = file("inv.yml", YAML);
        Path masters = file("group_vars/masters.yml", "# from geerlingguy.ntp\nntp_servers:\n  - 0.pool.ntp.org iburst\n");
        assertEquals(masters + ":2:1: 'ntp_servers' is another Ansible role's variable, which ntpdeploy does not read"
                + " (use ntp_upstream: a list of server names or addresses (ntp_iburst adds 'iburst'))", error(inv));
        file("group_vars/masters.yml", "ntp_restrict: ['restrict 10.0.0.0 mask 255.0.0.0']\n");
        assertTrue(error(inv).contains("use ntp_allow"), error(inv));
        file("group_vars/masters.yml", "ntp_enabled: false\n");
        assertTrue(error(inv).startsWith(masters + ":1:1: 'ntp_enabled' is false"), error(inv));
        Path ini = file("hosts.ini", "[masters]\nm1 ntp_manage_config=no\n[clients]\nc1\n");
        Files.delete(masters);
        assertTrue(error(ini).startsWith(ini + ":2:4: 'ntp_manage_config' is false"), error(ini));
        file("hosts.ini", "[masters]\nm1\n[clients]\nc1\n[all:vars]\nntp_servers=\"['a']\"\n");
        assertTrue(error(ini).startsWith(ini + ":6:1: 'ntp_servers' is another Ansible role's variable"), error(ini));
    }

    @Test
    void varsFilesNamingNoGroupOrHostAreWarnedOf() throws Exception {
        Path inv = file("inv.yml", YAML);
        Path typo = file("group_vars/mastres.yml", "ntp_upstream: [10.0.0.9]\n");
        Path gone = file("host_vars/c9", "ansible_user: deploy\n");
        file("group_vars/all/main.yml", "ansible_user: ntp\n");
        file("group_vars/clients.yml~", "backup: ignored\n");
        List<String> w = InventoryLoader.load(inv).ansible().warnings();
        assertEquals(List.of(typo + ": warning: the inventory has no group 'mastres', so these variables apply to no host"
                        + " (did you mean 'masters'?)",
                gone + ": warning: the inventory has no host 'c9', so these variables apply to no host (did you mean 'c1'?)"), w);
    }
}

package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every limit of {@link Limits}: an inventory at the limit loads, one just past it is refused with the limit and the place. */
class InventoryLimitsTest {

    @TempDir
    Path dir;

    private static final String MINIMAL = InventoryFiles.MINIMAL;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("inv.yml");
        Files.writeString(f, yaml);
        return f;
    }

    private Inventory load(String yaml) throws Exception {
        return InventoryLoader.load(write(yaml));
    }

    /** The error for this inventory: it starts with where, and names the limit. */
    private String refused(String yaml, String where, String limit, String... fragments) throws IOException {
        Path f = write(yaml);
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryLoader.load(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + where + ": "), "place in: " + m);
        assertTrue(m.contains("over ntpdeploy's limit of " + limit), "limit in: " + m);
        for (String s : fragments) {
            assertTrue(m.contains(s), "'" + s + "' missing in: " + m);
        }
        assertTrue(m.length() < 400 && !m.contains("\n"), "one short line: " + m);
        return m;
    }

    @Test
    void fileSize() throws Exception {
        String line = "#" + "-".repeat(998) + "\n";
        StringBuilder sb = new StringBuilder(MINIMAL);
        while (sb.length() + line.length() <= Limits.FILE_BYTES) {
            sb.append(line);
        }
        sb.append("#".repeat(Limits.FILE_BYTES - sb.length() - 1)).append('\n');
        assertEquals(Limits.FILE_BYTES, sb.toString().getBytes(StandardCharsets.UTF_8).length);
        assertEquals(2, load(sb.toString()).hosts().size());
        refused(sb + "#", "", "4,194,304 bytes", "4,194,305 bytes");
    }

    @Test
    void scalarLength() throws Exception {
        String at = "x".repeat(Limits.SCALAR_CHARS);
        assertEquals(at, load(MINIMAL.replace("all:\n", "all:\n  vars:\n    note: " + at + "\n"))
                .host("c1").orElseThrow().vars().get("note"));
        refused(MINIMAL.replace("all:\n", "all:\n  vars:\n    note: " + at + "y\n"), ":3:11", "4,096 characters",
                "'note'", "4,097 characters");
        // a key that long must be explicit ('? KEY' then ': VALUE'): YAML limits plain keys to 1024 characters
        assertTrue(load(MINIMAL.replace("all:\n", "all:\n  vars:\n    ? " + at + "\n    : 1\n")).host("c1").isPresent());
        String m = refused(MINIMAL.replace("all:\n", "all:\n  vars:\n    ? " + at + "y\n    : 1\n"), ":3:7", "4,096 characters",
                "a key of 4,097 characters");
        assertFalse(m.contains(at), "never echoes the whole value");
    }

    @Test
    void listLength() throws Exception {
        String at = "[" + "1, ".repeat(Limits.LIST_ITEMS - 1) + "1]";
        assertEquals(Limits.LIST_ITEMS, ((java.util.List<?>) load(MINIMAL.replace("all:\n", "all:\n  vars:\n    x: " + at + "\n"))
                .host("c1").orElseThrow().vars().get("x")).size());
        refused(MINIMAL.replace("all:\n", "all:\n  vars:\n    x: [" + "1, ".repeat(Limits.LIST_ITEMS) + "1]\n"),
                ":3:" + (9 + 3 * Limits.LIST_ITEMS), "1,000 items", "item 1,001 of 'x'");
    }

    @Test
    void fiftyThousandUpstreamsAreRefusedAtTheFirstItemPastTheLimit() throws IOException {
        StringBuilder ups = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            ups.append("          - s").append(i).append(".example.net\n");
        }
        refused(MINIMAL.replace("m1: {ansible_host: 10.0.0.1}", "m1:\n          ansible_host: 10.0.0.1\n          ntp_upstream:\n" + ups),
                ":" + (8 + Limits.LIST_ITEMS) + ":13", "1,000 items", "'ntp_upstream'");
    }

    @Test
    void nestingDepth() throws Exception {
        // the document (1) > all's mapping (2) > vars' mapping (3) > 61 lists: 64 levels
        int lists = Limits.NESTING - 3;
        assertTrue(load(MINIMAL.replace("all:\n", "all:\n  vars:\n    x: " + "[".repeat(lists) + "]".repeat(lists) + "\n"))
                .host("c1").isPresent());
        refused(MINIMAL.replace("all:\n", "all:\n  vars:\n    x: " + "[".repeat(lists + 1) + "]".repeat(lists + 1) + "\n"),
                ":3:" + (8 + lists), "64 levels");
        // far past it: refused at the same place, never a StackOverflowError
        refused(MINIMAL.replace("all:\n", "all:\n  vars:\n    x: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n"),
                ":3:" + (8 + lists), "64 levels");
    }

    /** An inventory with one master and {@code clients} clients, each client named for its own address. */
    private static String fleet(int clients) {
        StringBuilder sb = new StringBuilder(MINIMAL.replace("        c1: {ansible_host: 10.0.0.2}\n", ""));
        for (int i = 1; i <= clients; i++) {
            sb.append("        c").append(i).append(":\n");
        }
        return sb.toString();
    }

    @Test
    void numberOfHosts() throws Exception {
        assertEquals(Limits.HOSTS, load(fleet(Limits.HOSTS - 1)).hosts().size());
        refused(fleet(Limits.HOSTS), ":" + (7 + Limits.HOSTS) + ":9", "10,000 hosts", "'c10000'");
    }

    @Test
    void numberOfGroups() throws Exception {
        StringBuilder sb = new StringBuilder(MINIMAL);
        for (int i = 1; i <= Limits.GROUPS - 3; i++) { // all, masters and clients are groups too
            sb.append("g").append(i).append(":\n");
        }
        assertEquals(2, load(sb.toString()).hosts().size());
        refused(sb + "one_more:\n", ":" + (9 + Limits.GROUPS - 3) + ":1", "10,000 groups", "'one_more'");
    }

    @Test
    void groupsPerHost() throws Exception {
        StringBuilder sb = new StringBuilder(MINIMAL);
        for (int i = 1; i < Limits.GROUPS_PER_HOST; i++) { // and clients
            sb.append("g").append(i).append(": {hosts: {c1: }}\n");
        }
        assertEquals(Limits.GROUPS_PER_HOST, load(sb.toString()).host("c1").orElseThrow().groups().size());
        refused(sb + "one_more: {hosts: {c1: }}\n", ":8:9", "250 groups", "host 'c1' is in too many groups");
    }

    @Test
    void variablesPerHost() throws Exception {
        // m1 and c1 each declare ansible_host and inherit all's variables
        StringBuilder vars = new StringBuilder("all:\n  vars:\n");
        for (int i = 1; i < Limits.VARS_PER_HOST; i++) {
            vars.append("    v").append(i).append(": ").append(i).append('\n');
        }
        String at = MINIMAL.replace("all:\n", vars.toString());
        assertEquals(Limits.VARS_PER_HOST, load(at).host("m1").orElseThrow().vars().size());
        refused(at.replace("  children:", "    one_more: 1\n  children:"), ":" + (6 + Limits.VARS_PER_HOST) + ":9",
                "1,000 variables", "host 'm1' has 1,001 variables");
    }
}

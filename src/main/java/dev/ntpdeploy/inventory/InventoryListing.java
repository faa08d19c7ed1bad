package dev.ntpdeploy.inventory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An inventory shown as {@code ansible-inventory} shows it (cli/inventory.py): {@code --list} as JSON with
 * one object per group ({@code hosts}, {@code children}; empty ones left out) and {@code _meta.hostvars}
 * holding each host's resolved variables (no defaults added, hosts without variables left out);
 * {@code --host} as one host's variables; {@code --graph} as the tree. Keys sorted, 4-space indent, as
 * Ansible prints. A value whose name looks like a secret is never shown.
 */
public final class InventoryListing {

    /** What stands for a secret-looking variable's value. */
    public static final String HIDDEN = "<hidden: the name looks like a secret>";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS) // Infinity and NaN bare, as Python's json writes them
            .build();

    private InventoryListing() {
    }

    /** {@code ansible-inventory --list}. */
    public static String list(AnsibleInventory inv) {
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        formatGroup(inv, InventoryData.ALL, out, seen);
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (String h : inv.hosts()) {
            Map<String, Object> vars = shown(inv.hostVars(h));
            if (!vars.isEmpty()) {
                hostvars.put(h, vars);
            }
        }
        out.put("_meta", Map.of("hostvars", hostvars));
        return write(out);
    }

    /** Ansible's json_inventory.format_group: each group once, reached from all. */
    private static void formatGroup(AnsibleInventory inv, String group, Map<String, Object> out, Set<String> seen) {
        Map<String, Object> g = new LinkedHashMap<>();
        if (!group.equals(InventoryData.ALL) && !inv.directHosts(group).isEmpty()) {
            g.put("hosts", inv.directHosts(group));
        }
        List<String> children = inv.children(group);
        if (!children.isEmpty()) {
            g.put("children", children);
        }
        if (!g.isEmpty()) {
            out.put(group, g);
        }
        for (String c : children) {
            if (seen.add(c)) {
                formatGroup(inv, c, out, seen);
            }
        }
    }

    /** {@code ansible-inventory --host NAME}: the host's variables. */
    public static String host(AnsibleInventory inv, String host) throws InventoryException {
        if (!inv.hasHost(host)) {
            throw new InventoryException(inv.source() + ": no host " + Excerpt.quote(host) + " in the inventory"
                    + (inv.hosts().isEmpty() ? "" : " (hosts are named like " + Excerpt.quote(inv.hosts().get(0)) + ")"));
        }
        return write(shown(inv.hostVars(host)));
    }

    /** {@code ansible-inventory --graph}. */
    public static String graph(AnsibleInventory inv) {
        List<String> lines = new ArrayList<>();
        graph(inv, InventoryData.ALL, 0, lines);
        return String.join("\n", lines) + "\n";
    }

    private static void graph(AnsibleInventory inv, String group, int depth, List<String> lines) {
        lines.add(indent(depth) + "@" + group + ":");
        for (String c : inv.children(group)) {
            graph(inv, c, depth + 1, lines);
        }
        if (!group.equals(InventoryData.ALL)) {
            inv.directHosts(group).forEach(h -> lines.add(indent(depth + 1) + h));
        }
    }

    private static String indent(int depth) {
        return depth == 0 ? "" : "  |".repeat(depth) + "--";
    }

    /** {@code ansible PATTERN --list-hosts}. */
    public static String listHosts(List<String> hosts) {
        StringBuilder sb = new StringBuilder("  hosts (" + hosts.size() + "):\n");
        hosts.forEach(h -> sb.append("    ").append(h).append('\n'));
        return sb.toString();
    }

    private static Map<String, Object> shown(Map<String, Object> vars) {
        Map<String, Object> out = new LinkedHashMap<>();
        vars.forEach((k, v) -> out.put(k, AnsibleInventory.isSecret(k) ? HIDDEN : v));
        return out;
    }

    private static String write(Object value) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER) // "key": value, as Python's json
                .withObjectEmptySeparator("").withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("    ", "\n"))
                .withArrayIndenter(new DefaultIndenter("    ", "\n"));
        try {
            return JSON.writer(pp).writeValueAsString(value) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}

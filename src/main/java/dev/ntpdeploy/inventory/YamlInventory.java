package dev.ntpdeploy.inventory;

import dev.ntpdeploy.inventory.GroupGraph.Group;
import dev.ntpdeploy.inventory.VarParser.Var;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Ansible's YAML inventory plugin: every top-level key is a group ({@code all} among them), each group a
 * mapping of {@code hosts:} (names or ranges, each with its variables), {@code vars:} and {@code children:}.
 * Stricter than Ansible where Ansible only warns and skips (an unknown key in a group, a group that is
 * not a mapping): a skipped line is a setting silently lost.
 */
final class YamlInventory {

    private static final List<String> GROUP_KEYS = List.of("hosts", "vars", "children");
    static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._:-]*");

    private final InventoryData data;

    private YamlInventory(InventoryData data) {
        this.data = data;
    }

    static void read(YamlNode.Mapping top, InventoryData data) throws InventoryException {
        YamlInventory r = new YamlInventory(data);
        if (top.entries().containsKey("plugin")) {
            throw new InventoryException(top.entries().get("plugin").keyPos() + ": this is an inventory plugin's"
                    + " configuration, not an inventory (ntpdeploy reads YAML and INI inventories only; run"
                    + " 'ansible-inventory -i FILE --list -y > static.yml' and use that file)");
        }
        for (YamlNode.Entry e : top.entries().values()) {
            r.readGroup(data.group(e.key(), e.keyPos()), e.value());
        }
    }

    private void readGroup(Group g, YamlNode node) throws InventoryException {
        if (node instanceof YamlNode.Scalar s && s.isNull()) {
            return;
        }
        if (!(node instanceof YamlNode.Mapping m)) {
            throw new InventoryException(node.pos() + ": group " + Excerpt.quote(g.name) + " must be a mapping with 'hosts:',"
                    + " 'vars:' or 'children:', not " + node.kind() + " (see inventories/example.yml)");
        }
        for (YamlNode.Entry e : m.entries().values()) {
            switch (e.key()) {
                case "vars" -> {
                    for (YamlNode.Entry v : entries(e, "variables of group " + Excerpt.quote(g.name))) {
                        data.setGroupVar(g, new Var(v.key(), v.keyPos(), v.value()));
                    }
                }
                case "hosts" -> readHosts(g, e);
                case "children" -> {
                    for (YamlNode.Entry c : entries(e, "group names")) {
                        Group child = data.group(c.key(), c.keyPos());
                        data.graph.link(g, child, c.keyPos());
                        readGroup(child, c.value()); // recursion follows the YAML nesting, bounded by Limits.NESTING
                    }
                }
                default -> throw new InventoryException(e.keyPos() + ": unknown key " + Excerpt.quote(e.key()) + " in group "
                        + Excerpt.quote(g.name) + " (" + DidYouMean.nearest(e.key(), GROUP_KEYS).map(n -> "did you mean '" + n + "'? ")
                        .orElse("") + "a group holds only 'hosts:', 'vars:' and 'children:'; variables go under 'vars:')");
            }
        }
    }

    /** The entries of a mapping value; an empty value has none. */
    static List<YamlNode.Entry> entries(YamlNode.Entry e, String what) throws InventoryException {
        if (e.value() instanceof YamlNode.Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(e.value() instanceof YamlNode.Mapping m)) {
            throw new InventoryException(e.value().pos() + ": " + Excerpt.quote(e.key()) + " must be a mapping of " + what
                    + ", not " + e.value().kind() + " (write one 'name:' per line, indented under '" + Excerpt.plain(e.key()) + ":')");
        }
        return List.copyOf(m.entries().values());
    }

    private void readHosts(Group g, YamlNode.Entry e) throws InventoryException {
        for (YamlNode.Entry h : entries(e, "host names")) {
            for (String name : addHosts(data, g, h.key(), h.keyPos())) {
                if (h.value() instanceof YamlNode.Scalar s && s.isNull()) {
                    continue;
                }
                for (YamlNode.Entry v : entries(h, "variables of host " + Excerpt.quote(name))) {
                    data.setHostVar(name, new Var(v.key(), v.keyPos(), v.value()));
                }
            }
        }
    }

    /**
     * Expands one host entry (ranges, a :PORT suffix) and adds each host to the group. Shared by both
     * formats, so a host name is read and checked the same way wherever it is written.
     *
     * @return the names the entry stands for
     */
    static List<String> addHosts(InventoryData data, Group g, String entry, SourcePos pos) throws InventoryException {
        HostRange.Expanded x;
        try {
            x = HostRange.expand(entry, Limits.HOSTS + 1); // one entry past the limit is refused before it is expanded
        } catch (IllegalArgumentException bad) {
            throw new InventoryException(pos + ": host " + Excerpt.quote(entry) + ": " + bad.getMessage());
        }
        for (String name : x.names()) {
            if (!HOST_NAME.matcher(name).matches()) {
                throw new InventoryException(pos + ": host name " + Excerpt.quote(name) + " is not valid (use letters,"
                        + " digits and . _ - :, as in a DNS name or IP address; put the address in ansible_host)");
            }
            data.addHost(g, name, pos, x.port());
        }
        return x.names();
    }
}

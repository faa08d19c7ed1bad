package dev.ntpdeploy.inventory;

import dev.ntpdeploy.inventory.GroupGraph.Group;
import dev.ntpdeploy.inventory.VarParser.Var;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An inventory source as Ansible's InventoryData holds it once a plugin (YAML or INI) has read it:
 * groups with their own variables, hosts in the order first declared, each host's direct groups and
 * its own variables. Both readers fill one of these, so the rules Ansible applies after parsing
 * ({@link #reconcile}: parentless groups under {@code all}, {@code ungrouped}) are written once.
 */
final class InventoryData {

    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";
    static final String PRIORITY = "ansible_group_priority";

    final Path file;
    final GroupGraph graph;
    /** Each host with where it is first declared, in that order (Ansible's inventory order). */
    final Map<String, SourcePos> hosts = new LinkedHashMap<>();
    /** Each host's direct groups (all only when declared right under it). */
    final Map<String, Set<String>> hostGroups = new LinkedHashMap<>();
    final Map<String, Map<String, Var>> hostVars = new LinkedHashMap<>();
    final Warnings warnings = new Warnings();

    InventoryData(Path file) throws InventoryException {
        this.file = file;
        SourcePos top = new SourcePos(file, 1, 1);
        this.graph = new GroupGraph(ALL, top);
        graph.link(graph.get(ALL), graph.declare(UNGROUPED, top), top); // as Ansible: all's first child, always
    }

    Group group(String name, SourcePos pos) throws InventoryException {
        SafeText.key(name, pos);
        return graph.declare(name, pos);
    }

    /** Adds a host to a group; a port written as {@code host:PORT} is the new host's ansible_port, as in Ansible. */
    void addHost(Group g, String name, SourcePos pos, OptionalInt port) throws InventoryException {
        if (!hosts.containsKey(name)) {
            SafeText.key(name, pos);
            if (hosts.size() == Limits.HOSTS) {
                throw Limits.exceeded(pos, "host " + Excerpt.quote(name) + " makes " + Excerpt.count(Limits.HOSTS + 1L)
                        + " hosts", Limits.HOSTS, "hosts", "split the fleet into several inventories, e.g. one per site");
            }
            hosts.put(name, pos);
            hostGroups.put(name, new LinkedHashSet<>());
            hostVars.put(name, new LinkedHashMap<>());
            if (port.isPresent()) {
                String text = String.valueOf(port.getAsInt());
                setHostVar(name, new Var(Vars.ANSIBLE_PORT, pos,
                        new YamlNode.Scalar(pos, text, YamlNode.Scalar.Type.INT)));
            }
        }
        g.hosts.putIfAbsent(name, pos);
        hostGroups.get(name).add(g.name);
    }

    /** Checks a declared variable where it is written: its name, and its value if ntpdeploy reads it. */
    static void check(Var v, Warnings warnings) throws InventoryException {
        SafeText.check(v); // first: whatever the source, no value reaches a check, a template or a shell unchecked
        Vars.checkName(v.key(), v.keyPos(), v.value(), warnings);
        VarParser.parse(v); // every declared value is checked, even one a more specific level overrides
    }

    void setGroupVar(Group g, Var v) throws InventoryException {
        check(v, warnings);
        if (PRIORITY.equals(v.key())) { // Ansible keeps it as the group's priority, not as a variable
            g.priority = (Integer) VarParser.parse(v);
            return;
        }
        g.vars.put(v.key(), v);
    }

    void setHostVar(String host, Var v) throws InventoryException {
        check(v, warnings);
        hostVars.get(host).put(v.key(), v);
    }

    /**
     * Ansible's reconcile_inventory: every group without a parent becomes a child of all (in the order
     * the groups were declared), a host in no group but all is in ungrouped, and a host in another
     * group leaves ungrouped. Then the graph is checked for cycles and depths are computed.
     */
    void reconcile() throws InventoryException {
        Group all = graph.get(ALL);
        for (Group g : graph.all()) {
            if (!g.name.equals(ALL) && g.parents.isEmpty()) {
                graph.link(all, g, g.pos);
            }
        }
        Group ungrouped = graph.get(UNGROUPED);
        for (Map.Entry<String, Set<String>> h : hostGroups.entrySet()) {
            Set<String> groups = h.getValue();
            boolean elsewhere = groups.stream().anyMatch(n -> !n.equals(ALL) && !n.equals(UNGROUPED));
            if (groups.contains(UNGROUPED) && elsewhere) {
                groups.remove(UNGROUPED);
                ungrouped.hosts.remove(h.getKey());
            } else if (!elsewhere && !groups.contains(UNGROUPED)) {
                groups.add(UNGROUPED);
                ungrouped.hosts.put(h.getKey(), hosts.get(h.getKey()));
            }
        }
        graph.seal();
    }
}

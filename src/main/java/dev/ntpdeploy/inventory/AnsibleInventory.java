package dev.ntpdeploy.inventory;

import dev.ntpdeploy.inventory.GroupGraph.Group;
import dev.ntpdeploy.inventory.VarParser.Var;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An inventory as Ansible resolves it, before ntpdeploy gives hosts roles: every host and group, and each
 * host's variables merged in Ansible's order (VariableManager.get_vars with the default
 * VARIABLE_PRECEDENCE):
 * <ol>
 *   <li>the inventory file's {@code all} vars, then its other groups' vars;</li>
 *   <li>{@code group_vars/all} of each vars directory, then {@code group_vars/GROUP} of each directory;</li>
 *   <li>the inventory file's host vars, then {@code host_vars/HOST} of each directory.</li>
 * </ol>
 * Groups merge shallowest first, then by {@code ansible_group_priority} (higher wins), then by name, so
 * a child group overrides its parent. Note that group_vars files override the inventory file's group
 * vars, whatever the group: Ansible's order, kept. This is what {@code ansible-inventory --list} shows.
 */
public final class AnsibleInventory {

    private final InventoryData data;
    private final Map<String, Map<String, Var>> vars;
    private final Map<String, List<String>> memberOf;

    private AnsibleInventory(InventoryData data, Map<String, Map<String, Var>> vars, Map<String, List<String>> memberOf) {
        this.data = data;
        this.vars = vars;
        this.memberOf = memberOf;
    }

    /**
     * @param dirs the directories whose group_vars/ and host_vars/ apply, in precedence order (the
     *             inventory's first; later ones, such as a playbook's, override it)
     */
    static AnsibleInventory resolve(InventoryData data, List<VarsFiles> dirs) throws InventoryException {
        Map<String, Map<String, Var>> vars = new LinkedHashMap<>();
        Map<String, List<String>> memberOf = new LinkedHashMap<>();
        Group all = data.graph.get(InventoryData.ALL);
        for (Map.Entry<String, SourcePos> h : data.hosts.entrySet()) {
            String name = h.getKey();
            Set<String> groups = data.graph.ancestorsAndSelf(data.hostGroups.get(name), Limits.GROUPS_PER_HOST + 1);
            groups.remove(InventoryData.ALL);
            if (groups.size() > Limits.GROUPS_PER_HOST) {
                throw Limits.exceeded(h.getValue(), "host " + Excerpt.quote(name) + " is in too many groups (directly or"
                        + " through nesting)", Limits.GROUPS_PER_HOST, "groups",
                        "a host needs a few groups; is a group nested under too many others?");
            }
            List<Group> ordered = groups.stream().map(data.graph::get)
                    .sorted(Comparator.comparingInt((Group g) -> data.graph.depth(g.name))
                            .thenComparingInt(g -> g.priority).thenComparing(g -> g.name))
                    .toList();
            List<Map<String, Var>> layers = new ArrayList<>();
            layers.add(all.vars);
            ordered.forEach(g -> layers.add(g.vars));
            for (VarsFiles d : dirs) {
                layers.add(d.group(InventoryData.ALL));
            }
            for (VarsFiles d : dirs) {
                for (Group g : ordered) {
                    layers.add(d.group(g.name));
                }
            }
            layers.add(data.hostVars.get(name));
            for (VarsFiles d : dirs) {
                layers.add(d.host(name));
            }
            long declared = layers.stream().mapToLong(Map::size).sum();
            if (declared > Limits.VARS_PER_HOST) {
                throw Limits.exceeded(h.getValue(), "host " + Excerpt.quote(name) + " has " + Excerpt.count(declared)
                        + " variables (its own and its groups', overridden ones too)", Limits.VARS_PER_HOST, "variables",
                        "is a generated block of variables repeated in many groups?");
            }
            Map<String, Var> merged = new LinkedHashMap<>();
            layers.forEach(merged::putAll);
            vars.put(name, Collections.unmodifiableMap(merged));
            memberOf.put(name, ordered.stream().map(g -> g.name).toList());
        }
        for (VarsFiles d : dirs) {
            d.warnUnused(data.graph.all().stream().map(g -> g.name).toList(), data.hosts.keySet());
        }
        return new AnsibleInventory(data, vars, memberOf);
    }

    /**
     * What loading noticed but did not refuse, each once, as one line naming the place (another role's variable
     * ignored, a group_vars/host_vars file naming no group or host); the commands print them on stderr.
     */
    public List<String> warnings() {
        return data.warnings.all();
    }

    /** The Ansible view of hosts built in code (tests): each host directly in each of its groups. */
    static AnsibleInventory of(Path source, List<Host> hosts) {
        try {
            InventoryData data = new InventoryData(source);
            for (Host h : hosts) {
                Group target = data.graph.get(InventoryData.UNGROUPED);
                for (String g : h.groups()) {
                    target = data.group(g, h.pos());
                    data.addHost(target, h.name(), h.pos(), java.util.OptionalInt.empty());
                }
                if (h.groups().isEmpty()) {
                    data.addHost(target, h.name(), h.pos(), java.util.OptionalInt.empty());
                }
            }
            data.reconcile();
            return resolve(data, List.of());
        } catch (InventoryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The inventory file. */
    public Path source() {
        return data.file;
    }

    /** Every host, in the order first declared. */
    public List<String> hosts() {
        return List.copyOf(data.hosts.keySet());
    }

    public boolean hasHost(String name) {
        return data.hosts.containsKey(name);
    }

    /** Every group, all and ungrouped included, in the order first declared. */
    public List<String> groups() {
        return data.graph.all().stream().map(g -> g.name).toList();
    }

    /** The group's own hosts (not its children's), in the order listed. */
    public List<String> directHosts(String group) {
        return List.copyOf(data.graph.get(group).hosts.keySet());
    }

    /** The group's child groups, in the order listed. */
    public List<String> children(String group) {
        return List.copyOf(data.graph.get(group).children.keySet());
    }

    /**
     * Every host of the group and its descendants, in Ansible's order (Group.get_hosts): the group's own
     * hosts, then its children's, then theirs, level by level. Ansible orders the levels below the
     * children by hash, which changes between runs; here they keep the order they are listed in.
     */
    public Optional<List<String>> groupHosts(String group) {
        Group start = data.graph.get(group);
        if (start == null) {
            return Optional.empty();
        }
        List<Group> order = new ArrayList<>(List.of(start));
        Set<String> seen = new LinkedHashSet<>(List.of(start.name));
        for (int i = 0; i < order.size(); i++) {
            for (String c : order.get(i).children.keySet()) {
                if (seen.add(c)) {
                    order.add(data.graph.get(c));
                }
            }
        }
        Set<String> hosts = new LinkedHashSet<>();
        order.forEach(g -> hosts.addAll(g.hosts.keySet()));
        return Optional.of(List.copyOf(hosts));
    }

    /** The groups the host is in, directly or through nesting, without all, in merge order. */
    public List<String> groupsOf(String host) {
        return memberOf.get(host);
    }

    /** The host's variables as Ansible resolves them: what {@code ansible-inventory --list} shows, as plain Java. */
    public Map<String, Object> hostVars(String host) {
        Map<String, Object> out = new LinkedHashMap<>();
        vars.get(host).forEach((k, v) -> out.put(k, YamlNode.toPlain(v.value())));
        return Collections.unmodifiableMap(out);
    }

    /** Whether a variable's value must never be shown (its name says it holds a secret). */
    public static boolean isSecret(String name) {
        return Vars.looksSecret(name);
    }

    InventoryData data() {
        return data;
    }

    Map<String, Var> vars(String host) {
        return vars.get(host);
    }

    SourcePos declared(String host) {
        return data.hosts.get(host);
    }
}

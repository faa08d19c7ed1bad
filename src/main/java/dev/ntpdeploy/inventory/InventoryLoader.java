package dev.ntpdeploy.inventory;

import dev.ntpdeploy.inventory.VarParser.Var;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads and validates an Ansible-layout YAML inventory: {@code all:} with {@code vars:},
 * {@code children:} (nestable groups) and {@code hosts:}. Group names are global, as in Ansible:
 * the same group declared in two places is one group. Variables merge all -> parent group ->
 * child group -> host (groups of equal depth in name order, as Ansible does), the more specific
 * winning. Groups {@code masters} and {@code clients} give the roles.
 */
public final class InventoryLoader {

    public static final String ALL = "all";
    public static final String MASTERS = "masters";
    public static final String CLIENTS = "clients";
    private static final List<String> GROUP_KEYS = List.of("hosts", "vars", "children");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._:-]*");

    /** One group, merged over all the places it is declared. */
    private static final class Group {
        final String name;
        final SourcePos pos;
        final Map<String, Var> vars = new LinkedHashMap<>();
        final Set<String> children = new LinkedHashSet<>();
        final Set<String> parents = new LinkedHashSet<>();
        final Map<String, SourcePos> hosts = new LinkedHashMap<>();

        Group(String name, SourcePos pos) {
            this.name = name;
            this.pos = pos;
        }
    }

    private final Path file;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, SourcePos> hostOrder = new LinkedHashMap<>();
    private final Map<String, Map<String, Var>> hostVars = new LinkedHashMap<>();

    private InventoryLoader(Path file) {
        this.file = file;
    }

    /** @throws InventoryException one line: file:line:column, the key or value, and the fix */
    public static Inventory load(Path file) throws InventoryException {
        return new InventoryLoader(file).run();
    }

    private Inventory run() throws InventoryException {
        YamlNode root = YamlReader.read(file);
        if (!(root instanceof YamlNode.Mapping top)) {
            throw new InventoryException(root.pos() + ": the inventory must be a mapping starting with 'all:', not "
                    + root.kind() + " (see inventories/example.yml)");
        }
        Group all = group(ALL, top.pos());
        for (YamlNode.Entry e : top.entries().values()) {
            if (ALL.equals(e.key())) {
                readGroup(all, e.value(), List.of());
            } else { // Ansible allows top-level groups: they are children of all
                Group g = group(e.key(), e.keyPos());
                link(all, g, e.keyPos(), List.of(ALL));
                readGroup(g, e.value(), List.of(ALL));
            }
        }
        if (hostOrder.isEmpty()) {
            throw new InventoryException(top.pos() + ": the inventory declares no hosts"
                    + " (add 'masters:' and 'clients:' groups with 'hosts:' under all.children)");
        }
        Map<String, Integer> depth = new LinkedHashMap<>();
        groups.keySet().forEach(g -> depthOf(g, depth));
        Set<String> masterGroups = descendants(MASTERS);
        Set<String> clientGroups = descendants(CLIENTS);

        List<Host> hosts = new ArrayList<>();
        for (Map.Entry<String, SourcePos> h : hostOrder.entrySet()) {
            hosts.add(bindHost(h.getKey(), h.getValue(), depth, masterGroups, clientGroups));
        }
        checkTopology(hosts, top.pos());
        return new Inventory(file, hosts);
    }

    private Group group(String name, SourcePos pos) {
        return groups.computeIfAbsent(name, n -> new Group(n, pos));
    }

    private void link(Group parent, Group child, SourcePos pos, List<String> path) throws InventoryException {
        if (ALL.equals(child.name)) {
            throw new InventoryException(pos + ": 'all' cannot be a child group (it already contains every group: remove it here)");
        }
        if (path.contains(child.name) || child.name.equals(parent.name)) {
            throw new InventoryException(pos + ": group '" + child.name + "' contains itself through "
                    + String.join(" -> ", path) + " -> " + parent.name + " (remove one of the 'children:' entries)");
        }
        parent.children.add(child.name);
        child.parents.add(parent.name);
    }

    private void readGroup(Group g, YamlNode node, List<String> path) throws InventoryException {
        if (node instanceof YamlNode.Scalar s && s.isNull()) {
            return;
        }
        if (!(node instanceof YamlNode.Mapping m)) {
            throw new InventoryException(node.pos() + ": group '" + g.name + "' must be a mapping with 'hosts:',"
                    + " 'vars:' or 'children:', not " + node.kind() + " (see inventories/example.yml)");
        }
        List<String> here = new ArrayList<>(path);
        here.add(g.name);
        for (YamlNode.Entry e : m.entries().values()) {
            switch (e.key()) {
                case "vars" -> readVars(e, g.vars, "group '" + g.name + "'");
                case "hosts" -> readHosts(g, e);
                case "children" -> {
                    for (YamlNode.Entry c : entries(e, "group names")) {
                        Group child = group(c.key(), c.keyPos());
                        link(g, child, c.keyPos(), here);
                        readGroup(child, c.value(), here);
                    }
                }
                default -> throw new InventoryException(e.keyPos() + ": unknown key '" + e.key() + "' in group '"
                        + g.name + "' (" + DidYouMean.nearest(e.key(), GROUP_KEYS).map(n -> "did you mean '" + n + "'? ")
                        .orElse("") + "a group holds only 'hosts:', 'vars:' and 'children:'; variables go under 'vars:')");
            }
        }
    }

    /** The entries of a mapping value; an empty value has none. */
    private static List<YamlNode.Entry> entries(YamlNode.Entry e, String what) throws InventoryException {
        if (e.value() instanceof YamlNode.Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(e.value() instanceof YamlNode.Mapping m)) {
            throw new InventoryException(e.value().pos() + ": '" + e.key() + "' must be a mapping of " + what
                    + ", not " + e.value().kind() + " (write one 'name:' per line, indented under '" + e.key() + ":')");
        }
        return List.copyOf(m.entries().values());
    }

    private void readVars(YamlNode.Entry e, Map<String, Var> into, String owner) throws InventoryException {
        for (YamlNode.Entry v : entries(e, "variables of " + owner)) {
            Vars.checkName(v.key(), v.keyPos());
            Var var = new Var(v.key(), v.keyPos(), v.value());
            VarParser.parse(var); // every declared value is checked, even one a more specific level overrides
            into.put(v.key(), var);
        }
    }

    private void readHosts(Group g, YamlNode.Entry e) throws InventoryException {
        for (YamlNode.Entry h : entries(e, "host names")) {
            String name = h.key();
            if (name.matches(".*\\[[^]]*:[^]]*].*")) {
                throw new InventoryException(h.keyPos() + ": host pattern '" + name + "' is not supported"
                        + " (ntpdeploy does not expand Ansible host ranges: list each host)");
            }
            if (!HOST_NAME.matcher(name).matches()) {
                throw new InventoryException(h.keyPos() + ": host name '" + name + "' is not valid (use letters,"
                        + " digits and . _ - :, as in a DNS name or IP address; put the address in ansible_host)");
            }
            g.hosts.putIfAbsent(name, h.keyPos());
            hostOrder.putIfAbsent(name, h.keyPos());
            Map<String, Var> vars = hostVars.computeIfAbsent(name, n -> new LinkedHashMap<>());
            if (h.value() instanceof YamlNode.Scalar s && s.isNull()) {
                continue;
            }
            readVars(h, vars, "host '" + name + "'");
        }
    }

    private int depthOf(String name, Map<String, Integer> memo) {
        Integer known = memo.get(name);
        if (known != null) {
            return known;
        }
        int d = 0;
        for (String p : groups.get(name).parents) {
            d = Math.max(d, depthOf(p, memo) + 1);
        }
        memo.put(name, d);
        return d;
    }

    /** A group and every group nested under it. */
    private Set<String> descendants(String name) {
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(name));
        while (!todo.isEmpty()) {
            String n = todo.remove(todo.size() - 1);
            Group g = groups.get(n);
            if (g != null && out.add(n)) {
                todo.addAll(g.children);
            }
        }
        return out;
    }

    private Host bindHost(String name, SourcePos pos, Map<String, Integer> depth,
                          Set<String> masterGroups, Set<String> clientGroups) throws InventoryException {
        List<Group> mine = groups.values().stream()
                .filter(g -> g.name.equals(ALL) || g.hosts.containsKey(name))
                .toList();
        Set<String> memberOf = new LinkedHashSet<>();
        for (Group g : mine) {
            memberOf.addAll(ancestorsAndSelf(g.name));
        }
        List<Group> ordered = memberOf.stream().map(groups::get)
                .sorted(Comparator.comparing((Group g) -> depth.get(g.name)).thenComparing(g -> g.name))
                .toList();
        Map<String, Var> merged = new LinkedHashMap<>();
        ordered.forEach(g -> merged.putAll(g.vars));
        merged.putAll(hostVars.get(name));

        Optional<SourcePos> asMaster = membership(name, masterGroups);
        Optional<SourcePos> asClient = membership(name, clientGroups);
        if (asMaster.isPresent() && asClient.isPresent()) {
            throw new InventoryException(asClient.get() + ": host '" + name + "' is in both 'masters' (line "
                    + asMaster.get().line() + ") and 'clients' (a host is either a master or a client: remove it from one)");
        }
        if (asMaster.isEmpty() && asClient.isEmpty()) {
            throw new InventoryException(pos + ": host '" + name + "' is in neither 'masters' nor 'clients'"
                    + " (add it to one of them, or remove it: ntpdeploy only manages hosts with a role)");
        }
        Role role = asMaster.isPresent() ? Role.MASTER : Role.CLIENT;
        Set<String> groupNames = new LinkedHashSet<>();
        ordered.stream().map(g -> g.name).filter(n -> !ALL.equals(n)).forEach(groupNames::add);
        return HostBinder.bind(name, role, merged, java.util.Collections.unmodifiableSet(groupNames), pos, file);
    }

    private Set<String> ancestorsAndSelf(String name) {
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(name));
        while (!todo.isEmpty()) {
            String n = todo.remove(todo.size() - 1);
            if (out.add(n)) {
                todo.addAll(groups.get(n).parents);
            }
        }
        return out;
    }

    /** Where the host is first declared in one of these groups. */
    private Optional<SourcePos> membership(String host, Set<String> roleGroups) {
        return roleGroups.stream().map(groups::get).map(g -> g.hosts.get(host))
                .filter(java.util.Objects::nonNull)
                .min(Comparator.comparing(SourcePos::line).thenComparing(SourcePos::column));
    }

    private void checkTopology(List<Host> hosts, SourcePos rootPos) throws InventoryException {
        List<Host> masters = hosts.stream().filter(Host::isMaster).toList();
        if (masters.isEmpty()) {
            Group m = groups.get(MASTERS);
            throw new InventoryException((m != null ? m.pos : rootPos) + ": no master: group 'masters' has no hosts"
                    + " (add 'masters: {hosts: {NAME: {ansible_host: ADDRESS}}}' under all.children; clients need a master to sync from)");
        }
        for (Host m : masters) {
            if (!m.ntp().serveOthers() && m.ntp().allow().isEmpty()) {
                throw new InventoryException(m.pos() + ": master '" + m.name() + "' has ntp_serve_others false and no"
                        + " ntp_allow: it would answer no client (list the clients' networks in ntp_allow, e.g."
                        + " [10.0.0.0/8], or drop ntp_serve_others)");
            }
        }
        Map<String, Host> byAddress = new LinkedHashMap<>();
        for (Host m : masters) {
            Host other = byAddress.putIfAbsent(m.ntp().serverAddress(), m);
            if (other != null) {
                throw new InventoryException(m.pos() + ": masters '" + other.name() + "' and '" + m.name()
                        + "' have the same ntp_server_address '" + m.ntp().serverAddress()
                        + "' (give each master its own address through ansible_host or ntp_server_address)");
            }
        }
    }
}

package dev.ntpdeploy.inventory;

import dev.ntpdeploy.inventory.GroupGraph.Group;
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
import java.util.function.Function;
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
    private static final Pattern HOST_RANGE = Pattern.compile(".*\\[[^]]*:[^]]*].*");

    /** A bound host with where its addresses come from, for errors that name two hosts. */
    private record Placed(Host host, SourcePos sshAt, SourcePos ntpAt) {
    }

    private final Path file;
    private GroupGraph graph;
    private final Map<String, SourcePos> hostOrder = new LinkedHashMap<>();
    private final Map<String, Set<String>> hostGroups = new LinkedHashMap<>();
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
        graph = new GroupGraph(ALL, top.pos());
        Group all = graph.get(ALL);
        for (YamlNode.Entry e : top.entries().values()) {
            if (ALL.equals(e.key())) {
                readGroup(all, e.value());
            } else { // Ansible allows top-level groups: they are children of all
                Group g = graph.declare(e.key(), e.keyPos());
                graph.link(all, g, e.keyPos());
                readGroup(g, e.value());
            }
        }
        graph.seal();
        if (hostOrder.isEmpty()) {
            throw new InventoryException(top.pos() + ": the inventory declares no hosts"
                    + " (add 'masters:' and 'clients:' groups with 'hosts:' under all.children)");
        }
        Set<String> masterGroups = graph.descendants(MASTERS);
        Set<String> clientGroups = graph.descendants(CLIENTS);

        List<Placed> placed = new ArrayList<>();
        for (Map.Entry<String, SourcePos> h : hostOrder.entrySet()) {
            placed.add(bindHost(h.getKey(), h.getValue(), masterGroups, clientGroups));
        }
        refuseSharedAddresses(placed);
        checkTopology(placed, top.pos());
        return new Inventory(file, placed.stream().map(Placed::host).toList());
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
                case "vars" -> readVars(e, g.vars, "group " + Excerpt.quote(g.name));
                case "hosts" -> readHosts(g, e);
                case "children" -> {
                    for (YamlNode.Entry c : entries(e, "group names")) {
                        Group child = graph.declare(c.key(), c.keyPos());
                        graph.link(g, child, c.keyPos());
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
    private static List<YamlNode.Entry> entries(YamlNode.Entry e, String what) throws InventoryException {
        if (e.value() instanceof YamlNode.Scalar s && s.isNull()) {
            return List.of();
        }
        if (!(e.value() instanceof YamlNode.Mapping m)) {
            throw new InventoryException(e.value().pos() + ": " + Excerpt.quote(e.key()) + " must be a mapping of " + what
                    + ", not " + e.value().kind() + " (write one 'name:' per line, indented under '" + Excerpt.plain(e.key()) + ":')");
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
            if (name.indexOf('[') >= 0 && HOST_RANGE.matcher(name).matches()) {
                throw new InventoryException(h.keyPos() + ": host pattern " + Excerpt.quote(name) + " is not supported"
                        + " (ntpdeploy does not expand Ansible host ranges: list each host)");
            }
            if (!HOST_NAME.matcher(name).matches()) {
                throw new InventoryException(h.keyPos() + ": host name " + Excerpt.quote(name) + " is not valid (use letters,"
                        + " digits and . _ - :, as in a DNS name or IP address; put the address in ansible_host)");
            }
            if (!hostOrder.containsKey(name) && hostOrder.size() == Limits.HOSTS) {
                throw Limits.exceeded(h.keyPos(), "host " + Excerpt.quote(name) + " makes " + Excerpt.count(Limits.HOSTS + 1L)
                        + " hosts", Limits.HOSTS, "hosts", "split the fleet into several inventories, e.g. one per site");
            }
            g.hosts.putIfAbsent(name, h.keyPos());
            hostOrder.putIfAbsent(name, h.keyPos());
            hostGroups.computeIfAbsent(name, n -> new LinkedHashSet<>(List.of(ALL))).add(g.name);
            Map<String, Var> vars = hostVars.computeIfAbsent(name, n -> new LinkedHashMap<>());
            if (h.value() instanceof YamlNode.Scalar s && s.isNull()) {
                continue;
            }
            readVars(h, vars, "host " + Excerpt.quote(name));
        }
    }

    private Placed bindHost(String name, SourcePos pos, Set<String> masterGroups, Set<String> clientGroups)
            throws InventoryException {
        Set<String> memberOf = graph.ancestorsAndSelf(hostGroups.get(name), Limits.GROUPS_PER_HOST + 1);
        if (memberOf.size() > Limits.GROUPS_PER_HOST + 1) { // + 1: all, which every host is in
            throw Limits.exceeded(pos, "host " + Excerpt.quote(name) + " is in too many groups (directly or through nesting)",
                    Limits.GROUPS_PER_HOST, "groups", "a host needs a few groups; is a group nested under too many others?");
        }
        List<Group> ordered = memberOf.stream().map(graph::get)
                .sorted(Comparator.comparingInt((Group g) -> graph.depth(g.name)).thenComparing(g -> g.name))
                .toList();
        long declared = hostVars.get(name).size() + ordered.stream().mapToLong(g -> g.vars.size()).sum();
        if (declared > Limits.VARS_PER_HOST) {
            throw Limits.exceeded(pos, "host " + Excerpt.quote(name) + " has " + Excerpt.count(declared)
                    + " variables (its own and its groups', overridden ones too)", Limits.VARS_PER_HOST, "variables",
                    "is a generated block of variables repeated in many groups?");
        }
        Map<String, Var> merged = new LinkedHashMap<>();
        ordered.forEach(g -> merged.putAll(g.vars));
        merged.putAll(hostVars.get(name));

        Optional<SourcePos> asMaster = membership(name, masterGroups);
        Optional<SourcePos> asClient = membership(name, clientGroups);
        if (asMaster.isPresent() && asClient.isPresent()) {
            throw new InventoryException(asClient.get() + ": host " + Excerpt.quote(name) + " is in both 'masters' (line "
                    + asMaster.get().line() + ") and 'clients' (a host is either a master or a client: remove it from one)");
        }
        if (asMaster.isEmpty() && asClient.isEmpty()) {
            throw new InventoryException(pos + ": host " + Excerpt.quote(name) + " is in neither 'masters' nor 'clients'"
                    + " (add it to one of them, or remove it: ntpdeploy only manages hosts with a role)");
        }
        Role role = asMaster.isPresent() ? Role.MASTER : Role.CLIENT;
        Set<String> groupNames = new LinkedHashSet<>();
        ordered.stream().map(g -> g.name).filter(n -> !ALL.equals(n)).forEach(groupNames::add);
        Host host = HostBinder.bind(name, role, merged, java.util.Collections.unmodifiableSet(groupNames), pos, file);
        SourcePos sshAt = valuePos(merged.get(Vars.ANSIBLE_HOST)).orElse(pos);
        SourcePos ntpAt = valuePos(merged.get(Vars.SERVER_ADDRESS)).orElse(sshAt);
        return new Placed(host, sshAt, ntpAt);
    }

    private static Optional<SourcePos> valuePos(Var v) {
        return Optional.ofNullable(v).map(x -> x.value().pos());
    }

    /** Where the host is first declared in one of these groups. */
    private Optional<SourcePos> membership(String host, Set<String> roleGroups) {
        return hostGroups.get(host).stream().filter(roleGroups::contains).map(g -> graph.get(g).hosts.get(host))
                .min(Comparator.comparingInt(SourcePos::line).thenComparingInt(SourcePos::column));
    }

    /**
     * Two hosts SSH would reach at one address and port are one machine: apply would write one
     * host's config over the other's (a copy-pasted ansible_host once put a client's config on the master).
     * Addresses are compared as the machine sees them: names without case, IPv6 in its canonical form.
     * Names that resolve to one address cannot be caught here: the loader never asks DNS.
     */
    private void refuseSharedAddresses(List<Placed> placed) throws InventoryException {
        Function<Placed, String> key = p -> Addresses.canonical(p.host().connection().address()) + " port "
                + p.host().connection().port();
        Map<String, Placed> seen = new LinkedHashMap<>();
        for (Placed p : placed) {
            Placed other = seen.putIfAbsent(key.apply(p), p);
            if (other != null) {
                throw new InventoryException(p.sshAt() + ": hosts " + Excerpt.quote(other.host().name()) + " and "
                        + Excerpt.quote(p.host().name()) + " have the same SSH address " + Excerpt.plain(key.apply(p))
                        + " " + places(other, p, Placed::sshAt) + ": apply would write both hosts' configs to one machine"
                        + " (give each host its own ansible_host, or remove the copy)");
            }
        }
    }

    /** "('a' at f:1:2, 'b' at f:3:4)", or "(both take it from f:1:2)" when one group variable gives both. */
    private static String places(Placed first, Placed second, Function<Placed, SourcePos> at) {
        if (at.apply(first).equals(at.apply(second))) {
            return "(both take it from " + at.apply(first) + ")";
        }
        return "(" + Excerpt.quote(first.host().name()) + " at " + at.apply(first) + ", "
                + Excerpt.quote(second.host().name()) + " at " + at.apply(second) + ")";
    }

    private void checkTopology(List<Placed> placed, SourcePos rootPos) throws InventoryException {
        List<Placed> masters = placed.stream().filter(p -> p.host().isMaster()).toList();
        if (masters.isEmpty()) {
            Group m = graph.get(MASTERS);
            throw new InventoryException((m != null ? m.pos : rootPos) + ": no master: group 'masters' has no hosts"
                    + " (add 'masters: {hosts: {NAME: {ansible_host: ADDRESS}}}' under all.children; clients need a master to sync from)");
        }
        for (Placed p : masters) {
            Host m = p.host();
            if (!m.ntp().serveOthers() && m.ntp().allow().isEmpty()) {
                throw new InventoryException(m.pos() + ": master " + Excerpt.quote(m.name()) + " has ntp_serve_others false"
                        + " and no ntp_allow: it would answer no client (list the clients' networks in ntp_allow, e.g."
                        + " [10.0.0.0/8], or drop ntp_serve_others)");
            }
        }
        Map<String, Placed> byAddress = new LinkedHashMap<>();
        for (Placed p : masters) {
            String address = Addresses.canonical(p.host().ntp().serverAddress());
            Placed other = byAddress.putIfAbsent(address, p);
            if (other != null) {
                throw new InventoryException(p.ntpAt() + ": masters " + Excerpt.quote(other.host().name()) + " and "
                        + Excerpt.quote(p.host().name()) + " have the same ntp_server_address " + Excerpt.quote(address)
                        + " " + places(other, p, Placed::ntpAt) + ": clients would count one server twice"
                        + " (give each master its own address through ansible_host or ntp_server_address)");
            }
        }
    }
}

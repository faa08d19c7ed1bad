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
 * Loads an Ansible inventory (YAML or INI, with group_vars/ and host_vars/) and binds it to ntpdeploy's
 * fleet: resolves it as Ansible does ({@link AnsibleInventory}), then gives each host its role (groups
 * {@code masters} and {@code clients}), connection and NTP settings, and checks the topology.
 */
public final class InventoryLoader {

    public static final String ALL = InventoryData.ALL;
    public static final String MASTERS = "masters";
    public static final String CLIENTS = "clients";
    /** Extensions Ansible's YAML plugin accepts (and none): such a file is tried as YAML first, then as INI. */
    private static final List<String> YAML_EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    /** A bound host with where its addresses come from, for errors that name two hosts. */
    private record Placed(Host host, SourcePos sshAt, SourcePos ntpAt) {
    }

    private final Path file;
    private GroupGraph graph;
    private AnsibleInventory resolved;

    private InventoryLoader(Path file) {
        this.file = file;
    }

    /**
     * Loads the inventory with the group_vars/ and host_vars/ beside it.
     *
     * @throws InventoryException one line: file:line:column, the key or value, and the fix
     */
    public static Inventory load(Path file) throws InventoryException {
        return load(file, List.of());
    }

    /**
     * @param varsDirs further directories whose group_vars/ and host_vars/ apply after the inventory's own,
     *                 in precedence order (a playbook's directory, as Ansible reads it)
     */
    public static Inventory load(Path file, List<Path> varsDirs) throws InventoryException {
        return new InventoryLoader(file).bind(resolve(file, varsDirs));
    }

    /** The inventory as Ansible resolves it, without ntpdeploy's roles and topology checks (for 'inventory'). */
    public static AnsibleInventory resolve(Path file) throws InventoryException {
        return resolve(file, List.of());
    }

    public static AnsibleInventory resolve(Path file, List<Path> varsDirs) throws InventoryException {
        InventoryData data = read(file);
        List<VarsFiles> dirs = new ArrayList<>();
        dirs.add(new VarsFiles(file.toAbsolutePath().normalize().getParent(), data.warnings));
        varsDirs.forEach(d -> dirs.add(new VarsFiles(d, data.warnings)));
        return AnsibleInventory.resolve(data, dirs);
    }

    /**
     * Reads the file as Ansible's plugins would: a file with a YAML extension (or none) as YAML, and as
     * INI when it is not a YAML mapping; any other file as INI.
     */
    static InventoryData read(Path file) throws InventoryException {
        String text = SourceText.read(file);
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot <= 0 ? "" : name.substring(dot);
        InventoryData data = new InventoryData(file);
        if (text.isBlank()) {
            throw new InventoryException(new SourcePos(file, 1, 1)
                    + ": the inventory is empty (start it with 'all:' and declare groups 'masters' and 'clients')");
        }
        if (YAML_EXTENSIONS.contains(ext)) {
            String yamlProblem;
            try {
                YamlNode root = YamlReader.parse(file, text);
                if (root instanceof YamlNode.Mapping top) {
                    YamlInventory.read(top, data);
                    data.reconcile();
                    return data;
                }
                yamlProblem = root == null ? "the file is empty"
                        : root.pos() + ": the inventory must be a mapping starting with 'all:', not " + root.kind();
            } catch (InventoryException e) {
                if (!e.getMessage().contains("YAML syntax error")) {
                    throw e; // YAML that parsed: its error is about the inventory, not the format
                }
                yamlProblem = e.getMessage();
            }
            try {
                InventoryData ini = new InventoryData(file);
                IniInventory.read(text, ini);
                ini.reconcile();
                if (!ini.hosts.isEmpty() || text.isBlank()) {
                    return ini;
                }
            } catch (InventoryException iniProblem) {
                // Ansible tries both; the YAML reading comes first, so its error does too
                throw new InventoryException((yamlProblem.startsWith(file.toString()) ? yamlProblem : file + ": " + yamlProblem)
                        + "; read as INI instead, " + iniProblem.getMessage().replace(file + ":", "line ")
                        + " (the file is neither a YAML nor an INI inventory)");
            }
            throw new InventoryException(yamlProblem.startsWith(file.toString()) ? yamlProblem + " (see inventories/example.yml)"
                    : file + ": " + yamlProblem + " (start it with 'all:' and declare groups 'masters' and 'clients')");
        }
        IniInventory.read(text, data);
        data.reconcile();
        return data;
    }

    private Inventory bind(AnsibleInventory inv) throws InventoryException {
        resolved = inv;
        graph = inv.data().graph;
        if (inv.hosts().isEmpty()) {
            throw new InventoryException(new SourcePos(file, 1, 1) + ": the inventory declares no hosts"
                    + " (add 'masters:' and 'clients:' groups with 'hosts:' under all.children)");
        }
        Set<String> masterGroups = graph.descendants(MASTERS);
        Set<String> clientGroups = graph.descendants(CLIENTS);
        List<Placed> placed = new ArrayList<>();
        for (String h : inv.hosts()) {
            placed.add(bindHost(h, inv.declared(h), masterGroups, clientGroups));
        }
        refuseSharedAddresses(placed);
        checkTopology(placed, new SourcePos(file, 1, 1));
        return new Inventory(file, placed.stream().map(Placed::host).toList(), inv);
    }

    private Placed bindHost(String name, SourcePos pos, Set<String> masterGroups, Set<String> clientGroups)
            throws InventoryException {
        Map<String, Var> merged = resolved.vars(name);
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
        Set<String> groupNames = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(resolved.groupsOf(name)));
        Host host = HostBinder.bind(name, role, merged, groupNames, pos, file);
        SourcePos sshAt = valuePos(merged.get(Vars.ANSIBLE_HOST)).orElse(pos);
        SourcePos ntpAt = valuePos(merged.get(Vars.SERVER_ADDRESS)).orElse(sshAt);
        return new Placed(host, sshAt, ntpAt);
    }

    private static Optional<SourcePos> valuePos(Var v) {
        return Optional.ofNullable(v).map(x -> x.value().pos());
    }

    /** Where the host is first declared in one of these groups. */
    private Optional<SourcePos> membership(String host, Set<String> roleGroups) {
        return resolved.groupsOf(host).stream().filter(roleGroups::contains).map(g -> graph.get(g).hosts.get(host))
                .filter(java.util.Objects::nonNull)
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

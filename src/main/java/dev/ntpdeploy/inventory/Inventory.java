package dev.ntpdeploy.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A loaded, validated inventory: every host with its role, in file order, and the inventory as Ansible
 * resolves it (groups and their order, for host patterns).
 */
public record Inventory(Path source, List<Host> hosts, AnsibleInventory ansible) {

    public Inventory {
        hosts = List.copyOf(hosts);
    }

    /** An inventory built in code (tests): its Ansible view has the hosts' groups, each directly holding its hosts. */
    public Inventory(Path source, List<Host> hosts) {
        this(source, hosts, AnsibleInventory.of(source, hosts));
    }

    public List<Host> masters() {
        return hosts.stream().filter(Host::isMaster).toList();
    }

    public List<Host> clients() {
        return hosts.stream().filter(h -> !h.isMaster()).toList();
    }

    /** The host's ntp_max_offset_ms, the limit its offset is judged against; empty for a name not in the inventory. */
    public OptionalDouble maxOffsetMs(String name) {
        return host(name).map(h -> OptionalDouble.of(h.ntp().maxOffsetMs())).orElse(OptionalDouble.empty());
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }
}

package dev.ntpdeploy.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A loaded, validated inventory: every host with its role, in file order. */
public record Inventory(Path source, List<Host> hosts) {

    public Inventory {
        hosts = List.copyOf(hosts);
    }

    public List<Host> masters() {
        return hosts.stream().filter(Host::isMaster).toList();
    }

    public List<Host> clients() {
        return hosts.stream().filter(h -> !h.isMaster()).toList();
    }

    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }
}

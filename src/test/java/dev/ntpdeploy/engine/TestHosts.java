package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Cidr;
import dev.ntpdeploy.inventory.ConnectionSpec;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.NtpSpec;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.inventory.SourcePos;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Builds inventory hosts for unit tests. */
final class TestHosts {

    private TestHosts() {
    }

    static Host host(String name, Role role, Flavor flavor) {
        return host(name, role, flavor, Optional.empty(), Optional.empty());
    }

    static Host host(String name, Role role, Flavor flavor, Optional<String> confPath, Optional<String> service) {
        NtpSpec ntp = new NtpSpec(List.of(), true, 10, OptionalInt.empty(), OptionalInt.empty(), List.of(Cidr.parse("10.0.0.0/8").orElseThrow()),
                true, Optional.ofNullable(flavor), name, true, OptionalInt.empty(), OptionalInt.empty(), confPath, service, List.of(), 128, true);
        ConnectionSpec conn = new ConnectionSpec(name, 22, "root", Optional.empty(), false, "root");
        Set<String> groups = Set.of(role == Role.MASTER ? "masters" : "clients");
        return new Host(name, role, conn, ntp, groups, Map.of(), new SourcePos(Path.of("inv.yml"), 1, 1));
    }
}

package dev.ntpdeploy;

import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.InventoryLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The isolated fleet the verify tests judge (the shape of the lab's): master m1 at 10.123.0.1 with no upstream,
 * no local clock and orphan stratum 10, clients c1, c2... at 10.123.0.2, .3..., polling every 16 s, the lab
 * subnet allowed. One copy, so the tests of the job, the watch round and the probe's fuzzer judge the same fleet.
 */
public final class TestInventories {

    private TestInventories() {
    }

    /** The same fleet in a temporary directory of its own, deleted when the JVM exits (for a static field). */
    public static Inventory isolated(String flavor, int clients) {
        try {
            Path dir = Files.createTempDirectory("ntpdeploy-test-");
            dir.toFile().deleteOnExit(); // registered first, deleted last: after the file in it
            Inventory inv = isolated(dir, flavor, clients);
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().deleteOnExit());
            }
            return inv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the fleet with {@code ntp_flavor: flavor} and {@code clients} clients under {@code dir} and loads it. */
    public static Inventory isolated(Path dir, String flavor, int clients) {
        StringBuilder yaml = new StringBuilder("""
                all:
                  vars:
                    ntp_flavor: %s
                    ntp_minpoll: 4
                    ntp_maxpoll: 4
                    ntp_allow: [10.123.0.0/16]
                  children:
                    masters:
                      hosts:
                        m1:
                          ansible_host: 10.123.0.1
                          ntp_upstream: []
                          ntp_local_clock: false
                          ntp_orphan_stratum: 10
                    clients:
                      hosts:
                """.formatted(flavor));
        for (int i = 1; i <= clients; i++) {
            yaml.append("        c").append(i).append(":\n          ansible_host: 10.123.0.").append(i + 1).append('\n');
        }
        try {
            Path file = Files.writeString(dir.resolve("isolated-" + flavor + "-" + clients + ".yml"), yaml);
            return InventoryLoader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InventoryException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Inventory files for the loader's tests: written under a test's temp directory, and the loader's refusal of one. */
final class InventoryFiles {

    /** One master and one client: the smallest inventory that loads. */
    static final String MINIMAL = """
            all:
              children:
                masters:
                  hosts:
                    m1: {ansible_host: 10.0.0.1}
                clients:
                  hosts:
                    c1: {ansible_host: 10.0.0.2}
            """;

    private InventoryFiles() {
    }

    /** Writes {@code text} to {@code dir/name}, making the directories on the way (group_vars/, host_vars/). */
    static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    /** The one-line message the loader refuses {@code inventory} with; the test fails if it loads. */
    static String refusal(Path inventory) {
        return assertThrows(InventoryException.class, () -> InventoryLoader.load(inventory)).getMessage();
    }
}

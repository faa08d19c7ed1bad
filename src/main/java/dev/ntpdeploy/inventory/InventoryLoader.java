package dev.ntpdeploy.inventory;

import java.nio.file.Path;

/** Loads and validates an Ansible-layout YAML inventory. (Stub: implemented by the foundation work.) */
public final class InventoryLoader {

    private InventoryLoader() {
    }

    /** @throws InventoryException with file:line:column, the key or value, and the fix */
    public static Inventory load(Path file) throws InventoryException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}

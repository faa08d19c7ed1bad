package dev.ntpdeploy.cli;

import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.InventoryLoader;
import dev.ntpdeploy.render.ConfigRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every command that works on an inventory takes: the inventory file (INVENTORY or -i), the templates
 * directory and the verbosity options. Use with {@code @Mixin InventoryOptions inventory;}.
 */
public final class InventoryOptions {

    @Mixin
    InventoryArgument inventory;

    @Mixin
    TemplatesOptions templates;

    @Mixin
    VerbosityOptions verbosity;

    /** The command this is mixed into: its stderr writer gets the warnings. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    public Path inventoryPath() {
        return inventory.path();
    }

    /** Loads and validates the inventory, and prints what loading warned of (once each) on stderr. */
    public Inventory load() throws InventoryException {
        Inventory inv = InventoryLoader.load(inventory.path());
        printWarnings(inv.ansible().warnings(), mixee.commandLine().getErr());
        return inv;
    }

    /**
     * For a command whose core loads the inventory itself (apply): prints the loading's warnings before the run;
     * an inventory that does not load prints nothing here, the core reports why.
     */
    public void warnings() {
        try {
            printWarnings(InventoryLoader.resolve(inventory.path()).warnings(), mixee.commandLine().getErr());
        } catch (InventoryException e) {
            // the core loads it again and reports the error with its exit code
        }
    }

    static void printWarnings(java.util.List<String> warnings, PrintWriter err) {
        warnings.forEach(err::println);
        err.flush();
    }

    /** --templates, else the installation's templates/, else ./templates. */
    public Path templatesDir() {
        return templates.templatesDir();
    }

    public ConfigRenderer renderer() {
        return templates.renderer();
    }

    public VerbosityOptions verbosity() {
        return verbosity;
    }
}

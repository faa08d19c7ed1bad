package dev.ntpdeploy.cli;

import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.InventoryLoader;
import dev.ntpdeploy.render.ConfigRenderer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What every command that works on an inventory takes: the inventory file, the templates
 * directory and the verbosity options. Use with {@code @Mixin InventoryOptions inventory;}.
 */
public final class InventoryOptions {

    /** Set by bin/ntpdeploy to the repository (installation) directory. */
    public static final String HOME_PROPERTY = "ntpdeploy.home";

    @Parameters(index = "0", paramLabel = "INVENTORY", description = "YAML inventory (Ansible layout), e.g. inventories/example.yml.")
    Path inventory;

    @Option(names = "--templates", paramLabel = "DIR",
            description = "Directory holding ntp.conf.master.mustache and ntp.conf.client.mustache"
                    + " (default: the templates/ directory of the ntpdeploy installation).")
    Path templates;

    @Mixin
    VerbosityOptions verbosity;

    /** The command this is mixed into: its stderr writer gets the warnings. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    public Path inventoryPath() {
        return inventory;
    }

    /** Loads and validates the inventory, and prints what loading warned of (once each) on stderr. */
    public Inventory load() throws InventoryException {
        Inventory inv = InventoryLoader.load(inventory);
        printWarnings(inv.ansible().warnings(), mixee.commandLine().getErr());
        return inv;
    }

    /**
     * For a command whose core loads the inventory itself (apply): prints the loading's warnings before the run;
     * an inventory that does not load prints nothing here, the core reports why.
     */
    public void warnings() {
        try {
            printWarnings(InventoryLoader.resolve(inventory).warnings(), mixee.commandLine().getErr());
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
        if (templates != null) {
            return templates;
        }
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            return Path.of(home, "templates");
        }
        Path fromJar = installDirFromJar();
        if (fromJar != null && Files.isDirectory(fromJar.resolve("templates"))) {
            return fromJar.resolve("templates");
        }
        return Path.of("templates");
    }

    public ConfigRenderer renderer() {
        return new ConfigRenderer(templatesDir());
    }

    public VerbosityOptions verbosity() {
        return verbosity;
    }

    /** target/ntpdeploy.jar -> the repository directory; null when not run from a jar. */
    private static Path installDirFromJar() {
        try {
            var src = InventoryOptions.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            Path jar = Path.of(src.getLocation().toURI());
            if (!Files.isRegularFile(jar) || jar.getParent() == null || jar.getParent().getParent() == null) {
                return null;
            }
            return jar.getParent().getParent();
        } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}

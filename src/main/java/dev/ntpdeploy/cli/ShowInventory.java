package dev.ntpdeploy.cli;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.inventory.AnsibleInventory;
import dev.ntpdeploy.inventory.HostPattern;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.InventoryListing;
import dev.ntpdeploy.inventory.InventoryLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntpdeploy inventory}: the inventory as Ansible resolves it, offline, in ansible-inventory's shapes. */
@Command(name = "inventory",
        description = {
                "Show the inventory as Ansible resolves it (group_vars/ and host_vars/ included), offline:"
                        + " --list and --host print the JSON ansible-inventory prints, --graph the group tree,"
                        + " --list-hosts the hosts a --limit pattern selects (as 'ansible PATTERN --list-hosts').",
                "Values of variables whose names look like secrets are never shown. Roles (masters, clients) are"
                        + " not required here. An invalid inventory exits 65."})
public final class ShowInventory implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InventoryArgument inventory;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    /** Exactly one of these. */
    static final class Action {
        @Option(names = "--list", description = "All groups and hosts with their variables, as JSON.")
        boolean list;

        @Option(names = "--host", paramLabel = "NAME", description = "One host's variables, as JSON.")
        String host;

        @Option(names = "--graph", description = "The group tree.")
        boolean graph;

        @Option(names = "--list-hosts", description = "The hosts --limit selects (default: all), one per line.")
        boolean listHosts;
    }

    @Mixin
    LimitOptions limit;

    @Mixin
    VerbosityOptions verbosity;

    @Override
    public Integer call() throws InventoryException {
        AnsibleInventory inv = InventoryLoader.resolve(inventory.path());
        InventoryOptions.printWarnings(inv.warnings(), spec.commandLine().getErr());
        String text;
        if (action.list) {
            text = InventoryListing.list(inv);
        } else if (action.host != null) {
            text = InventoryListing.host(inv, action.host);
        } else if (action.graph) {
            text = InventoryListing.graph(inv);
        } else {
            try {
                text = InventoryListing.listHosts(HostPattern.parse(limit.pattern()).select(inv));
            } catch (IllegalArgumentException e) {
                throw new InventoryException(e.getMessage());
            }
        }
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return Exit.OK.code();
    }
}

package dev.ntpdeploy.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The inventory a command works on, given as ntpdeploy's first argument or, as Ansible users type it, with
 * {@code -i INVENTORY}: exactly one of the two. Use with {@code @Mixin InventoryArgument inventory;}.
 */
public final class InventoryArgument {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Parameters(index = "0", arity = "0..1", paramLabel = "INVENTORY",
            description = "YAML or INI inventory (Ansible layout), e.g. inventories/example.yml.")
    Path positional;

    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY", description = "The inventory, as ansible's -i.")
    Path option;

    /** The inventory given; a usage error (exit 2) naming both forms when there is none, or two. */
    public Path path() {
        if (positional != null && option != null) {
            throw new ParameterException(mixee.commandLine(), "the inventory is given twice (INVENTORY and -i " + option
                    + "): give one");
        }
        if (positional == null && option == null) {
            throw new ParameterException(mixee.commandLine(), "missing the inventory: INVENTORY or -i INVENTORY");
        }
        return positional != null ? positional : option;
    }
}

package dev.ntpdeploy.cli;

import dev.ntpdeploy.CliRun;

import static dev.ntpdeploy.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.Main;
import dev.ntpdeploy.transport.TransportOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.junit.jupiter.api.Test;

/** The options Ansible users type without thinking: -i, -f, -k, -K, -C, -D, -v/-vv/-vvv. */
class AnsibleHabitsTest {



    @Test
    void dashIGivesTheInventoryAsThePositionalDoes() {
        CliRun positional = run("render", "inventories/example.yml", "--flavor", "ntp");
        CliRun dashI = run("render", "-i", "inventories/example.yml", "--flavor", "ntp");
        assertEquals(0, dashI.code(), dashI.err());
        assertEquals(positional.out(), dashI.out());

        CliRun listed = run("inventory", "-i", "inventories/example.yml", "--list-hosts");
        assertEquals(0, listed.code(), listed.err());
        assertEquals(run("inventory", "inventories/example.yml", "--list-hosts").out(), listed.out());
    }

    @Test
    void anInventoryGivenTwiceOrNotAtAllIsAUsageErrorNamingBothForms() {
        CliRun twice = run("render", "inventories/example.yml", "-i", "inventories/example.yml");
        assertEquals(Exit.USAGE.code(), twice.code(), twice.err());
        assertTrue(twice.err().contains("the inventory is given twice"), twice.err());

        CliRun none = run("inventory", "--list");
        assertEquals(Exit.USAGE.code(), none.code(), none.err());
        assertTrue(none.err().contains("missing the inventory: INVENTORY or -i INVENTORY"), none.err());
        assertEquals(1, none.err().lines().count(), none.err());
    }

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        SshOptions ssh;

        @Mixin
        VerbosityOptions verbosity;
    }

    @Test
    void shortSshOptionsAreAnsibles() {
        Probe p = new Probe();
        new CommandLine(p).parseArgs("-f", "7", "-k", "-K");
        TransportOptions o = p.ssh.toTransportOptions();
        assertEquals(7, o.forks());
        assertTrue(o.askPass() && o.askBecomePass());
    }

    @Test
    void vCanBeRepeatedAsAnsibleTakesIt() {
        for (String[] args : new String[][] {{"-v"}, {"-vv"}, {"-vvv"}, {"-v", "-v"}, {"--verbose"}}) {
            Probe p = new Probe();
            new CommandLine(p).parseArgs(args);
            assertTrue(p.verbosity.verbose(), String.join(" ", args));
        }
        Probe quiet = new Probe();
        new CommandLine(quiet).parseArgs();
        assertTrue(!quiet.verbosity.verbose());
    }

    @Test
    void checkAndDiffHaveTheirShortNames() {
        CommandLine apply = Main.commandLine().getSubcommands().get("apply");
        assertEquals(apply.getCommandSpec().findOption("--check"), apply.getCommandSpec().findOption("-C"));
        assertEquals(apply.getCommandSpec().findOption("--diff"), apply.getCommandSpec().findOption("-D"));
        assertTrue(apply.getCommandSpec().findOption("-C") != null && apply.getCommandSpec().findOption("-D") != null);
    }
}

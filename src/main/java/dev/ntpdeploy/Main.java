package dev.ntpdeploy;

import dev.ntpdeploy.cli.Apply;
import dev.ntpdeploy.cli.Play;
import dev.ntpdeploy.cli.Render;
import dev.ntpdeploy.cli.Schedule;
import dev.ntpdeploy.cli.ShowInventory;
import dev.ntpdeploy.cli.Verify;
import dev.ntpdeploy.cli.Watch;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Entry point: builds the {@code ntpdeploy} command line, the one place where subcommands are
 * registered and exceptions become one-line messages with their exit code ({@link Exit}).
 */
@Command(name = "ntpdeploy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Agentless NTP provisioner: renders ntp.conf per role from a YAML inventory,"
                + " pushes it over SSH and proves the fleet agrees on the time.",
        // To add a command, add its class here (and nowhere else).
        subcommands = {
                Render.class,
                Apply.class,
                Play.class,
                Verify.class,
                Watch.class,
                Schedule.class,
                ShowInventory.class,
                CommandLine.HelpCommand.class,
                picocli.AutoComplete.GenerateCompletion.class,
        },
        exitCodeListHeading = "%nExit codes:%n")
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    /** Names of the options (declared in cli.VerbosityOptions) that ask for stack traces. */
    private static final List<String> STACKTRACE_OPTIONS = List.of("--stacktrace", "--verbose");

    public static void main(String[] args) {
        Logging.configure(args);
        System.exit(execute(args));
    }

    /** Runs the tool in-process (tests use this with their own writers); returns the exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // "@FILE" is ours (--limit @hosts.txt, @playbooks/site.retry: Ansible's host list), not picocli's argument file,
        // which would splice the file's lines into the command line as arguments
        cl.setExpandAtFiles(false);
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        cl.getCommandSpec().usageMessage().exitCodeList(Exit.list());
        // every subcommand gets --help and --version without declaring them
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommand() instanceof CommandLine.HelpCommand) {
                continue; // has its own --help
            }
            sub.getCommandSpec().mixinStandardHelpOptions(true);
            sub.getCommandSpec().versionProvider(new Version());
        }
        return cl;
    }

    @Override
    public void run() {
        // "ntpdeploy" alone: show what it can do, as a usage error
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (e.g. 'ntpdeploy render INVENTORY')");
    }

    private static int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        Exit exit = Exit.of(e, cmd.getCommand());
        if (exit != Exit.INTERNAL) {
            err.println(e.getMessage());
        } else {
            err.println(cmd.getCommandName() + ": internal error: " + e
                    + " (a bug: rerun with --stacktrace and report it)");
        }
        if (wantsStackTrace(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return exit.code();
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
        err.flush();
        return Exit.of(e, cmd.getCommand()).code();
    }

    private static boolean wantsStackTrace(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (String o : STACKTRACE_OPTIONS) {
                if (p.hasMatchedOption(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The version from the jar manifest; running from classes (tests, IDE) has none. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BuildVersion.get();
            return new String[] {"ntpdeploy " + (v.equals(BuildVersion.DEVELOPMENT) ? "(development build)" : v)};
        }
    }
}

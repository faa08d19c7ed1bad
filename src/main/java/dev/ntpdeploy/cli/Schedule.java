package dev.ntpdeploy.cli;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.watch.Schedules;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ntpdeploy schedule}: prints a systemd service + timer, or a crontab line, that runs verify one-shot. */
@Command(name = "schedule",
        description = {
                "Print a systemd service + timer pair (or a crontab line) that runs 'ntpdeploy verify INVENTORY'"
                        + " every interval, with absolute paths, ready to copy. Nothing is installed.",
                "cron counts whole minutes: intervals it cannot run evenly are refused (use systemd or watch).",
                "verify's own options go after --, and the unit passes them on (relative paths made absolute):",
                "  ntpdeploy schedule inv.yml --print cron -- --limit clients --known-hosts known_hosts"})
public final class Schedule implements Callable<Integer> {

    /** What --print accepts. */
    enum Format { systemd, cron }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INVENTORY", description = "The inventory verify should check.")
    Path inventory;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How often: 90 (seconds), 30s, 5m, 1h, 1d (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(names = "--print", paramLabel = "systemd|cron", defaultValue = "systemd",
            description = "What to print: systemd (service + timer) or cron (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--name", paramLabel = "UNIT", defaultValue = "ntpdeploy-verify",
            description = "systemd unit name, without .service/.timer (default: ${DEFAULT-VALUE}).")
    String name;

    @Parameters(index = "1..*", paramLabel = "VERIFY_OPTION",
            description = "After --: options for verify (--limit, --known-hosts, --sync-timeout, --wait, ...), checked"
                    + " by verify's own parser now, not when the unit first runs.")
    List<String> verifyOptions = new ArrayList<>();

    @Override
    public Integer call() {
        Path inv = inventory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(inv)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "inventory " + inv + " does not exist:"
                    + " the unit names it by absolute path, so give the file it should check");
        }
        String text;
        try {
            List<String> argv = Schedules.verifyCommand(Schedules.launcher(), inv, verifyOptions(inv, verifyOptions));
            text = format == Format.systemd ? Schedules.systemd(name, argv, inv, every) : Schedules.cron(argv, every);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return Exit.OK.code();
    }

    /**
     * verify's options as the unit should pass them: parsed by verify's own command line (an unknown or invalid
     * option is refused here, not at 3 a.m.), with the values of path options made absolute (a unit runs from /).
     */
    static List<String> verifyOptions(Path inventory, List<String> options) {
        CommandLine verify = new CommandLine(new Verify());
        List<String> args = new ArrayList<>(List.of(inventory.toString()));
        args.addAll(options);
        CommandLine.ParseResult parsed;
        try {
            parsed = verify.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("verify option: " + e.getMessage());
        }
        for (String interactive : List.of("--ask-pass", "--ask-become-pass")) {
            if (parsed.hasMatchedOption(interactive)) {
                throw new IllegalArgumentException("verify option " + interactive + ": a scheduled run has no terminal"
                        + " to ask on; use a key (ansible_ssh_private_key_file) and passwordless sudo");
            }
        }
        List<String> out = new ArrayList<>();
        CommandLine.Model.OptionSpec pathValueOf = null;
        for (String a : options) {
            if (pathValueOf != null) {
                out.add(Path.of(a).toAbsolutePath().normalize().toString());
                pathValueOf = null;
                continue;
            }
            int eq = a.indexOf('=');
            CommandLine.Model.OptionSpec o = verify.getCommandSpec().findOption(eq > 0 ? a.substring(0, eq) : a);
            if (o != null && takesPaths(o) && eq > 0) {
                out.add(a.substring(0, eq + 1) + Path.of(a.substring(eq + 1)).toAbsolutePath().normalize());
            } else {
                out.add(a);
                pathValueOf = o != null && takesPaths(o) ? o : null;
            }
        }
        return out;
    }

    private static boolean takesPaths(CommandLine.Model.OptionSpec o) {
        return o.type() == Path.class || (o.auxiliaryTypes().length > 0 && o.auxiliaryTypes()[0] == Path.class);
    }
}

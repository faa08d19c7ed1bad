package dev.ntpdeploy.cli;

import dev.ntpdeploy.watch.Schedules;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
                "cron counts whole minutes: intervals it cannot run evenly are refused (use systemd or watch)."})
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

    @Override
    public Integer call() {
        Path inv = inventory.toAbsolutePath().normalize();
        if (!Files.isRegularFile(inv)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "inventory " + inv + " does not exist:"
                    + " the unit names it by absolute path, so give the file it should check");
        }
        String text;
        try {
            List<String> argv = Schedules.verifyCommand(Schedules.launcher(), inv);
            text = format == Format.systemd ? Schedules.systemd(name, argv, inv, every) : Schedules.cron(argv, every);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return 0;
    }
}

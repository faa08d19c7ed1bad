package dev.ntpdeploy.cli;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.ExitException;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.watch.HistoryLog;
import dev.ntpdeploy.watch.MetricsListen;
import dev.ntpdeploy.watch.VerificationRound;
import dev.ntpdeploy.watch.VerifyRound;
import dev.ntpdeploy.watch.Watcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntpdeploy watch}: verify every interval until SIGTERM/SIGINT; metrics, history and state changes. */
@Command(name = "watch",
        description = {
                "Run the verification of 'verify' at start and then every interval until SIGTERM/SIGINT (exit 0).",
                "With --limit, each round reports (and exports metrics for) the hosts selected, probing the masters of"
                        + " the clients among them to judge them.",
                "Exports Prometheus metrics, appends each round to a JSON-lines history, and logs every state change"
                        + " (sync lost/regained, finding appeared/cleared) on stderr and to an optional hook.",
                "SSH connections are kept between rounds; one that dropped, or whose host could not be probed, is"
                        + " opened again with the host key checked, like a cold 'verify'.",
                "Host failures (SSH, parse errors, timeouts) are results; a round that fails as a whole is UNKNOWN."})
public final class Watch implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventory;

    @Mixin
    SshOptions ssh;

    @Mixin
    LimitOptions limit;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Interval between round starts: 90 (seconds), 30s, 5m, 1h30m, 1d (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT|none", defaultValue = MetricsListen.DEFAULT,
            description = "Where the Prometheus endpoint (/metrics) listens, or none (default: ${DEFAULT-VALUE}).")
    String metricsListen;

    @Option(names = "--history", paramLabel = "FILE", description = "Append each round as one JSON line to FILE.")
    Path history;

    @Option(names = "--history-max-bytes", paramLabel = "BYTES", defaultValue = "" + HistoryLog.DEFAULT_MAX_BYTES,
            description = "Rotate FILE to FILE.1 before it would grow past this (default: ${DEFAULT-VALUE}).")
    long historyMaxBytes;

    @Option(names = "--history-keep", paramLabel = "N", defaultValue = "3",
            description = "Rotated files to keep, FILE.1 .. FILE.N, 1-" + HistoryLog.MAX_KEEP + " (default: ${DEFAULT-VALUE}).")
    int historyKeep;

    @Option(names = "--on-change", paramLabel = "CMD",
            description = "Run CMD with sh -c on every state change, the change as JSON on stdin.")
    String onChange;

    @Option(names = "--on-change-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Kill a hook still running after this (default: ${DEFAULT-VALUE}).")
    Duration onChangeTimeout;

    @Override
    public Integer call() throws Exception {
        Watcher.Settings settings;
        try {
            settings = new Watcher.Settings(every, MetricsListen.parse(metricsListen), Optional.ofNullable(history),
                    historyMaxBytes, historyKeep, Optional.ofNullable(onChange), onChangeTimeout);
            if (history != null) {
                new HistoryLog(history, historyMaxBytes, historyKeep); // validates the limits before any round
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Inventory inv = inventory.load();
        PrintWriter err = spec.commandLine().getErr();
        try {
            // the seam: the verification one round runs (see VerificationRound); an invalid --limit or template
            // stops here, before any round
            VerificationRound round = VerifyRound.open(inv, inventory.renderer(), limit.pattern(),
                    ssh.toTransportOptions(), err::println);
            return new Watcher(settings, spec.commandLine().getOut(), err).runUntilSignalled(round);
        } catch (IOException e) {
            // cannot start: unreadable --known-hosts, a prompt without a terminal, the metrics port taken
            throw new ExitException(Exit.INVALID_INPUT, "watch: " + e.getMessage());
        }
    }
}

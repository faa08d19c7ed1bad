package dev.ntpdeploy.cli;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.engine.VerifyJob;
import dev.ntpdeploy.engine.VerifyRequest;
import dev.ntpdeploy.report.VerifyJson;
import dev.ntpdeploy.report.VerifyNagios;
import dev.ntpdeploy.report.VerifyText;
import dev.ntpdeploy.transport.TransportOptions;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.PrintWriter;
import dev.ntpdeploy.inventory.Inventory;
import java.util.Optional;
import picocli.CommandLine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntpdeploy verify}: options -> {@link VerifyJob} over one connection per host -> report and exit code. */
@Command(name = "verify",
        description = {
                "Check over SSH that the whole topology is in time: every master serves, every client follows a master"
                        + " (ntpq on each host, judged together); when not, say why and what to change. Read-only.",
                "With --limit, the masters of the clients selected are probed too, to judge them; only the hosts"
                        + " selected are reported.",
                "Exit codes follow the monitoring plugins: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for a usage"
                        + " error or an invalid inventory)."})
public final class Verify implements Callable<Integer>, Exit.MonitoringCheck {

    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventory;

    @Mixin
    SshOptions ssh;

    @Mixin
    SyncOptions sync;

    @Mixin
    LimitOptions limit;

    /** What --format accepts. */
    enum Format { text, json, nagios }

    @Option(names = "--format", paramLabel = "text|json|nagios", defaultValue = "text",
            description = "text: the table and the status line; json: one JSON document; nagios: the monitoring"
                    + " plugin's status line with perfdata first, the table after it (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--json", description = "Same as --format json.")
    boolean json;

    @Option(names = "--wait", description = "Wait (up to --sync-timeout) for hosts still starting or syncing.")
    boolean waitForSync;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TransportOptions transport = ssh.toTransportOptions();
        if (json && format != Format.text && format != Format.json) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--json is --format json: give one of --json and --format " + format);
        }
        Inventory inv = inventory.load();
        VerifyRequest request = new VerifyRequest(inv, inventory.renderer(), limit.pattern(),
                VerifyRequest.Settings.of(transport.commandTimeout(), transport.forks(), waitForSync,
                        sync.syncTimeout()), Connector.ssh(transport));
        try (CtrlC ctrlC = CtrlC.install(out, err, "verify: interrupted: stopped waiting; reporting the latest state",
                Exit.UNKNOWN)) {
            VerifyResult result = VerifyJob.of(request, err::println, ctrlC.flag()::get).run();
            Format f = json ? Format.json : format;
            out.print(switch (f) {
                case text -> VerifyText.render(result, inventory.verbosity().verbose());
                case json -> VerifyJson.render(result);
                case nagios -> VerifyNagios.render(result, inv::maxOffsetMs);
            });
            out.flush();
            alertLine(result, f).ifPresent(line -> {
                err.println(line);
                err.flush();
            });
            return ctrlC.exit(Exit.of(result.status()));
        }
    }

    /**
     * The status line on stderr when the result is not OK: cron mails what a job writes, and its line sends stdout
     * to /dev/null, so an OK run is silent and any other sends mail. Not with nagios, whose first line is the
     * status already (some monitoring systems append stderr to the plugin's output).
     */
    static Optional<String> alertLine(VerifyResult result, Format format) {
        return result.status() == Status.OK || format == Format.nagios
                ? Optional.empty() : Optional.of(VerifyText.summary(result));
    }

}

package dev.ntpdeploy.cli;

import dev.ntpdeploy.ExitCodes;
import dev.ntpdeploy.Main;
import dev.ntpdeploy.engine.ApplyJob;
import dev.ntpdeploy.engine.VerifyJob;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.HostPattern;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.report.VerifyJson;
import dev.ntpdeploy.report.VerifyText;
import dev.ntpdeploy.transport.Fleet;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.transport.TransportOptions;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ntpdeploy verify}: options -> {@link VerifyJob} over one connection per host -> report and exit code. */
@Command(name = "verify",
        description = {
                "Check over SSH that the whole topology is in time: every master serves, every client follows a master"
                        + " (ntpq on each host, judged together); when not, say why and what to change. Read-only.",
                "Exit codes follow the monitoring plugins: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for an invalid"
                        + " inventory)."})
public final class Verify implements Callable<Integer>, Main.InvalidInputExitCode {

    @Mixin
    InventoryOptions inventory;

    @Mixin
    SshOptions ssh;

    @Mixin
    SyncOptions sync;

    @Option(names = "--limit", paramLabel = "PATTERN", defaultValue = "all",
            description = "Only report these hosts: comma-separated host names, group names and globs; !PATTERN"
                    + " excludes (default: all). The masters are probed too, to judge their clients.")
    String limit;

    @Option(names = "--json", description = "Print one JSON document on stdout instead of the table.")
    boolean json;

    @Option(names = "--wait", description = "Wait (up to --sync-timeout) for hosts still starting or syncing.")
    boolean waitForSync;

    @Override
    public int invalidInputExitCode() {
        return ExitCodes.UNKNOWN; // a monitoring check that cannot judge says UNKNOWN
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        TransportOptions transport = ssh.toTransportOptions();
        Inventory inv = inventory.load();
        List<Host> reported;
        try {
            reported = HostPattern.parse(limit).select(inv);
        } catch (IllegalArgumentException e) {
            throw new ApplyJob.InvalidInput(e.getMessage());
        }
        ConfigRenderer renderer = inventory.renderer();
        VerifyJob.checkRendering(inv, reported, renderer);
        List<Host> probed = VerifyJob.withTheirMasters(inv, reported);
        try (CtrlC ctrlC = CtrlC.install(err, "verify: interrupted: stopped waiting; reporting the latest state",
                ExitCodes.UNKNOWN)) {
            VerifyResult result;
            try (Fleet fleet = open(probed, transport)) {
                VerifyJob.Settings settings = new VerifyJob.Settings(transport.commandTimeout(), transport.forks(),
                        waitForSync, sync.syncTimeout(), VerifyJob.POLL_INTERVAL);
                result = VerifyJob.standard(inv, renderer, settings, err::println, ctrlC.flag()::get)
                        .run(probed, fleet.connected(), fleet.unreachable())
                        .only(reported.stream().map(Host::name).toList());
            }
            out.print(json ? VerifyJson.render(result) : VerifyText.render(result, inventory.verbosity().verbose()));
            out.flush();
            return ctrlC.exit(result.status().exitCode());
        }
    }

    private static Fleet open(List<Host> hosts, TransportOptions transport) throws ApplyJob.InvalidInput {
        try {
            return Fleet.open(hosts, transport);
        } catch (TransportException e) {
            throw new ApplyJob.InvalidInput(e.getMessage());
        }
    }
}

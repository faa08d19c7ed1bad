package dev.ntpdeploy.cli;

import dev.ntpdeploy.engine.AfterApply;
import dev.ntpdeploy.engine.ApplyJob;
import dev.ntpdeploy.engine.ApplyOutcome;
import dev.ntpdeploy.engine.ApplyRequest;
import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.ops.RemoteFilesInstaller;
import dev.ntpdeploy.report.ApplyConsole;
import dev.ntpdeploy.report.ApplyReport;
import dev.ntpdeploy.transport.Fleet;
import dev.ntpdeploy.transport.TransportOptions;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ntpdeploy apply}: options -> request -> {@link ApplyJob} -> report and exit code. */
@Command(name = "apply",
        description = {
                "Push each host's rendered ntp.conf over SSH and restart ntpd only where the file changed:"
                        + " masters first, then clients. A host whose ntpd rejects the new file gets its previous"
                        + " file back and is reported failed with ntpd's own error.",
                "--dry-run connects, probes and prints the diff of every host that would change, and changes nothing."})
public final class Apply implements Callable<Integer> {

    @Mixin
    InventoryOptions inventory;

    @Mixin
    SshOptions ssh;

    @Option(names = "--limit", paramLabel = "PATTERN", defaultValue = "all",
            description = "Only these hosts: comma-separated host names, group names and globs; !PATTERN excludes"
                    + " (default: all).")
    String limit;

    @Option(names = {"--dry-run", "--check"},
            description = "Connect, probe and show what would change (unified diffs); change nothing.")
    boolean dryRun;

    @Option(names = "--diff", description = "Also print the diff of each changed host in a real run.")
    boolean diff;

    @Option(names = "--no-backup",
            description = "Do not keep the previous config as <file>.ntpdeploy-<timestamp> (by default the last 5 are kept).")
    boolean noBackup;

    @Option(names = "--json", description = "Print one JSON document on stdout instead of the recap.")
    boolean json;

    @Option(names = "--no-verify", description = "Do not verify the fleet's sync after applying.")
    boolean noVerify;

    static final int KEEP_BACKUPS = 5;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        TransportOptions transport = ssh.toTransportOptions();
        ApplyRequest request = new ApplyRequest(inventory.inventoryPath(), inventory.templatesDir(), limit,
                transport.forks(), dryRun, noBackup ? 0 : KEEP_BACKUPS, transport.commandTimeout());
        Connector connector = hosts -> {
            Fleet fleet = Fleet.open(hosts, transport);
            return new Connector.Opened(fleet.connected(), fleet.unreachable());
        };
        // verification hooks in here once it exists; --no-verify will then skip it
        AfterApply afterApply = AfterApply.NONE;
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch reported = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            cancelled.set(true);
            err.println("apply: interrupted: no new host will start; waiting for the hosts in flight");
            try {
                reported.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "apply-interrupt");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            ApplyOutcome outcome = new ApplyJob(connector, new RemoteFilesInstaller(),
                    new ApplyConsole(json ? err : out, err, diff || dryRun), afterApply, cancelled).run(request);
            if (json) {
                out.println(ApplyReport.json(outcome));
            } else {
                ApplyReport.recap(outcome, out);
            }
            out.flush();
            return outcome.exitCode();
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and now returns
            }
        }
    }
}

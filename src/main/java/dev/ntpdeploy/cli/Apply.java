package dev.ntpdeploy.cli;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.engine.AfterApply;
import dev.ntpdeploy.engine.ApplyJob;
import dev.ntpdeploy.engine.ApplyOutcome;
import dev.ntpdeploy.engine.ApplyRequest;
import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.engine.VerifyJob;
import dev.ntpdeploy.engine.VerifyRequest;
import dev.ntpdeploy.report.ApplyConsole;
import dev.ntpdeploy.report.ApplyReport;
import dev.ntpdeploy.report.VerifyText;
import dev.ntpdeploy.transport.TransportOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntpdeploy apply}: options -> request -> {@link ApplyJob} -> report and exit code. */
@Command(name = "apply",
        description = {
                "Push each host's rendered ntp.conf over SSH and restart ntpd only where the file changed:"
                        + " masters first, then clients. A host whose ntpd rejects the new file gets its previous"
                        + " file back and is reported failed with ntpd's own error.",
                "--dry-run connects, probes and prints the diff of every host that would change, and changes nothing."})
public final class Apply implements Callable<Integer> {

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

    @Mixin
    ChangeOptions change;

    @Option(names = "--json", description = "Print one JSON document on stdout instead of the recap.")
    boolean json;

    @Option(names = "--no-verify", description = "Do not verify the fleet's sync after applying (by default apply waits"
            + " up to --sync-timeout for every host to sync and prints the verified table).")
    boolean noVerify;


    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TransportOptions transport = ssh.toTransportOptions();
        inventory.warnings();
        ApplyRequest request = new ApplyRequest(inventory.inventoryPath(), inventory.templatesDir(), limit.pattern(),
                transport.forks(), change.check(), change.keepBackups(), transport.commandTimeout());
        Connector connector = Connector.ssh(transport); // prompts (if any) once per run
        try (CtrlC ctrlC = CtrlC.install(out, err,
                "apply: interrupted: no new host will start; waiting for the hosts in flight", Exit.HOSTS_FAILED)) {
            AtomicBoolean cancelled = ctrlC.flag();
            // the same verification as `verify --wait`, over this run's connections
            AfterApply afterApply = noVerify ? AfterApply.NONE : VerifyJob.afterApply(inventory.renderer(),
                    limit.pattern(), VerifyRequest.Settings.of(transport.commandTimeout(), transport.forks(), true,
                            sync.syncTimeout()), err::println, cancelled::get, connector);
            ApplyOutcome outcome = new ApplyJob(connector, new ApplyConsole(json ? err : out, err, change.showDiffs()),
                    afterApply, cancelled).run(request);
            if (json) {
                out.println(ApplyReport.json(outcome));
            } else {
                ApplyReport.recap(outcome, out);
                if (outcome.verified().isPresent()) {
                    out.println();
                    out.println("SYNC (verified after applying)");
                    out.print(VerifyText.render(outcome.verified().get(), inventory.verbosity().verbose()));
                }
            }
            out.flush();
            return ctrlC.exit(Exit.of(outcome, cancelled.get()));
        }
    }
}

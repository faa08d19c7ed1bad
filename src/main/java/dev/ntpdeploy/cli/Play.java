package dev.ntpdeploy.cli;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.engine.PlayJob;
import dev.ntpdeploy.engine.PlayOutcome;
import dev.ntpdeploy.engine.PlayRequest;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.InventoryLoader;
import dev.ntpdeploy.report.PlayConsole;
import dev.ntpdeploy.report.PlayReport;
import dev.ntpdeploy.transport.TransportOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ntpdeploy play PLAYBOOK -i INVENTORY}: options -> request -> {@link PlayJob} -> recap, retry file, exit code. */
@Command(name = "play",
        description = {
                "Run a playbook (docs/playbooks.md): each play's hosts in batches (serial), every task on every host"
                        + " of a batch before the next task, each batch gated on verified sync; the run stops before"
                        + " the next batch when a batch's failures exceed its budget (max_fail_percentage,"
                        + " any_errors_fatal, or the whole batch), and the hosts to retry are written to"
                        + " PLAYBOOK.retry (use --limit @PLAYBOOK.retry).",
                "--check plans every batch (with --diff: the diffs) and changes nothing; the gates are not run."})
public final class Play implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook, e.g. playbooks/site.yml.")
    Path playbook;

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "INVENTORY",
            description = "YAML inventory (Ansible layout), e.g. inventories/example.yml.")
    Path inventory;

    @Mixin
    TemplatesOptions templates;

    @Mixin
    VerbosityOptions verbosity;

    @Mixin
    SshOptions ssh;

    @Mixin
    LimitOptions limit;

    @Mixin
    ChangeOptions change;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TransportOptions transport = ssh.toTransportOptions();
        try {
            InventoryOptions.printWarnings(InventoryLoader.resolve(inventory).warnings(), err);
        } catch (InventoryException e) {
            // the job loads it again and reports the error with its exit code
        }
        PlayRequest request = new PlayRequest(playbook, inventory, templates.templatesDir(), limit.pattern(),
                transport.forks(), change.check(), change.keepBackups(), transport.commandTimeout());
        Connector connector = Connector.ssh(transport); // prompts (if any) once per run
        try (CtrlC ctrlC = CtrlC.install(out, err,
                "play: interrupted: no new batch or host will start; waiting for the hosts in flight", Exit.HOSTS_FAILED)) {
            PlayOutcome outcome = new PlayJob(connector, new PlayConsole(out, err, change.showDiffs(), verbosity.verbose()),
                    ctrlC.flag(), err::println).run(request);
            PlayReport.recap(outcome, out);
            if (!outcome.retry().isEmpty()) {
                retry(outcome, out, err);
            }
            out.flush();
            return ctrlC.exit(Exit.of(outcome));
        }
    }

    private void retry(PlayOutcome outcome, PrintWriter out, PrintWriter err) {
        if (change.check()) {
            out.println("check mode: no retry file written (hosts that would be retried: "
                    + String.join(", ", outcome.retry()) + ")");
            return;
        }
        Path file = PlayReport.retryFile(playbook);
        try {
            PlayReport.writeRetry(file, outcome.retry());
            out.println("to retry, use: --limit @" + file);
        } catch (IOException e) {
            err.println("play: could not write the retry file " + file + ": " + e.getMessage()
                    + " (hosts to retry: " + String.join(", ", outcome.retry()) + ")");
        }
    }
}

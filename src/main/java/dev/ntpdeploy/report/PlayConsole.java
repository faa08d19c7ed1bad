package dev.ntpdeploy.report;

import dev.ntpdeploy.engine.HostPlan;
import dev.ntpdeploy.engine.HostResult;
import dev.ntpdeploy.engine.PlayListener;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.playbook.Play;
import dev.ntpdeploy.playbook.Task;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Prints a playbook run as it happens, in Ansible's shape: each play and batch with its hosts, each task, a line per
 * host as it finishes (with the diff in --check/--diff), each gate's verdict table; progress goes to stderr.
 */
public final class PlayConsole implements PlayListener {

    private final PrintWriter out;
    private final ApplyConsole hosts;
    private final boolean verbose;

    public PlayConsole(PrintWriter out, PrintWriter progress, boolean diffs, boolean verbose) {
        this.out = out;
        this.hosts = new ApplyConsole(out, progress, diffs);
        this.verbose = verbose;
    }

    @Override
    public synchronized void play(Play play, List<List<Host>> batches) {
        out.println();
        int n = batches.stream().mapToInt(List::size).sum();
        out.println("PLAY [" + play.title() + "] " + (n == 0 ? "no hosts matched" : n + " host(s) in "
                + batches.size() + " batch(es) of " + batches.stream().map(b -> String.valueOf(b.size())).toList()));
        out.flush();
    }

    @Override
    public synchronized void batch(Play play, int number, int of, List<Host> batch) {
        out.println();
        out.println("BATCH " + number + "/" + of + " [" + play.title() + "]: " + names(batch));
        out.flush();
    }

    @Override
    public synchronized void task(Task task, List<Host> on) {
        out.println("TASK [" + task.name() + "] " + task.module() + " on " + names(on));
        out.flush();
    }

    @Override
    public void phase(String what) {
        hosts.phase(what);
    }

    @Override
    public void planned(HostPlan plan) {
        hosts.planned(plan);
    }

    @Override
    public synchronized void finished(HostResult result) {
        hosts.finished(result);
    }

    @Override
    public synchronized void pause(Task.Pause task, boolean skipped) {
        out.println((skipped ? "skipping: pause of " : "pausing for ")
                + dev.ntpdeploy.Durations.format(task.duration()) + (skipped ? " (check mode)" : ""));
        out.flush();
    }

    @Override
    public synchronized void gateSkipped(Task.Verify task, List<Host> on, String why) {
        on.forEach(h -> out.println("skipping: " + h.name() + " (" + why + ")"));
        out.flush();
    }

    @Override
    public synchronized void gate(Task.Verify task, VerifyResult result, Map<String, String> failed) {
        if (!result.hosts().isEmpty()) {
            out.print(VerifyText.render(result, verbose));
        }
        for (HostVerdict v : result.hosts()) {
            if (!failed.containsKey(v.host())) {
                out.println("ok: " + v.host() + " (" + v.verdictText() + ")");
            }
        }
        failed.forEach((h, why) -> out.println("failed: " + h + " (" + why + ")"));
        out.flush();
    }

    private static String names(List<Host> hosts) {
        return String.join(", ", hosts.stream().map(Host::name).toList());
    }
}

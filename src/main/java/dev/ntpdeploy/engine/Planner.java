package dev.ntpdeploy.engine;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.ProbeFacts;
import dev.ntpdeploy.facts.RemoteFile;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.ops.PutFile;
import dev.ntpdeploy.ops.RestartService;
import dev.ntpdeploy.ops.Step;
import dev.ntpdeploy.report.UnifiedDiff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares what a host should have (the rendered config) with what it has (the probe) and plans
 * only the steps needed: upload when content, mode or owner differ; restart when the file changed,
 * ntpd is not running, or ntpd started before the file last changed (it never read it); nothing otherwise.
 * Pure: no I/O.
 */
public final class Planner {

    static final String MODE = "0644";
    static final String OWNER = "root";
    static final String GROUP = "root";

    private Planner() {
    }

    /**
     * @param rendered the host's config rendered per flavor (every flavor for ntp_flavor auto, else the declared one)
     */
    public static HostPlan plan(Host host, ProbeFacts facts, Map<Flavor, String> rendered) {
        Daemon.Resolution resolved = Daemon.resolve(host.ntp(), Optional.of(facts));
        if (resolved.daemon().isEmpty()) {
            return HostPlan.unplannable(host, resolved.problem());
        }
        Daemon daemon = resolved.daemon().get();
        if (!daemon.flavor().applied()) {
            return HostPlan.unplannable(host, "apply does not manage " + daemon.flavor().word() + " yet: write the"
                    + " file `ntpdeploy render --flavor " + daemon.flavor().word() + " --out DIR` renders to "
                    + daemon.confPath() + " and restart " + daemon.service() + "; `ntpdeploy verify` judges it");
        }
        String desiredText = rendered.get(daemon.flavor());
        if (desiredText == null) {
            return HostPlan.unplannable(host, "no config rendered for flavor " + daemon.flavor().word());
        }
        String path = daemon.confPath();
        RemoteFile current = facts.file(path);
        byte[] desired = desiredText.getBytes(StandardCharsets.UTF_8);

        List<String> reasons = new ArrayList<>();
        StringBuilder diff = new StringBuilder();
        if (!current.exists()) {
            reasons.add("file missing");
        } else {
            String mode = current.octalMode().orElse("");
            if (!mode.equals(MODE)) {
                reasons.add("mode " + mode + " -> " + MODE);
                diff.append("old mode ").append(mode).append('\n').append("new mode ").append(MODE).append('\n');
            }
            String owner = current.owner() + ":" + current.group();
            if (!owner.equals(OWNER + ":" + GROUP)) {
                reasons.add("owner " + owner + " -> " + OWNER + ":" + GROUP);
                diff.append("old owner ").append(owner).append('\n')
                        .append("new owner ").append(OWNER).append(':').append(GROUP).append('\n');
            }
            if (!current.sameContent(desired)) {
                reasons.add(0, "content differs");
            }
        }
        diff.append(UnifiedDiff.of(host.name(), path, current.exists() ? current.text() : null, desiredText));

        // a mode/owner fix alone does not change what ntpd reads: no restart for it
        boolean contentChanges = !current.sameContent(desired);
        List<Step> steps = new ArrayList<>();
        if (!reasons.isEmpty()) {
            steps.add(new PutFile(path, desired, MODE, OWNER, GROUP, reasons));
        }
        // a daemon that started before the file last changed never read it (an interrupted run, a hand edit)
        String restart = contentChanges ? RestartService.CONFIG_CHANGED
                : !facts.ntpdRunning() ? RestartService.NOT_RUNNING
                : facts.configChangedAfterStart(path) ? RestartService.STALE : null;
        if (restart != null) {
            steps.add(new RestartService(daemon.service(), daemon.manager(), facts.ntpdPid(), restart));
        }
        return new HostPlan(host, daemon, current, steps, diff.toString(), Optional.empty(),
                facts.leftovers());
    }
}

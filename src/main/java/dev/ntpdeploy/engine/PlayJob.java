package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.HostPattern;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.inventory.InventoryLoader;
import dev.ntpdeploy.playbook.Play;
import dev.ntpdeploy.playbook.Playbook;
import dev.ntpdeploy.playbook.PlaybookException;
import dev.ntpdeploy.playbook.PlaybookLoader;
import dev.ntpdeploy.playbook.Task;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a playbook with Ansible's linear strategy per batch: plays in order; each play's hosts (those --limit keeps)
 * cut into {@link Batches}; in a batch every task runs on every host still in the play (up to --forks at a time)
 * before the next task; a host that fails a task is out of the rest of the run; after each task the batch's
 * {@link FailureBudget} decides whether the run stops (no later batch, no later play). {@code ntp_config} is one
 * {@link ApplyJob} limited to the batch, {@code verify} one {@link VerifyJob} limited to it (its masters probed as
 * context), so a playbook changes and judges hosts exactly as {@code apply} and {@code verify} do.
 *
 * <p>Everything that can be refused is refused before any host is contacted: the playbook, the inventory, --limit,
 * every play's host pattern, and the rendering of every selected host. With --check, {@code ntp_config} plans and
 * shows the diffs and changes nothing, and the gates are not run (there is no change for them to judge).
 */
public final class PlayJob {

    private final Connector connector;
    private final PlayListener listener;
    private final AtomicBoolean cancelled;
    private final Consumer<String> progress;

    public PlayJob(Connector connector, PlayListener listener, AtomicBoolean cancelled, Consumer<String> progress) {
        this.connector = connector;
        this.listener = listener;
        this.cancelled = cancelled;
        this.progress = progress;
    }

    /** Every play's batches, decided before the run. */
    private record Plan(Playbook book, Inventory inventory, ConfigRenderer renderer, List<List<List<Host>>> batches) {
    }

    /**
     * @throws PlaybookException  the playbook or a play's host pattern is invalid: no host was contacted
     * @throws InventoryException the inventory or --limit is invalid: no host was contacted
     * @throws RenderException    a selected host's config does not render: no host was contacted
     */
    public PlayOutcome run(PlayRequest req) throws PlaybookException, InventoryException, RenderException {
        Plan plan = plan(req);
        Map<String, int[]> tallies = new LinkedHashMap<>(); // ok, changed, failed, unreachable, skipped
        Set<String> out = new HashSet<>();
        Set<String> notReached = new LinkedHashSet<>();
        Set<String> unfinished = new LinkedHashSet<>();
        Optional<String> stopped = Optional.empty();
        List<Play> plays = plan.book().plays();
        for (int p = 0; p < plays.size(); p++) {
            Play play = plays.get(p);
            List<List<Host>> batches = plan.batches().get(p);
            if (stopped.isPresent()) {
                batches.forEach(b -> b.forEach(h -> notReached.add(h.name())));
                continue;
            }
            listener.play(play, batches);
            for (int b = 0; b < batches.size(); b++) {
                List<Host> batch = batches.get(b);
                String where = "batch " + (b + 1) + "/" + batches.size() + " of play " + quote(play.title());
                if (stopped.isEmpty() && cancelled.get()) {
                    stopped = Optional.of("interrupted before " + where);
                }
                if (stopped.isPresent()) {
                    batch.forEach(h -> notReached.add(h.name()));
                    continue;
                }
                batch.forEach(h -> tallies.computeIfAbsent(h.name(), k -> new int[5]));
                listener.batch(play, b + 1, batches.size(), batch);
                stopped = runBatch(req, plan, play, batch, where, tallies, out, unfinished);
            }
        }
        List<PlayOutcome.HostTally> recap = new ArrayList<>();
        tallies.forEach((h, t) -> recap.add(new PlayOutcome.HostTally(h, t[0], t[1], t[2], t[3], t[4])));
        notReached.removeAll(tallies.keySet());
        notReached.addAll(unfinished);
        return new PlayOutcome(recap, stopped, List.copyOf(notReached), req.check(), cancelled.get());
    }

    /**
     * @param unfinished gets the hosts still in the play when the run stops before the batch's last task (what a
     *                   retry must cover, as Ansible's retry file holds the hosts its budget check marks failed)
     * @return why the run stops after this batch, if it does
     */
    private Optional<String> runBatch(PlayRequest req, Plan plan, Play play, List<Host> batch, String where,
                                      Map<String, int[]> tallies, Set<String> out, Set<String> unfinished) {
        FailureBudget budget = new FailureBudget(play.maxFailPercentage(), play.anyErrorsFatal());
        int failed = 0;
        List<Host> active = batch.stream().filter(h -> !out.contains(h.name())).toList();
        List<Task> tasks = play.tasks();
        for (int i = 0; i < tasks.size() && !active.isEmpty(); i++) {
            Task task = tasks.get(i);
            listener.task(task, active);
            Map<String, String> taskFailed;
            if (task instanceof Task.Pause pause) {
                pause(req, pause);
                taskFailed = Map.of();
            } else if (task instanceof Task.Verify v) {
                taskFailed = verify(req, plan, v, active, tallies);
            } else {
                taskFailed = ntpConfig(req, active, tallies);
            }
            out.addAll(taskFailed.keySet());
            failed += taskFailed.size();
            active = active.stream().filter(h -> !taskFailed.containsKey(h.name())).toList();
            Optional<String> stop = Optional.empty();
            if (cancelled.get()) {
                stop = Optional.of("interrupted during " + where);
            } else if (budget.exceeded(failed, batch.size())) {
                stop = Optional.of(failed + " of " + batch.size() + " host(s) of " + where + " failed"
                        + (play.anyErrorsFatal() ? " (any_errors_fatal)"
                        : play.maxFailPercentage().isPresent() && failed < batch.size()
                        ? " (more than max_fail_percentage " + percent(play.maxFailPercentage().getAsDouble()) + ")"
                        : " (the whole batch)") + ": no later batch or play was started");
            }
            if (stop.isPresent()) {
                if (i < tasks.size() - 1) {
                    active.forEach(h -> unfinished.add(h.name()));
                }
                return stop;
            }
        }
        return Optional.empty();
    }

    /** Once for the batch; not in check mode (nothing changed to soak); Ctrl-C ends it. */
    private void pause(PlayRequest req, Task.Pause task) {
        listener.pause(task, req.check());
        if (req.check()) {
            return;
        }
        try {
            VerifyJob.sleepUnlessCancelled(task.duration(), cancelled::get);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled.set(true);
        }
    }

    /** The batch's hosts through {@link ApplyJob}: the hosts that failed or were unreachable, with why. */
    private Map<String, String> ntpConfig(PlayRequest req, List<Host> hosts, Map<String, int[]> tallies) {
        Map<String, String> failed = new LinkedHashMap<>();
        ApplyRequest apply = new ApplyRequest(req.inventory(), req.templates(), names(hosts), req.forks(), req.check(),
                req.keepBackups(), req.commandTimeout());
        List<HostResult> results;
        try {
            results = new ApplyJob(connector, listener, AfterApply.NONE, cancelled).run(apply).results();
        } catch (InventoryException | RenderException | TransportException e) {
            // checked before the run began; if the files changed since, these hosts fail, the recap is kept
            results = hosts.stream().map(h -> new HostResult(h.name(), h.role(), HostStatus.FAILED,
                    String.valueOf(e.getMessage()), null)).toList();
            results.forEach(listener::finished);
        }
        for (HostResult r : results) {
            int[] t = tallies.get(r.host());
            switch (r.status()) {
                case OK -> t[0]++;
                case CHANGED -> {
                    t[0]++;
                    t[1]++;
                }
                case FAILED -> t[2]++;
                case UNREACHABLE -> t[3]++;
                case SKIPPED -> t[4]++;
            }
            if (r.status().bad()) {
                failed.put(r.host(), r.message());
            }
        }
        return failed;
    }

    /** The gate: the hosts not in sync after waiting (or unreachable), with why. */
    private Map<String, String> verify(PlayRequest req, Plan plan, Task.Verify task, List<Host> hosts,
                                       Map<String, int[]> tallies) {
        Map<String, String> failed = new LinkedHashMap<>();
        if (req.check()) {
            hosts.forEach(h -> tallies.get(h.name())[4]++);
            listener.gateSkipped(task, hosts, "check mode: nothing was changed for the gate to judge");
            return failed;
        }
        VerifyRequest request = new VerifyRequest(plan.inventory(), plan.renderer(), names(hosts),
                VerifyRequest.Settings.of(req.commandTimeout(), req.forks(), task.waitForSync(), task.timeout()),
                connector);
        VerifyResult result;
        try {
            result = VerifyJob.of(request, progress, cancelled::get).run();
        } catch (InventoryException | RenderException | TransportException e) {
            hosts.forEach(h -> {
                tallies.get(h.name())[2]++;
                failed.put(h.name(), String.valueOf(e.getMessage()));
            });
            listener.gate(task, new VerifyResult(List.of(), dev.ntpdeploy.verify.Status.UNKNOWN), failed);
            return failed;
        }
        for (HostVerdict v : result.hosts()) {
            int[] t = tallies.get(v.host());
            if (t == null) {
                continue;
            }
            if (!v.reached()) {
                t[3]++;
                failed.put(v.host(), "unreachable at the gate");
            } else if (!v.verdict().inSync()) {
                t[2]++;
                failed.put(v.host(), "not in sync at the gate: " + v.verdictText());
            } else {
                t[0]++;
            }
        }
        listener.gate(task, result, failed);
        return failed;
    }

    private static Plan plan(PlayRequest req) throws PlaybookException, InventoryException, RenderException {
        Playbook book = PlaybookLoader.load(req.playbook());
        Inventory inventory = InventoryLoader.load(req.inventory());
        Set<Host> limited = new LinkedHashSet<>(HostPattern.limit(req.limit(), inventory));
        ConfigRenderer renderer = new ConfigRenderer(req.templates());
        List<List<List<Host>>> batches = new ArrayList<>();
        Set<Host> all = new LinkedHashSet<>();
        for (Play play : book.plays()) {
            List<Host> hosts;
            try {
                hosts = HostPattern.parse(play.hosts(), play.hostsPos() + ": hosts").select(inventory).stream()
                        .filter(limited::contains).toList();
            } catch (IllegalArgumentException e) {
                throw new PlaybookException(e.getMessage());
            }
            batches.add(Batches.of(hosts, play.serial()));
            all.addAll(hosts);
        }
        VerifyJob.checkRendering(inventory, List.copyOf(all), renderer);
        return new Plan(book, inventory, renderer, batches);
    }

    private static String names(List<Host> hosts) {
        return String.join(",", hosts.stream().map(Host::name).toList());
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    private static String percent(double d) {
        return (d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d)) + "%";
    }
}

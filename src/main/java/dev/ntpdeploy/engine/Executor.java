package dev.ntpdeploy.engine;

import dev.ntpdeploy.ops.FileInstaller;
import dev.ntpdeploy.transport.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Executes host plans: every master first (in parallel), the clients only once the masters are done
 * (in parallel), at most {@code forks} hosts at a time. One host's failure never stops the others;
 * once {@code cancelled} is set (Ctrl-C) no new host starts, in-flight hosts finish.
 */
public final class Executor {

    /** A planned host and its open connection. */
    public record Target(HostPlan plan, Connection connection) {
    }

    private final HostApplier applier;
    private final int forks;
    private final AtomicBoolean cancelled;

    public Executor(FileInstaller installer, int keepBackups, int forks, AtomicBoolean cancelled) {
        this.applier = new HostApplier(installer, keepBackups);
        this.forks = Math.max(1, forks);
        this.cancelled = cancelled;
    }

    /**
     * @param mastersDown masters already failed or unreachable before execution (noted on every client)
     * @param onResult    called as each host finishes (from worker threads, one call at a time)
     * @return results, masters first then clients, each group in the given order
     */
    public List<HostResult> execute(List<Target> targets, Set<String> mastersDown, Consumer<HostResult> onResult) {
        List<Target> masters = targets.stream().filter(t -> t.plan().host().isMaster()).toList();
        List<Target> clients = targets.stream().filter(t -> !t.plan().host().isMaster()).toList();
        List<HostResult> results = new ArrayList<>(runAll(masters, null, onResult));
        Set<String> down = new LinkedHashSet<>(mastersDown);
        results.stream().filter(r -> r.status() != HostStatus.OK && r.status() != HostStatus.CHANGED)
                .forEach(r -> down.add(r.host()));
        String note = down.isEmpty() ? null
                : "configured, but master " + String.join(", ", down) + " was not applied";
        results.addAll(runAll(clients, note, onResult));
        return results;
    }

    private List<HostResult> runAll(List<Target> group, String note, Consumer<HostResult> onResult) {
        if (group.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(forks, group.size()), r -> {
            Thread t = new Thread(r, "apply-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<HostResult>> futures = new ArrayList<>();
            for (Target t : group) {
                futures.add(pool.submit(() -> runOne(t, note, onResult)));
            }
            List<HostResult> out = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                out.add(await(futures.get(i), group.get(i)));
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private HostResult runOne(Target t, String note, Consumer<HostResult> onResult) {
        HostResult r;
        if (cancelled.get()) {
            r = new HostResult(t.plan().host().name(), t.plan().host().role(), HostStatus.SKIPPED,
                    "interrupted before this host started", null);
        } else {
            try {
                r = applier.apply(t.plan(), t.connection());
            } catch (RuntimeException e) {
                r = new HostResult(t.plan().host().name(), t.plan().host().role(), HostStatus.FAILED,
                        "internal error: " + e, null);
            }
            if (note != null && r.status() != HostStatus.SKIPPED) {
                r = r.withNote(note);
            }
        }
        synchronized (this) {
            onResult.accept(r);
        }
        return r;
    }

    private static HostResult await(Future<HostResult> f, Target t) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    // in-flight steps must finish (a half-done restart is worse than waiting)
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            return new HostResult(t.plan().host().name(), t.plan().host().role(), HostStatus.FAILED,
                    "internal error: " + e.getCause(), null);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.transport.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs every host through its stages on its own: prepare (connect, probe, plan) and then execute, at most
 * {@code forks} hosts working at a time. The one wait between hosts is the masters-first order: a client executes
 * once every master has finished (its result known); no other host waits for a slow or silent one. A host's
 * failure or exception is that host's result; once {@code cancelled} is set (Ctrl-C) no host starts a new stage.
 */
final class Pipeline {

    /** What preparing a host gave: a plan and its open connection to execute on, or already the final result. */
    record Prepared(HostPlan plan, Connection connection, HostResult result) {
        static Prepared done(HostResult r) {
            return new Prepared(null, null, r);
        }

        static Prepared planned(HostPlan plan, Connection c) {
            return new Prepared(plan, c, null);
        }
    }

    /** One stage of one host; may block on the network; its exceptions become the host's failure. */
    interface Prepare {
        Prepared prepare(Host h);
    }

    interface Execute {
        /** @param note said on a client when a master was not applied, else null (the pipeline adds it) */
        HostResult execute(Host h, Prepared p, String note);
    }

    private final int forks;
    private final AtomicBoolean cancelled;
    private final ApplyListener listener;
    private final AtomicBoolean mastersAnnounced = new AtomicBoolean();

    Pipeline(int forks, AtomicBoolean cancelled, ApplyListener listener) {
        this.forks = Math.max(1, forks);
        this.cancelled = cancelled;
        this.listener = listener;
    }

    /**
     * @param execute null for a dry run (each host's result is its prepared one)
     * @return every host's result, in the given order
     */
    List<HostResult> run(List<Host> hosts, Prepare prepare, Execute execute) {
        if (hosts.isEmpty()) {
            return List.of();
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(forks, hosts.size()), r -> {
            Thread t = new Thread(r, "apply-host-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, CompletableFuture<HostResult>> results = new LinkedHashMap<>();
            Map<String, HostResult> masterResults = new ConcurrentHashMap<>();
            List<CompletableFuture<HostResult>> masters = new ArrayList<>();
            for (Host h : hosts) {
                if (h.isMaster()) {
                    CompletableFuture<HostResult> f = CompletableFuture
                            .supplyAsync(() -> guarded(h, () -> prepared(h, prepare), Prepared::done), pool)
                            .thenApplyAsync(p -> guarded(h, () -> executed(h, p, execute, null), r -> r), pool)
                            .thenApply(r -> report(r, masterResults));
                    masters.add(f);
                    results.put(h.name(), f);
                }
            }
            boolean anyClient = hosts.stream().anyMatch(h -> !h.isMaster());
            CompletableFuture<String> mastersDone = CompletableFuture.allOf(masters.toArray(CompletableFuture[]::new))
                    .handle((v, e) -> {
                        if (execute != null && anyClient && !cancelled.get()) {
                            phase("masters done: changing the clients");
                        }
                        return notApplied(hosts, masterResults);
                    });
            for (Host h : hosts) {
                if (!h.isMaster()) {
                    CompletableFuture<Prepared> prep = CompletableFuture
                            .supplyAsync(() -> guarded(h, () -> prepared(h, prepare), Prepared::done), pool);
                    // a dry run changes nothing: a client need not wait for its masters
                    CompletableFuture<HostResult> f = execute == null
                            ? prep.thenApply(p -> p.result())
                            : prep.thenCombineAsync(mastersDone, (p, note) -> guarded(h, () -> executed(h, p, execute, note), r -> r), pool);
                    results.put(h.name(), f.thenApply(r -> report(r, null)));
                }
            }
            List<HostResult> out = new ArrayList<>();
            for (Host h : hosts) {
                out.add(awaitUninterruptibly(results.get(h.name()), h));
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private Prepared prepared(Host h, Prepare prepare) {
        if (cancelled.get()) {
            return Prepared.done(skipped(h, "interrupted before this host started"));
        }
        Prepared p = prepare.prepare(h);
        if (p.plan() != null) {
            synchronized (listener) {
                listener.planned(p.plan());
            }
        }
        return p;
    }

    private HostResult executed(Host h, Prepared p, Execute execute, String note) {
        if (p.result() != null) {
            return p.result();
        }
        if (execute == null) {
            throw new IllegalStateException("a dry run's prepare must give each host its result");
        }
        if (cancelled.get()) {
            return skipped(h, "interrupted before this host was changed");
        }
        if (h.isMaster() && mastersAnnounced.compareAndSet(false, true)) {
            phase("changing the masters");
        }
        HostResult r = execute.execute(h, p, note);
        return note != null && r.status() != HostStatus.SKIPPED ? r.withNote(note) : r;
    }

    private void phase(String what) {
        synchronized (listener) {
            listener.phase(what);
        }
    }

    private HostResult report(HostResult r, Map<String, HostResult> masterResults) {
        if (masterResults != null) {
            masterResults.put(r.host(), r);
        }
        synchronized (listener) {
            listener.finished(r);
        }
        return r;
    }

    /** The note for clients once every master is done: the masters that were not applied, or null. */
    private static String notApplied(List<Host> hosts, Map<String, HostResult> masterResults) {
        Set<String> down = new LinkedHashSet<>();
        for (Host h : hosts) {
            HostResult r = masterResults.get(h.name());
            if (h.isMaster() && (r == null || r.status() != HostStatus.OK && r.status() != HostStatus.CHANGED)) {
                down.add(h.name());
            }
        }
        return down.isEmpty() ? null : "configured, but master " + String.join(", ", down) + " was not applied";
    }

    /** A stage's exception (a bug) is this host's failure, never the fleet's. */
    private static <T> T guarded(Host h, Supplier<T> stage, Function<HostResult, T> asResult) {
        try {
            return stage.get();
        } catch (RuntimeException e) {
            return asResult.apply(new HostResult(h.name(), h.role(), HostStatus.FAILED, "internal error: " + e, null));
        }
    }

    private static HostResult skipped(Host h, String why) {
        return new HostResult(h.name(), h.role(), HostStatus.SKIPPED, why, null);
    }

    private static HostResult awaitUninterruptibly(CompletableFuture<HostResult> f, Host h) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    // in-flight steps must finish (a half-done change is worse than waiting)
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
                    return new HostResult(h.name(), h.role(), HostStatus.FAILED, "internal error: " + cause, null);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.transport.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs every host through its stages on its own: prepare (connect, probe, plan) and then execute, at most
 * {@code forks} hosts working at a time. The one wait between hosts is the masters-first order: a client executes
 * once every master has finished (its result known); no other host waits for a slow or silent one. A host's
 * failure or exception is that host's result; once {@code cancelled} is set (Ctrl-C) no host starts a new stage.
 * The hosts run on one {@link FanOut}.
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
        try (FanOut fan = new FanOut("apply-host", forks, hosts.size(), cancelled::get, Duration.ZERO)) {
            Map<String, CompletableFuture<HostResult>> results = new LinkedHashMap<>();
            Map<String, HostResult> masterResults = new ConcurrentHashMap<>();
            List<CompletableFuture<HostResult>> masters = new ArrayList<>();
            CompletableFuture<String> none = CompletableFuture.completedFuture(null);
            for (Host h : hosts) {
                if (h.isMaster()) {
                    CompletableFuture<HostResult> f = fan.then(prepared(fan, h, prepare), none,
                                    (p, note) -> executed(h, p, execute, null), e -> failed(h, e), (p, n) -> cancelled(h, p))
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
                    CompletableFuture<Prepared> prep = prepared(fan, h, prepare);
                    // a dry run changes nothing: a client need not wait for its masters
                    CompletableFuture<HostResult> f = execute == null
                            ? prep.thenApply(p -> p.result())
                            : fan.then(prep, mastersDone, (p, note) -> executed(h, p, execute, note), e -> failed(h, e),
                                    (p, note) -> cancelled(h, p));
                    results.put(h.name(), f.thenApply(r -> report(r, null)));
                }
            }
            List<HostResult> out = new ArrayList<>();
            for (Host h : hosts) {
                out.add(FanOut.await(results.get(h.name()), e -> failed(h, e)));
            }
            return out;
        }
    }

    /** Connect, probe, plan: the host's plan, or already its result. */
    private CompletableFuture<Prepared> prepared(FanOut fan, Host h, Prepare prepare) {
        return fan.submit(h, () -> {
            Prepared p = prepare.prepare(h);
            if (p.plan() != null) {
                synchronized (listener) {
                    listener.planned(p.plan());
                }
            }
            return p;
        }, e -> Prepared.done(failed(h, e)), () -> Prepared.done(skipped(h, "interrupted before this host started")));
    }

    private HostResult executed(Host h, Prepared p, Execute execute, String note) {
        if (p.result() != null) {
            return p.result();
        }
        if (execute == null) {
            throw new IllegalStateException("a dry run's prepare must give each host its result");
        }
        if (h.isMaster() && mastersAnnounced.compareAndSet(false, true)) {
            phase("changing the masters");
        }
        HostResult r = execute.execute(h, p, note);
        return note != null && r.status() != HostStatus.SKIPPED ? r.withNote(note) : r;
    }

    /** Cancelled before the change: the prepared result when there is one (unreachable, dry run), else skipped. */
    private static HostResult cancelled(Host h, Prepared p) {
        return p.result() != null ? p.result() : skipped(h, "interrupted before this host was changed");
    }

    /** A stage's exception (a bug) is this host's failure, never the fleet's. */
    private static HostResult failed(Host h, Throwable e) {
        return new HostResult(h.name(), h.role(), HostStatus.FAILED, "internal error: " + e, null);
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

    private static HostResult skipped(Host h, String why) {
        return new HostResult(h.name(), h.role(), HostStatus.SKIPPED, why, null);
    }
}

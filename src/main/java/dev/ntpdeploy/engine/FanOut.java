package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way ntpdeploy works on many hosts at once: at most {@code forks} hosts at a time, each host's work on its
 * own, and whatever a host's work throws (a bug, output nothing foresaw) is that host's result, never the fleet's.
 * Once {@code cancelled} says so (Ctrl-C), no host starts: it gets its cancelled result instead. Apply's pipeline,
 * verification's probes and connection opening run here; batches and failure budgets will live here too.
 *
 * <p>Work that is already running is never interrupted (a half-done change is worse than waiting): closing the
 * fan-out waits for it, up to {@code drain}.
 */
public final class FanOut implements AutoCloseable {

    /** One host's work; may block on the network. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Host host) throws Exception;
    }

    private final ExecutorService pool;
    private final BooleanSupplier cancelled;
    private final long drainMillis;

    /**
     * @param name      thread name prefix (shows in thread dumps)
     * @param forks     at most this many hosts at a time (at least 1)
     * @param hosts     how many hosts there are (no more threads than that)
     * @param cancelled polled before each host's work starts
     * @param drain     how long {@link #close} waits for work in flight
     */
    public FanOut(String name, int forks, int hosts, BooleanSupplier cancelled, java.time.Duration drain) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, hosts)), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.cancelled = cancelled;
        this.drainMillis = drain.toMillis();
    }

    /**
     * Runs {@code work} for every host and waits for all of them.
     *
     * @param failed      the host's result when its work threw (the exception is the argument)
     * @param notStarted  the host's result when the run was cancelled before its work started
     * @return every host's result by name, in the given order
     */
    public static <T> Map<String, T> each(String name, int forks, List<Host> hosts, BooleanSupplier cancelled,
                                          Work<T> work, BiFunction<Host, Throwable, T> failed,
                                          Function<Host, T> notStarted) {
        try (FanOut f = new FanOut(name, forks, hosts.size(), cancelled, java.time.Duration.ZERO)) {
            return f.all(hosts, work, failed, notStarted);
        }
    }

    /** As {@link #each}, on this fan-out's threads (reused from round to round). */
    public <T> Map<String, T> all(List<Host> hosts, Work<T> work, BiFunction<Host, Throwable, T> failed,
                                  Function<Host, T> notStarted) {
        List<CompletableFuture<T>> futures = new ArrayList<>();
        for (Host h : hosts) {
            futures.add(submit(h, () -> work.run(h), e -> failed.apply(h, e), () -> notStarted.apply(h)));
        }
        Map<String, T> out = new LinkedHashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            Host h = hosts.get(i);
            out.put(h.name(), await(futures.get(i), e -> failed.apply(h, e)));
        }
        return out;
    }

    /**
     * One host's work, started when a thread is free: its result, {@code failed}'s for anything it throws, or
     * {@code notStarted}'s when the run is cancelled before it starts. The future never completes exceptionally.
     */
    public <T> CompletableFuture<T> submit(Host h, java.util.concurrent.Callable<T> work, Function<Throwable, T> failed,
                                           Supplier<T> notStarted) {
        return CompletableFuture.supplyAsync(() -> guarded(work, failed, notStarted), pool);
    }

    /**
     * A next stage of a host's work, once {@code first} (the host's earlier stage) and {@code other} (what it waits
     * for, e.g. the masters) are done; guarded the same way, and {@code notStarted} sees both their results.
     */
    public <A, B, T> CompletableFuture<T> then(CompletableFuture<A> first, CompletableFuture<B> other,
                                               BiFunction<A, B, T> stage, Function<Throwable, T> failed,
                                               BiFunction<A, B, T> notStarted) {
        return first.thenCombineAsync(other, (a, b) -> guarded(() -> stage.apply(a, b), failed,
                () -> notStarted.apply(a, b)), pool);
    }

    private <T> T guarded(java.util.concurrent.Callable<T> work, Function<Throwable, T> failed, Supplier<T> notStarted) {
        if (cancelled.getAsBoolean()) {
            return notStarted.get();
        }
        try {
            return work.call();
        } catch (Exception | StackOverflowError e) {
            return failed.apply(e);
        }
    }

    /** Waits for a host's result without giving up on interrupt (work in flight finishes; the flag is kept). */
    public static <T> T await(CompletableFuture<T> f, Function<Throwable, T> failed) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    // only an Error escapes guarded() (out of memory...); still this host's result
                    Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
                    return failed.apply(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** No new work starts; work in flight is waited for up to the drain time (a handshake cannot be interrupted). */
    @Override
    public void close() {
        pool.shutdown();
        if (drainMillis > 0) {
            try {
                pool.awaitTermination(drainMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

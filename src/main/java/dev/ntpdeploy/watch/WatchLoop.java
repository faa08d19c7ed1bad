package dev.ntpdeploy.watch;

import dev.ntpdeploy.verify.VerifyResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a verification round at start and then every interval until stopped.
 *
 * <p>Rounds never overlap: the next one is due an interval after the previous one started, or at once if
 * that one took longer. A round that throws becomes an UNKNOWN round; a listener that throws is logged; neither
 * stops the loop. {@link #stop()} (from a signal) ends {@link #run()} promptly: a running round is abandoned
 * (its thread interrupted; the caller then closes the round to release its connections).
 */
public final class WatchLoop {

    private final VerificationRound round;
    private final Duration every;
    private final List<RoundListener> listeners;
    private final Consumer<String> log;
    private final Clock clock;
    /** Guards {@code stopRequested}; notified on stop and when a round ends. */
    private final Object signal = new Object();
    private boolean stopRequested;

    public WatchLoop(VerificationRound round, Duration every, List<RoundListener> listeners, Consumer<String> log,
                     Clock clock) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + every);
        }
        this.round = round;
        this.every = every;
        this.listeners = List.copyOf(listeners);
        this.log = log;
        this.clock = clock;
    }

    /** Asks {@link #run()} to return; safe from any thread, any number of times. */
    public void stop() {
        synchronized (signal) {
            stopRequested = true;
            signal.notifyAll();
        }
    }

    public boolean stopping() {
        synchronized (signal) {
            return stopRequested;
        }
    }

    /** Runs rounds until {@link #stop()}; returns how many rounds completed. */
    public long run() {
        // One platform thread for all rounds, so an abandoned round cannot pile up threads behind it.
        ExecutorService roundThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ntpdeploy-round");
            t.setDaemon(true);
            return t;
        });
        long completed = 0;
        try {
            while (!stopping()) {
                long t0 = System.nanoTime();
                Instant startedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                FutureTask<VerifyResult> running = new FutureTask<>(round::run) {
                    @Override
                    protected void done() {
                        // after the result is set, so the waiting loop sees isDone()
                        synchronized (signal) {
                            signal.notifyAll();
                        }
                    }
                };
                roundThread.execute(running);
                if (!awaitRoundOrStop(running)) {
                    log.accept("watch: stopping: abandoning the running round");
                    break;
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                deliver(result(completed + 1, startedAt, took, running));
                completed++;
                long waitNanos = every.toNanos() - (System.nanoTime() - t0);
                if (waitNanos > 0 && awaitStopFor(waitNanos)) {
                    break;
                }
            }
        } finally {
            roundThread.shutdownNow();
        }
        return completed;
    }

    /** Waits until the round is done (true) or stop was requested first (false). */
    private boolean awaitRoundOrStop(Future<?> running) {
        synchronized (signal) {
            while (!stopRequested && !running.isDone()) {
                try {
                    signal.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequested = true;
                }
            }
            return running.isDone();
        }
    }

    /** Waits up to the given time; true if stop was requested meanwhile. */
    private boolean awaitStopFor(long nanos) {
        long deadline = System.nanoTime() + nanos;
        synchronized (signal) {
            long left = nanos;
            while (!stopRequested && left > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequested = true;
                }
                left = deadline - System.nanoTime();
            }
            return stopRequested;
        }
    }

    private RoundResult result(long number, Instant startedAt, Duration took, Future<VerifyResult> done) {
        try {
            VerifyResult state = done.get();
            if (state == null) {
                throw new IllegalStateException("the verification round returned no result");
            }
            return RoundResult.of(number, startedAt, took, state);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String message = oneLine(cause);
            log.accept("watch: round " + number + " failed, recorded as UNKNOWN: " + message);
            return RoundResult.failed(number, startedAt, took, message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RoundResult.failed(number, startedAt, took, "interrupted");
        }
    }

    private void deliver(RoundResult result) {
        for (RoundListener listener : listeners) {
            try {
                listener.onRound(result);
            } catch (Exception | LinkageError e) {
                log.accept("watch: round " + result.number() + ": " + oneLine(e));
            }
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}

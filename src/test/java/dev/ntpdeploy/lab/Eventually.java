package dev.ntpdeploy.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one way an IT waits for what another process writes (a child's stderr, a history or hook file, a metrics
 * scrape, a file or daemon on a lab host): poll a probe until it holds, with a deadline, and fail with the full
 * evidence. Never read once after waiting for something else, never sleep a fixed time: on a busy machine the
 * other process is late by any amount.
 *
 * <pre>{@code
 * JsonNode round = Eventually.await("lab-h3 unsynced in the history", Duration.ofMinutes(2))
 *         .evidence(() -> "history:\n" + read(history))
 *         .unless(() -> watch.isAlive() ? null : "watch exited " + watch.exitValue())
 *         .value(() -> latestRound(history).filter(...));
 * }</pre>
 *
 * <p>A probe that throws (a half-written file, a host command that failed) counts as "not yet"; the last
 * exception is the failure's cause. Polls start fast and back off to once a second, so a cheap probe answers
 * promptly and an expensive one (a command on a lab host) does not load the machine.
 */
public final class Eventually {

    /** Returns the awaited value once it is there, empty while it is not. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> poll() throws Exception;
    }

    /** True once the awaited state holds. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private static final long FIRST_PAUSE_MS = 50;
    private static final long MAX_PAUSE_MS = 1000;

    private final String what;
    private final Duration limit;
    private final List<Supplier<String>> evidence;
    private final List<Supplier<String>> stops;

    private Eventually(String what, Duration limit, List<Supplier<String>> evidence, List<Supplier<String>> stops) {
        this.what = what;
        this.limit = limit;
        this.evidence = List.copyOf(evidence);
        this.stops = List.copyOf(stops);
    }

    /** Waits up to {@code limit} for {@code what} (a phrase for the failure message: "the lost_sync hook"). */
    public static Eventually await(String what, Duration limit) {
        return new Eventually(what, limit, List.of(), List.of());
    }

    /** Adds text to the failure message (read when it fails: the other process's output, the file, ...). */
    public Eventually evidence(Supplier<String> more) {
        List<Supplier<String>> e = new ArrayList<>(evidence);
        e.add(more);
        return new Eventually(what, limit, e, stops);
    }

    /** Fails at once, without waiting out the deadline, when {@code why} returns a reason (e.g. the process died). */
    public Eventually unless(Supplier<String> why) {
        List<Supplier<String>> s = new ArrayList<>(stops);
        s.add(why);
        return new Eventually(what, limit, evidence, s);
    }

    /** Waits until the condition holds. */
    public void until(Condition condition) {
        value(() -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Waits until the probe yields a value, and returns it. */
    public <T> T value(Probe<T> probe) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long pause = FIRST_PAUSE_MS;
        int checks = 0;
        Exception last = null;
        while (true) {
            checks++;
            try {
                Optional<T> v = probe.poll();
                if (v.isPresent()) {
                    return v.get();
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            for (Supplier<String> stop : stops) {
                String why = stop.get();
                if (why != null) {
                    // what it wrote before it stopped may have landed after the probe looked: one last look
                    try {
                        Optional<T> v = probe.poll();
                        if (v.isPresent()) {
                            return v.get();
                        }
                    } catch (Exception e) {
                        last = e;
                    }
                    throw failure("gave up waiting for " + what + ": " + why, checks + 1, start, last);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw failure("timed out after " + limit.toSeconds() + " s waiting for " + what, checks, start, last);
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for " + what, checks, start, last);
            }
            pause = Math.min(MAX_PAUSE_MS, pause * 2);
        }
    }

    private AssertionError failure(String headline, int checks, long start, Exception last) {
        StringBuilder b = new StringBuilder(headline).append(" (").append(checks).append(" checks in ")
                .append(Duration.ofNanos(System.nanoTime() - start).toMillis()).append(" ms)");
        if (last != null) {
            b.append("; the last check threw: ").append(last);
        }
        for (Supplier<String> e : evidence) {
            String text;
            try {
                text = e.get();
            } catch (RuntimeException ex) {
                text = "(evidence unavailable: " + ex + ")";
            }
            b.append('\n').append(text);
        }
        AssertionError error = new AssertionError(b.toString());
        if (last != null) {
            error.initCause(last);
        }
        return error;
    }
}

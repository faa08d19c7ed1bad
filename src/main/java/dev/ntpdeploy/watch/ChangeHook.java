package dev.ntpdeploy.watch;

import dev.ntpdeploy.Durations;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the operator's {@code --on-change} command through {@code sh -c} once per state change, the change as JSON
 * on stdin (and NTPDEPLOY_HOST / NTPDEPLOY_CHANGE in its environment), for paging or chat.
 * Bounded: killed (with its children) after the timeout. Its failure is logged, never fatal.
 * Its stderr goes to watch's stderr; its stdout is discarded.
 */
public final class ChangeHook implements Consumer<StateChange>, AutoCloseable {

    private final String command;
    private final Duration timeout;
    private final Consumer<String> log;
    private volatile boolean closed;
    private volatile Process running;

    /** @param command the operator's own shell command line (from the command line, never from the inventory) */
    public ChangeHook(String command, Duration timeout, Consumer<String> log) {
        this.command = command;
        this.timeout = timeout;
        this.log = log;
    }

    @Override
    public void accept(StateChange change) {
        if (closed) {
            return;
        }
        String what = "on-change hook for " + change.host() + " " + change.kind().word();
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("NTPDEPLOY_HOST", change.host());
        pb.environment().put("NTPDEPLOY_CHANGE", change.kind().word());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            log.accept("watch: " + what + " could not start: " + WatchLoop.oneLine(e));
            return;
        }
        running = p;
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write((RoundJson.change(change) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the hook exited or closed stdin without reading it: its exit status tells the rest
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                log.accept("watch: " + what + " killed after " + Durations.format(timeout));
            } else if (p.exitValue() != 0) {
                log.accept("watch: " + what + " failed with exit status " + p.exitValue());
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
        } finally {
            running = null;
        }
    }

    /** Stops running hooks: a hook in progress is killed, later changes run none. */
    @Override
    public void close() {
        closed = true;
        Process p = running;
        if (p != null) {
            kill(p);
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}

package dev.ntpdeploy.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT) or SIGTERM as a flag the running job polls, instead of the JVM dying mid-run: the signal sets
 * {@link #flag()}, says so on stderr, and holds the JVM's exit until the command has printed its report
 * ({@link #close()}), at most {@link #REPORT_BOUND}. A second Ctrl-C cannot cut this short (the JVM runs its shutdown
 * hooks once), which is the point: the hosts in flight finish and the report says what happened to each.
 */
final class CtrlC implements AutoCloseable {

    static final long REPORT_BOUND_MINUTES = 2;

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CountDownLatch reported = new CountDownLatch(1);
    private final Thread hook;

    private CtrlC(PrintStream err, String message) {
        hook = new Thread(() -> {
            cancelled.set(true);
            err.println(message);
            try {
                reported.await(REPORT_BOUND_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ctrl-c");
    }

    /** Installs the hook; {@code message} is printed on stderr when the signal comes. */
    static CtrlC install(PrintStream err, String message) {
        CtrlC c = new CtrlC(err, message);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /** True once the signal came: start nothing new, finish what is in flight, report. */
    AtomicBoolean flag() {
        return cancelled;
    }

    /** The report is printed: the JVM may exit now. */
    @Override
    public void close() {
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the signal came: the hook is running and now returns
        }
    }
}

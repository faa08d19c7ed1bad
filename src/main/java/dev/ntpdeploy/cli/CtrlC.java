package dev.ntpdeploy.cli;

import dev.ntpdeploy.Exit;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT) or SIGTERM as a flag the running job polls, instead of the JVM dying mid-run: the signal sets
 * {@link #flag()}, says so on stderr, and holds the JVM's exit until the command has printed its report and said
 * its exit code ({@link #exit(Exit)}), at most {@link #REPORT_BOUND_MINUTES}. The process then exits with that code,
 * not the 130/143 a JVM ends with on a signal. A second Ctrl-C cannot cut this short (the
 * JVM runs its shutdown hooks once), which is the point: the hosts in flight finish and the report says what
 * happened to each.
 */
final class CtrlC implements AutoCloseable {

    static final long REPORT_BOUND_MINUTES = 2;

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CountDownLatch reported = new CountDownLatch(1);
    private final Thread hook;
    private volatile Exit exit;

    private CtrlC(PrintWriter out, PrintWriter err, String message, Exit unreported) {
        exit = unreported;
        hook = new Thread(() -> {
            cancelled.set(true);
            err.println(message);
            try {
                reported.await(REPORT_BOUND_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.flush();
            out.flush();
            Runtime.getRuntime().halt(exit.code());
        }, "ctrl-c");
    }

    /**
     * Installs the hook; {@code message} is printed on stderr when the signal comes.
     *
     * @param out        the command's stdout, flushed before the process exits
     * @param unreported the exit code when the command ends without saying its own (an exception) or does not
     *                   report within the bound
     */
    static CtrlC install(PrintWriter out, PrintWriter err, String message, Exit unreported) {
        CtrlC c = new CtrlC(out, err, message, unreported);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /** True once the signal came: start nothing new, finish what is in flight, report. */
    AtomicBoolean flag() {
        return cancelled;
    }

    /** The report is printed and the command ends with {@code code}: after a signal, the process exits with it. */
    int exit(Exit code) {
        exit = code;
        close();
        return code.code();
    }

    /** The command is over: the JVM may exit now (with the unreported code, after a signal, unless {@link #exit}). */
    @Override
    public void close() {
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the signal came: the hook is running and now exits with the command's code
        }
    }
}

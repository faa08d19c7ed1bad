package dev.ntpdeploy.report;

import dev.ntpdeploy.engine.ApplyListener;
import dev.ntpdeploy.engine.HostResult;
import java.io.PrintWriter;

/**
 * Prints a run as it happens: one line per host as it finishes (with its diff when asked, or in a dry
 * run) on {@code lines}, and progress on {@code progress} (stderr). With --json the host lines go to
 * stderr too, so stdout carries only the JSON document.
 */
public final class ApplyConsole implements ApplyListener {

    private final PrintWriter lines;
    private final PrintWriter progress;
    private final boolean diffs;

    public ApplyConsole(PrintWriter lines, PrintWriter progress, boolean diffs) {
        this.lines = lines;
        this.progress = progress;
        this.diffs = diffs;
    }

    @Override
    public void phase(String what) {
        progress.println("apply: " + what);
        progress.flush();
    }

    @Override
    public synchronized void finished(HostResult r) {
        if (diffs && r.diff() != null) {
            lines.print(r.diff());
        }
        lines.println(ApplyReport.hostLine(r));
        lines.flush();
    }
}

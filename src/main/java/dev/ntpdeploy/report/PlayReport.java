package dev.ntpdeploy.report;

import dev.ntpdeploy.engine.PlayOutcome;
import dev.ntpdeploy.render.AtomicWrite;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The end of a playbook run: Ansible's recap per host, why the run stopped, and the retry file. */
public final class PlayReport {

    private PlayReport() {
    }

    /** {@code host : ok=2 changed=1 unreachable=0 failed=0 skipped=0}, then why the run stopped and who was not reached. */
    public static void recap(PlayOutcome outcome, PrintWriter out) {
        int width = outcome.recap().stream().mapToInt(t -> t.host().length()).max().orElse(4);
        out.println();
        out.println(outcome.check() ? "PLAY RECAP (check mode: nothing was changed)" : "PLAY RECAP");
        for (PlayOutcome.HostTally t : outcome.recap()) {
            out.printf("%-" + width + "s : ok=%d changed=%d unreachable=%d failed=%d skipped=%d%n", t.host(), t.ok(),
                    t.changed(), t.unreachable(), t.failed(), t.skipped());
        }
        outcome.stopped().ifPresent(why -> out.println("STOPPED: " + why));
        if (!outcome.notReached().isEmpty()) {
            out.println("not done (never started, or stopped before their last task): "
                    + String.join(", ", outcome.notReached()));
        }
        out.flush();
    }

    /** Where Ansible puts a playbook's retry file: beside it, {@code site.yml} -> {@code site.retry}. */
    public static Path retryFile(Path playbook) {
        String name = playbook.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return playbook.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".retry");
    }

    /** Writes the hosts one per line (Ansible's format, what --limit @FILE reads), old or new file, never half. */
    public static void writeRetry(Path file, List<String> hosts) throws IOException {
        AtomicWrite.write(file, String.join("\n", hosts) + "\n");
    }
}

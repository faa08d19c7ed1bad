package dev.ntpdeploy.ops;

import dev.ntpdeploy.facts.DaemonStartLog;
import dev.ntpdeploy.facts.ScriptOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link ChangeUnit} did on a host, parsed from its report (sections, {@link ScriptOutput}). Total: any text gives a
 * report ({@link #ended()} false when it is cut short), never an exception.
 *
 * @param owner             the run the report belongs to (its {@link RunId#ownerLine()})
 * @param lockedBy          another run holds the host's lock: its owner line; nothing was done
 * @param error             the unit could not do a step (its own words); the file is the old one unless installed
 * @param incomplete        the upload arrived short or corrupted: "size sha256" of what arrived; nothing installed
 * @param rejected          the daemon's own check refused the new file (its message lines); nothing installed
 * @param changedSinceProbe the file's sha256 now, when it is no longer what the probe read; nothing installed
 * @param installed         the new file was renamed into place
 * @param backup            the visible backup written, if any
 * @param start             the daemon's start on the new file (empty when there was no restart or it was cut off)
 * @param rollback          "restored", "removed", "failed" or "skipped: why" when the start was rejected
 * @param again             the daemon's start after the rollback
 * @param managedEnabled    the managed daemon's unit after the unit enabled it: systemctl is-enabled's word
 * @param competitors       the competing daemons the unit stopped and disabled, each "UNIT stopped|running STATE"
 *                          (STATE: systemctl is-enabled's word afterwards)
 * @param after             the daemon's start once they were gone (when one of them could hold UDP 123)
 * @param stepErrors        stderr lines of the unit's steps
 * @param lost              the detached part ended without a report (killed): why
 * @param cut               the report was found unfinished by a later run (its unit died holding the lock)
 * @param ended             the unit reported to its end
 */
public record UnitReport(String owner, Optional<String> lockedBy, Optional<String> error, Optional<String> incomplete,
                         List<String> rejected, Optional<String> changedSinceProbe, boolean installed, Optional<String> backup,
                         Optional<DaemonStartLog> start, Optional<String> rollback, Optional<DaemonStartLog> again,
                         Optional<String> managedEnabled, List<Competitor> competitors, Optional<DaemonStartLog> after,
                         List<String> stepErrors, Optional<String> lost, boolean cut, boolean ended) {

    public UnitReport {
        competitors = List.copyOf(competitors);
        stepErrors = List.copyOf(stepErrors);
        rejected = List.copyOf(rejected);
    }

    /**
     * A competing daemon after the unit stopped and disabled it.
     *
     * @param enabledState systemctl is-enabled's word afterwards ("unknown" without systemctl)
     */
    public record Competitor(String unit, boolean stopped, String enabledState) {

        /** Off for good: stopped, and no longer starting at boot (as far as the host can tell: "unknown" without systemctl). */
        public boolean done() {
            return stopped && !enabledState.equals("enabled") && !enabledState.equals("enabled-runtime");
        }

        /** A line that is not "UNIT stopped|running STATE" still names what the unit printed. */
        static Competitor parse(String line) {
            String[] f = line.strip().split("\\s+");
            return new Competitor(f[0], f.length > 1 && f[1].equals("stopped"), f.length > 2 ? f[2] : "unknown");
        }
    }

    public static UnitReport parse(String stdout) {
        ScriptOutput out = ScriptOutput.parse(stdout);
        List<String> errs = new ArrayList<>();
        out.all("err").forEach(e -> errs.addAll(e.lines()));
        return new UnitReport(out.value("unit").orElse(""), text(out, "locked"), text(out, "unit_error"),
                text(out, "incomplete"), rejected(out), text(out, "changed_since_probe"), out.has("installed"), text(out, "backup"),
                startLog(out.within("start")), text(out, "rollback"), startLog(out.within("again")),
                text(out, "managed").map(m -> m.contains(" ") ? m.substring(m.indexOf(' ') + 1).strip() : "unknown"),
                out.all("competitor").stream().map(c -> Competitor.parse(c.line(0))).toList(),
                startLog(out.within("after")), errs,
                text(out, "unit_lost"), out.has("unit_cut"), out.has("unit_end"));
    }

    /** A one-line section's text as the unit wrote it (an empty value is still a value). */
    /** The config check's message, its blank lines left out; empty when the check did not refuse the file. */
    private static List<String> rejected(ScriptOutput out) {
        if (!out.has("config_rejected")) {
            return List.of();
        }
        List<String> said = out.lines("config_rejected").stream().filter(l -> !l.isBlank()).map(String::strip).toList();
        return said.isEmpty() ? List.of("the check failed without a message") : said;
    }

    private static Optional<String> text(ScriptOutput out, String name) {
        return out.has(name) ? Optional.of(out.lines(name).isEmpty() ? "" : out.lines(name).get(0)) : Optional.empty();
    }

    private static Optional<DaemonStartLog> startLog(ScriptOutput lines) {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(DaemonStartLog.read(lines));
        } catch (IllegalArgumentException cutShort) {
            return Optional.empty();
        }
    }
}

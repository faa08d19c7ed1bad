package dev.ntpdeploy.ops;

import dev.ntpdeploy.facts.DaemonStartLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link ChangeUnit} did on a host, parsed from its {@code KEY=value} report. Total: any text gives a
 * report ({@link #ended()} false when it is cut short), never an exception.
 *
 * @param owner             the run the report belongs to (its {@link RunId#ownerLine()})
 * @param lockedBy          another run holds the host's lock: its owner line; nothing was done
 * @param error             the unit could not do a step (its own words); the file is the old one unless installed
 * @param incomplete        the upload arrived short or corrupted: "size sha256" of what arrived; nothing installed
 * @param changedSinceProbe the file's sha256 now, when it is no longer what the probe read; nothing installed
 * @param installed         the new file was renamed into place
 * @param backup            the visible backup written, if any
 * @param start             the daemon's start on the new file (empty when there was no restart or it was cut off)
 * @param rollback          "restored", "removed", "failed" or "skipped: why" when the start was rejected
 * @param again             the daemon's start after the rollback
 * @param stepErrors        stderr lines of the unit's steps
 * @param lost              the detached part ended without a report (killed): why
 * @param cut               the report was found unfinished by a later run (its unit died holding the lock)
 * @param ended             the unit reported to its end
 */
public record UnitReport(String owner, Optional<String> lockedBy, Optional<String> error, Optional<String> incomplete,
                         Optional<String> changedSinceProbe, boolean installed, Optional<String> backup,
                         Optional<DaemonStartLog> start, Optional<String> rollback, Optional<DaemonStartLog> again,
                         List<String> stepErrors, Optional<String> lost, boolean cut, boolean ended) {

    public UnitReport {
        stepErrors = List.copyOf(stepErrors);
    }

    public static UnitReport parse(String stdout) {
        String owner = "";
        Optional<String> locked = Optional.empty();
        Optional<String> error = Optional.empty();
        Optional<String> incomplete = Optional.empty();
        Optional<String> changed = Optional.empty();
        boolean installed = false;
        Optional<String> backup = Optional.empty();
        StringBuilder start = new StringBuilder();
        Optional<String> rollback = Optional.empty();
        StringBuilder again = new StringBuilder();
        List<String> errs = new ArrayList<>();
        Optional<String> lost = Optional.empty();
        boolean cut = false;
        boolean ended = false;
        for (String line : (stdout == null ? "" : stdout).split("\n", -1)) {
            if (line.startsWith("PARTIAL.")) {
                line = line.substring("PARTIAL.".length());
            }
            if (line.startsWith("START.")) {
                start.append(line, "START.".length(), line.length()).append('\n');
                continue;
            }
            if (line.startsWith("AGAIN.")) {
                again.append(line, "AGAIN.".length(), line.length()).append('\n');
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1);
            switch (line.substring(0, eq)) {
                case "UNIT" -> owner = value;
                case "LOCKED" -> locked = Optional.of(value);
                case "UNIT_ERROR" -> error = Optional.of(value);
                case "INCOMPLETE" -> incomplete = Optional.of(value);
                case "CHANGED_SINCE_PROBE" -> changed = Optional.of(value);
                case "INSTALLED" -> installed = true;
                case "BACKUP" -> backup = Optional.of(value);
                case "ROLLBACK" -> rollback = Optional.of(value);
                case "ERR" -> errs.add(value);
                case "UNIT_LOST" -> lost = Optional.of(value);
                case "UNIT_CUT" -> cut = true;
                case "UNIT_END" -> ended = true;
                default -> {
                    // other keys: newer units may report more
                }
            }
        }
        return new UnitReport(owner, locked, error, incomplete, changed, installed, backup, startLog(start),
                rollback, startLog(again), errs, lost, cut, ended);
    }

    private static Optional<DaemonStartLog> startLog(StringBuilder lines) {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(DaemonStartLog.parse(lines.toString()));
        } catch (IllegalArgumentException cutShort) {
            return Optional.empty();
        }
    }
}

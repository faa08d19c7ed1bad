package dev.ntpdeploy.facts;

import dev.ntpdeploy.inventory.Flavor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What a restart left behind: the service manager's exit code and output, the new daemon's PID, and
 * the daemon's own startup lines: the fact {@link RestartCheck} ({@code remote/restart-check.sh}).
 *
 * <p>ntpd (classic and ntpsec) does not stop on a bad config line: it logs
 * {@code CONFIG: line N column M syntax error} and runs on without the line. So a start is good only
 * when the daemon runs AND its startup lines carry no config error ({@link Flavor#configErrorEre()}). chronyd
 * stops on any config error: its bad start is a daemon that does not run.
 *
 * @param program the daemon's program (ntpd, chronyd), as the check reported it
 */
public record DaemonStartLog(int restartExitCode, List<String> restartOutput, OptionalLong pid,
                             boolean diedAfterStart, Optional<String> logFile, List<String> lines, String program) {
    /** A daemon's own words on why it stopped (NTS: "can't stat certificate ..."; "Bailing"): shown when it died. */
    /** A daemon's first line of a start: ntpsec "INIT: ntpd ntpsec-1.2.2: Starting", "chronyd version 4.3 starting". */
    private static final Pattern STARTING = Pattern.compile("\\bstarting\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern OWN_REASON = Pattern.compile(
            "can't|cannot|unable|error|fail|fatal|abort|bailing|exiting|No such file|Permission denied",
            Pattern.CASE_INSENSITIVE);

    public DaemonStartLog {
        restartOutput = List.copyOf(restartOutput);
        lines = List.copyOf(lines);
    }

    /** An ntpd's start. */
    public DaemonStartLog(int restartExitCode, List<String> restartOutput, OptionalLong pid, boolean diedAfterStart,
                          Optional<String> logFile, List<String> lines) {
        this(restartExitCode, restartOutput, pid, diedAfterStart, logFile, lines, "ntpd");
    }

    public static DaemonStartLog parse(String stdout) {
        return read(ScriptOutput.parse(stdout));
    }

    /**
     * Reads {@code remote/restart-check.sh}'s sections (alone, or as the change unit reported them under a prefix).
     *
     * @throws IllegalArgumentException the output is cut short (no end section) or holds no number where one belongs
     */
    public static DaemonStartLog read(ScriptOutput out) {
        if (!out.complete()) {
            throw new IllegalArgumentException("restart check output incomplete (no end section)");
        }
        int rc = out.value("restart_rc").map(v -> (int) ScriptOutput.number(v, 255,
                "restart check output: restart_rc", "an exit status")).orElse(-1);
        List<String> restartOut = out.lines("restart_out").stream().filter(l -> !l.isBlank()).map(String::strip).toList();
        // ntpd_pid: the section's name before the check knew chronyd (a report an older version left on a host)
        OptionalLong pid = out.value("pid").or(() -> out.value("ntpd_pid")).map(v -> OptionalLong.of(
                ScriptOutput.number(v, Long.MAX_VALUE, "restart check output: pid", "a process id")))
                .orElse(OptionalLong.empty());
        String program = out.value("program").filter(p -> p.equals("chronyd")).orElse("ntpd");
        return new DaemonStartLog(rc, restartOut, pid, out.has("died"), out.value("logfile"), out.lines("log"),
                program);
    }

    /** The daemon's own config error lines for this start, verbatim. */
    public List<String> configErrors() {
        Pattern error = Pattern.compile(Flavor.ofBinary(program).configErrorEre(), Pattern.CASE_INSENSITIVE);
        return lines.stream().filter(l -> error.matcher(l).find()).map(String::strip).toList();
    }

    public boolean running() {
        return pid.isPresent() && !diedAfterStart;
    }

    /** Started, still running, and read its config without errors. */
    public boolean good() {
        return running() && configErrors().isEmpty();
    }

    /** One line for the operator saying why this start is not good (empty when it is). */
    public String problem() {
        List<String> errors = configErrors();
        if (!running()) {
            // the daemon's own reason first (ntpd's log), then what the service manager said
            List<String> why = new ArrayList<>(errors);
            if (why.isEmpty()) {
                List<String> own = thisStart().stream().filter(l -> OWN_REASON.matcher(l).find()).map(String::strip)
                        .toList();
                why.addAll(own.subList(Math.max(0, own.size() - 2), own.size()));
            }
            if (!restartOutput.isEmpty()) {
                why.add(restartOutput.get(0));
            }
            if (why.isEmpty() && !lines.isEmpty()) {
                why.add(lastLines(3));
            }
            return program + " did not come back up" + (restartExitCode > 0 ? " (restart exit " + restartExitCode + ")" : "")
                    + (why.isEmpty() ? "" : ": " + String.join("; ", why));
        }
        if (!errors.isEmpty()) {
            return program + " rejected config lines: " + String.join("; ", errors);
        }
        return "";
    }

    /**
     * The lines from this start's first line on: the log read since the restart also holds the old daemon's exit
     * ("chronyd exiting", "ntpd exiting on signal 15"), which is no reason why the new one did not come up.
     */
    private List<String> thisStart() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (STARTING.matcher(lines.get(i)).find()) {
                return lines.subList(i, lines.size());
            }
        }
        return lines;
    }

    private String lastLines(int n) {
        return String.join("; ", lines.subList(Math.max(0, lines.size() - n), lines.size())).strip();
    }
}

package dev.ntpdeploy.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What a restart left behind: the service manager's exit code and output, the new ntpd's PID, and
 * the daemon's own startup lines: the fact {@link RestartCheck} ({@code remote/restart-check.sh}).
 *
 * <p>ntpd (classic and ntpsec) does not stop on a bad config line: it logs
 * {@code CONFIG: line N column M syntax error} and runs on without the line. So a start is good only
 * when the daemon runs AND its startup lines carry no config error.
 */
public record DaemonStartLog(int restartExitCode, List<String> restartOutput, OptionalLong pid,
                             boolean diedAfterStart, Optional<String> logFile, List<String> lines) {

    /**
     * Config errors ntpd logs and then ignores; warnings such as "restrict nopeer ignored" are not errors. One text
     * for both sides: a POSIX extended regular expression (no {@code \\b}, no Java-only syntax) that the change unit
     * on the host greps case-insensitively to decide its rollback, and this class compiles to report the lines.
     */
    public static final String CONFIG_ERROR_ERE = "syntax error"
            + "|configure invalid address"
            + "|CONFIG: .*(invalid|unknown|unrecognized|not allowed|cannot|can't|failed|error)"
            + "|keyword .* unknown"
            + "|unknown (keyword|option|command)";
    private static final Pattern CONFIG_ERROR = Pattern.compile(CONFIG_ERROR_ERE, Pattern.CASE_INSENSITIVE);
    /** A daemon's own words on why it stopped (NTS: "can't stat certificate ..."; "Bailing"): shown when it died. */
    private static final Pattern OWN_REASON = Pattern.compile(
            "can't|cannot|unable|error|fail|fatal|abort|bailing|exiting|No such file|Permission denied",
            Pattern.CASE_INSENSITIVE);

    public DaemonStartLog {
        restartOutput = List.copyOf(restartOutput);
        lines = List.copyOf(lines);
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
        OptionalLong pid = out.value("ntpd_pid").map(v -> OptionalLong.of(ScriptOutput.number(v, Long.MAX_VALUE,
                "restart check output: ntpd_pid", "a process id"))).orElse(OptionalLong.empty());
        return new DaemonStartLog(rc, restartOut, pid, out.has("died"), out.value("logfile"), out.lines("log"));
    }

    /** The daemon's own config error lines for this start, verbatim. */
    public List<String> configErrors() {
        return lines.stream().filter(l -> CONFIG_ERROR.matcher(l).find()).map(String::strip).toList();
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
                List<String> own = lines.stream().filter(l -> OWN_REASON.matcher(l).find()).map(String::strip).toList();
                why.addAll(own.subList(Math.max(0, own.size() - 2), own.size()));
            }
            if (!restartOutput.isEmpty()) {
                why.add(restartOutput.get(0));
            }
            if (why.isEmpty() && !lines.isEmpty()) {
                why.add(lastLines(3));
            }
            return "ntpd did not come back up" + (restartExitCode > 0 ? " (restart exit " + restartExitCode + ")" : "")
                    + (why.isEmpty() ? "" : ": " + String.join("; ", why));
        }
        if (!errors.isEmpty()) {
            return "ntpd rejected config lines: " + String.join("; ", errors);
        }
        return "";
    }

    private String lastLines(int n) {
        return String.join("; ", lines.subList(Math.max(0, lines.size() - n), lines.size())).strip();
    }
}

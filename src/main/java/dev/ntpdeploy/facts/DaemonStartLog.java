package dev.ntpdeploy.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What a restart left behind: the service manager's exit code and output, the new ntpd's PID, and
 * the daemon's own startup lines; parsed from {@link dev.ntpdeploy.ops.RestartService#command()}.
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
        int rc = -1;
        List<String> out = new ArrayList<>();
        OptionalLong pid = OptionalLong.empty();
        boolean died = false;
        Optional<String> logFile = Optional.empty();
        List<String> lines = new ArrayList<>();
        boolean ended = false;
        for (Map.Entry<String, String> kv : KeyValueLines.parse(stdout)) {
            String value = kv.getValue();
            switch (kv.getKey()) {
                case "RESTART_RC" -> rc = (int) KeyValueLines.number(value.strip(), 255,
                        "restart check output: RESTART_RC", "an exit status");
                case "RESTART_OUT" -> {
                    if (!value.isBlank()) {
                        out.add(value.strip());
                    }
                }
                case "NTPD_PID" -> pid = OptionalLong.of(KeyValueLines.number(value.strip(), Long.MAX_VALUE,
                        "restart check output: NTPD_PID", "a process id"));
                case "DIED" -> died = true;
                case "LOGFILE" -> logFile = Optional.of(value.strip());
                case "LOG" -> lines.add(value);
                case "END" -> ended = true;
                default -> {
                }
            }
        }
        if (!ended) {
            throw new IllegalArgumentException("restart check output incomplete (no END line)");
        }
        return new DaemonStartLog(rc, out, pid, died, logFile, lines);
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

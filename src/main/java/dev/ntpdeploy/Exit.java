package dev.ntpdeploy;

import dev.ntpdeploy.engine.ApplyOutcome;
import dev.ntpdeploy.engine.HostStatus;
import dev.ntpdeploy.engine.PlayOutcome;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.playbook.PlaybookException;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.VerifyResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Every exit code ntpdeploy returns, with its meaning, and the one mapping from what happened to a code: a verify
 * status, an apply outcome, an exception that reached the top. {@code --help}'s exit code list and the README's
 * table are made from (and tested against) these values. verify follows the monitoring-plugins convention
 * (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) so it drops into Nagios/Icinga as is.
 */
public enum Exit {
    OK(0, "success"),
    WARNING(1, "verify: WARNING (in sync, but something deserves a look)"),
    USAGE(2, "command-line usage error (verify: 3)"),
    CRITICAL(2, "verify: CRITICAL (some host is not in sync)"),
    UNKNOWN(3, "verify: UNKNOWN (the fleet could not be judged, or verify's options, inventory, templates or --limit"
            + " are invalid)"),
    HOSTS_FAILED(4, "apply: some hosts failed, were unreachable or were skipped (the others were applied), or the run"
            + " was interrupted (Ctrl-C, SIGTERM); play: some hosts failed or were unreachable, or not in sync at a gate,"
            + " or the play stopped (a batch's failure budget exceeded, or interrupted)"),
    NOT_IN_SYNC(5, "apply: every host applied, but the fleet is not in sync or its closing verification is CRITICAL"
            + " or UNKNOWN"),
    INVALID_INPUT(65, "invalid inventory, playbook, templates or --limit, or an unusable --known-hosts file; nothing"
            + " was touched (verify: 3)"),
    INTERNAL(70, "internal error (a bug): rerun with --stacktrace and report it");

    /**
     * A command in the monitoring-plugins convention (verify): whatever keeps it from judging, a usage error or invalid
     * input included, is UNKNOWN, which monitoring systems show as "could not check" rather than as a broken fleet.
     */
    public interface MonitoringCheck {
    }

    private final int code;
    private final String meaning;

    Exit(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** verify's overall status. */
    public static Exit of(Status status) {
        return switch (status) {
            case OK -> OK;
            case WARNING -> WARNING;
            case CRITICAL -> CRITICAL;
            case UNKNOWN -> UNKNOWN;
        };
    }

    /**
     * apply's result: hosts that failed, were unreachable or skipped, or a signal, win over a fleet applied but not
     * verified in sync. The code agrees with the status line the closing verification printed: not every host
     * SERVING/SYNCED, or a CRITICAL/UNKNOWN status (a CRITICAL finding on a host that is in sync, a host whose state
     * could not be read), is 5. A WARNING with every host in sync stays 0: apply did what it was asked and the fleet
     * keeps time; a warning is advice (a lossy peer, a stratum off by one, a config changed under the daemon) that
     * verify and watch keep reporting, and failing cron or CI on it would teach people to ignore exit 5.
     *
     * @param interrupted Ctrl-C or SIGTERM came at any point of the run (its closing verification included)
     */
    public static Exit of(ApplyOutcome outcome, boolean interrupted) {
        if (interrupted || outcome.interrupted()
                || outcome.results().stream().anyMatch(r -> r.status().bad() || r.status() == HostStatus.SKIPPED)) {
            return HOSTS_FAILED;
        }
        if (outcome.verified().isPresent()) {
            VerifyResult verified = outcome.verified().get();
            if (!verified.inSync() || verified.status() == Status.CRITICAL || verified.status() == Status.UNKNOWN) {
                return NOT_IN_SYNC;
            }
        }
        return OK;
    }

    /** play's result: every host ok or changed and the run not stopped, or HOSTS_FAILED. */
    public static Exit of(PlayOutcome outcome) {
        return outcome.ok() ? OK : HOSTS_FAILED;
    }

    /**
     * An exception that ended a command: what it says is written for the operator unless this is INTERNAL.
     *
     * @param command the command object (its class says whether it is a {@link MonitoringCheck})
     */
    public static Exit of(Throwable e, Object command) {
        Exit exit;
        if (e instanceof ExitException x) {
            exit = x.exit();
        } else if (e instanceof CommandLine.ParameterException) {
            exit = USAGE;
        } else if (e instanceof InventoryException || e instanceof RenderException
                || e instanceof TransportException || e instanceof PlaybookException) {
            // a TransportException that reaches the top is about the run (an unreadable --known-hosts, a prompt
            // without a terminal): one host's is that host's result and never gets here
            exit = INVALID_INPUT;
        } else {
            exit = INTERNAL;
        }
        if ((exit == USAGE || exit == INVALID_INPUT) && command instanceof MonitoringCheck) {
            return UNKNOWN;
        }
        return exit;
    }

    /** Code -> meaning, one entry per code (meanings that share a code joined), in ascending order, for --help. */
    public static Map<String, String> list() {
        Map<String, String> out = new LinkedHashMap<>();
        Stream.of(values()).collect(Collectors.groupingBy(Exit::code, java.util.TreeMap::new,
                        Collectors.mapping(Exit::meaning, Collectors.joining("; "))))
                .forEach((code, meaning) -> out.put(String.valueOf(code), meaning));
        return out;
    }

    /** The same list as a markdown table, as README's "Exit codes" section holds it. */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| code | meaning |\n| --- | --- |\n");
        list().forEach((code, meaning) -> b.append("| ").append(code).append(" | ").append(meaning).append(" |\n"));
        return b.toString();
    }
}

package dev.ntpdeploy.engine;

import dev.ntpdeploy.facts.DaemonStartLog;
import dev.ntpdeploy.facts.RemoteFile;
import dev.ntpdeploy.facts.Shell;
import dev.ntpdeploy.transport.RemoteCommand;
import dev.ntpdeploy.ops.FileInstaller;
import dev.ntpdeploy.ops.PutFile;
import dev.ntpdeploy.ops.RestartService;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Carries out one host's plan: install the file, restart, check the daemon's start, and when the
 * daemon rejects the new config put the previous one back and restart again, so a bad config never
 * leaves a host without time service. Every failure becomes this host's result, never an exception.
 */
final class HostApplier {

    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(60);

    private final FileInstaller installer;
    private final int keepBackups;

    HostApplier(FileInstaller installer, int keepBackups) {
        this.installer = installer;
        this.keepBackups = keepBackups;
    }

    HostResult apply(HostPlan plan, Connection c) {
        String host = plan.host().name();
        if (!plan.changes()) {
            return result(plan, HostStatus.OK, "no change", null);
        }
        List<String> done = new ArrayList<>();
        Optional<PutFile> put = plan.putFile();
        Optional<String> backup = Optional.empty();
        if (put.isPresent()) {
            try {
                backup = installer.install(c, put.get(), keepBackups);
                done.add(put.get().describe() + " (" + String.join(", ", put.get().reasons()) + ")");
            } catch (IOException e) {
                return result(plan, HostStatus.FAILED, "upload failed: " + e.getMessage(), plan.diff());
            }
        }
        Optional<RestartService> restart = plan.restart();
        if (restart.isEmpty()) {
            return result(plan, HostStatus.CHANGED, String.join("; ", done), plan.diff());
        }
        DaemonStartLog start;
        try {
            start = restart(c, restart.get());
        } catch (IOException e) {
            String why = "restart of " + restart.get().service() + " failed: " + e.getMessage();
            return result(plan, HostStatus.FAILED, put.isPresent() ? rollBack(plan, c, backup, why, OptionalLong.empty())
                    : why, plan.diff());
        }
        if (start.good()) {
            done.add(restart.get().describe());
            return result(plan, HostStatus.CHANGED, String.join("; ", done), plan.diff());
        }
        boolean contentChanged = put.isPresent() && !plan.current().sameContent(put.get().content());
        if (!contentChanged) {
            return result(plan, HostStatus.FAILED, start.problem(), plan.diff());
        }
        return result(plan, HostStatus.FAILED, rollBack(plan, c, backup, start.problem(), start.pid()), plan.diff());
    }

    /** Puts the previous config back (backup, else the bytes the probe read) and restarts; says how it went. */
    private String rollBack(HostPlan plan, Connection c, Optional<String> backup, String why,
                            OptionalLong runningPid) {
        RemoteFile previous = plan.current();
        try {
            if (backup.isPresent()) {
                installer.restore(c, plan.confPath(), backup.get());
            } else if (previous.exists()) {
                installer.install(c, new PutFile(plan.confPath(), previous.content(), previous.octalMode().orElse("0644"),
                        previous.owner(), previous.group(), List.of("restore")), 0);
            } else {
                ExecResult r = c.execPrivileged(Shell.PATH_PREFIX + "rm -f " + RemoteCommand.quote(plan.confPath()), null,
                        Duration.ofSeconds(30));
                if (!r.ok()) {
                    throw new IOException("rm -f " + plan.confPath() + ": " + r.stderr().strip());
                }
            }
        } catch (IOException e) {
            return why + "; restoring the previous config FAILED too: " + e.getMessage()
                    + " (fix " + plan.confPath() + " by hand)";
        }
        String restored = previous.exists() ? "previous config restored" : "new config removed (there was none before)";
        RestartService again = new RestartService(plan.service(), plan.restart().orElseThrow().manager(),
                runningPid, "restore");
        try {
            DaemonStartLog second = restart(c, again);
            if (second.running()) {
                return why + "; " + restored + ", ntpd running again (pid " + second.pid().getAsLong() + ")";
            }
            return why + "; " + restored + " but ntpd does not run: " + second.problem();
        } catch (IOException e) {
            return why + "; " + restored + " but the restart failed: " + e.getMessage();
        }
    }

    private static DaemonStartLog restart(Connection c, RestartService step) throws IOException {
        ExecResult r = c.execPrivileged(step.command(), null, RESTART_TIMEOUT);
        try {
            return DaemonStartLog.parse(r.stdout());
        } catch (IllegalArgumentException e) {
            String err = r.stderr().strip();
            throw new IOException("restart check did not complete (exit " + r.exitCode() + ")"
                    + (err.isEmpty() ? "" : ": " + err.lines().findFirst().orElse("")));
        }
    }

    private static HostResult result(HostPlan plan, HostStatus status, String message, String diff) {
        return new HostResult(plan.host().name(), plan.host().role(), status, message,
                diff == null || diff.isEmpty() ? null : diff);
    }
}

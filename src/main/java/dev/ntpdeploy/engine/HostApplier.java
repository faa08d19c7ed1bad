package dev.ntpdeploy.engine;

import dev.ntpdeploy.facts.DaemonStartLog;
import dev.ntpdeploy.facts.RemoteScript;
import dev.ntpdeploy.ops.ChangeUnit;
import dev.ntpdeploy.ops.SoleDaemon;
import dev.ntpdeploy.ops.PutFile;
import dev.ntpdeploy.ops.RestartService;
import dev.ntpdeploy.ops.RunId;
import dev.ntpdeploy.ops.UnitReport;
import dev.ntpdeploy.transport.BecomeException;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out one host's plan as one {@link ChangeUnit}: the host installs the file (only complete, and only over
 * the file this run's probe read), restarts, checks the daemon's start and puts the previous file back when the
 * daemon rejects the new one, under the host's lock, and finishes even if this controller or its connection
 * disappears. Turns the unit's report into this host's result; every failure is this host's result, never an
 * exception.
 */
final class HostApplier {

    private static final RemoteScript REMOVE_REPORTS = RemoteScript.of("remove-reports.sh");

    private final int keepBackups;
    private final RunId run;
    private final ChangeUnit.Places places;

    HostApplier(int keepBackups, RunId run, ChangeUnit.Places places) {
        this.keepBackups = keepBackups;
        this.run = run;
        this.places = places;
    }

    HostResult apply(HostPlan plan, Connection c) {
        List<String> notes = new ArrayList<>();
        leftoverNotes(plan, c, notes);
        HostResult r = change(plan, c);
        for (String n : notes) {
            r = r.withNote(n);
        }
        return r;
    }

    private HostResult change(HostPlan plan, Connection c) {
        if (!plan.changes()) {
            return result(plan, HostStatus.OK, "no change", null);
        }
        Optional<PutFile> put = plan.putFile();
        Optional<RestartService> restart = plan.restart();
        String expected = plan.current().exists() ? plan.current().sha256() : "absent";
        ChangeUnit unit = new ChangeUnit(plan.confPath(), put, expected, restart, keepBackups, run, places,
                plan.soleDaemon(), plan.flavor());
        ExecResult r;
        try {
            r = c.execPrivileged(unit.command(), unit.stdin(), ChangeUnit.TIMEOUT);
        } catch (BecomeException e) {
            // sudo refused before the change unit ran: nothing changed on the host
            return result(plan, HostStatus.FAILED, e.getMessage(), plan.diff());
        } catch (IOException e) {
            String why = e.getMessage();
            return result(plan, HostStatus.UNREACHABLE, why + (put.isPresent() || restart.isPresent()
                    ? "; once the file arrived whole, the host finishes the change on its own (install, restart,"
                    + " check, rollback): the next apply reports how it ended" : ""), plan.diff());
        }
        UnitReport u = UnitReport.parse(r.stdout());
        return result(plan, status(u, plan), describe(u, plan, r), plan.diff());
    }

    private static HostStatus status(UnitReport u, HostPlan plan) {
        boolean startGood = plan.restart().isEmpty() || u.start().map(DaemonStartLog::good).orElse(false);
        boolean installedIfAsked = plan.putFile().isEmpty() || u.installed();
        return u.ended() && installedIfAsked && startGood && u.error().isEmpty() && competitorsDone(u, plan)
                ? HostStatus.CHANGED : HostStatus.FAILED;
    }

    /**
     * The managed unit is enabled when it had to be, every competing daemon is stopped and disabled, and the daemon
     * started again after them when it had to be.
     */
    private static boolean competitorsDone(UnitReport u, HostPlan plan) {
        Optional<SoleDaemon> dc = plan.soleDaemon();
        if (dc.isEmpty()) {
            return true;
        }
        boolean enabled = !dc.get().enableManaged() || u.managedEnabled().map(e -> e.startsWith("enabled")).orElse(false);
        boolean afterGood = !dc.get().restartAfter() || u.after().map(DaemonStartLog::good).orElse(false);
        return enabled && u.competitors().size() == dc.get().competitors().size()
                && u.competitors().stream().allMatch(UnitReport.Competitor::done) && afterGood;
    }

    /**
     * What the unit did with the competing daemons: "stopped and disabled chrony" and the daemon's start after them,
     * or what is left running or enabled; empty when the unit did not get to them (a failed start: they run on).
     */
    private static Optional<String> competitorsSaid(UnitReport u, SoleDaemon dc) {
        if (u.competitors().isEmpty() && u.managedEnabled().isEmpty()) {
            return Optional.empty();
        }
        List<String> off = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (UnitReport.Competitor c : u.competitors()) {
            boolean enabled = c.enabledState().startsWith("enabled");
            if (c.done()) {
                off.add(c.unit());
            } else if (!c.stopped()) {
                left.add(c.unit() + " still runs" + (enabled ? " and is " + c.enabledState() : ""));
            } else {
                left.add(c.unit() + " is still " + c.enabledState());
            }
        }
        List<String> said = new ArrayList<>();
        u.managedEnabled().ifPresent(e -> said.add(e.startsWith("enabled") ? "enabled " + dc.service()
                : dc.service() + " NOT enabled (" + e + ")" + stepErrors(u)));
        if (!off.isEmpty()) {
            said.add("stopped and disabled " + String.join(", ", off));
        }
        if (!left.isEmpty()) {
            said.add("competing daemon NOT off: " + String.join(", ", left) + stepErrors(u));
        }
        if (dc.restartAfter()) {
            said.add(u.after().map(a -> a.good() ? "started " + dc.service() + " again (UDP 123 free)"
                    : dc.service() + " did not start again after them: " + a.problem())
                    .orElse("the start of " + dc.service() + " after them reported nothing"));
        }
        return Optional.of(String.join("; ", said));
    }

    /** One line: what the unit did, or why it did not. */
    static String describe(UnitReport u, HostPlan plan, ExecResult r) {
        String path = plan.confPath();
        if (u.lockedBy().isPresent()) {
            return "host is locked by another ntpdeploy run (" + u.lockedBy().get() + "): nothing changed;"
                    + " apply again once it has finished";
        }
        if (u.incomplete().isPresent()) {
            String[] got = u.incomplete().get().split(" ");
            int sent = plan.putFile().map(p -> p.content().length).orElse(0);
            return "upload incomplete: the host received " + got[0] + " of " + sent + " bytes"
                    + (got.length > 1 && got[0].equals(Integer.toString(sent)) ? " (sha256 differs)" : "")
                    + "; the temp file was removed and " + path + " is untouched";
        }
        if (!u.rejected().isEmpty()) {
            return plan.flavor().configChecker() + " rejected the new config, so it was not installed (" + path
                    + " is untouched): " + String.join("; ", u.rejected());
        }
        if (u.changedSinceProbe().isPresent()) {
            return path + " changed on the host after this run read it (another run or a hand edit; sha256 now "
                    + abbreviate(u.changedSinceProbe().get()) + "): nothing changed; apply again to plan from what is"
                    + " there now";
        }
        List<String> done = new ArrayList<>();
        plan.putFile().filter(p -> u.installed()).ifPresent(p ->
                done.add(p.describe() + " (" + String.join(", ", p.reasons()) + ")"));
        if (u.error().isPresent()) {
            done.add(0, "change failed: " + u.error().get() + stepErrors(u));
            return String.join("; ", done);
        }
        if (!u.ended()) {
            String why = u.lost().orElseGet(() -> "exit " + r.exitCode() + firstLine(r.stderr()));
            done.add(0, "the change on the host ended without a complete report (" + why + ")");
            return String.join("; ", done);
        }
        Optional<RestartService> restart = plan.restart();
        Optional<String> competitors = plan.soleDaemon().flatMap(dc -> competitorsSaid(u, dc));
        if (restart.isEmpty()) {
            competitors.ifPresent(done::add);
            return String.join("; ", done);
        }
        if (u.start().isEmpty()) {
            done.add("restart of " + restart.get().service() + " reported nothing" + stepErrors(u));
            return String.join("; ", done);
        }
        DaemonStartLog start = u.start().get();
        if (start.good()) {
            done.add(restart.get().describe() + (restart.get().reason() == RestartService.Reason.STALE
                    ? " (" + restart.get().why() + ")" : ""));
            competitors.ifPresent(done::add);
            return String.join("; ", done);
        }
        // the unit never gets to the competing daemons after a failed start: they run on as they were
        String untouched = plan.soleDaemon().map(dc -> "; " + String.join(", ", dc.competitors().stream()
                .map(SoleDaemon.Competitor::unit).toList()) + " left as it was").orElse("");
        if (u.rollback().isEmpty()) {
            return start.problem() + untouched;
        }
        String rb = u.rollback().get();
        String restored = switch (rb) {
            case "restored" -> "previous config restored";
            case "removed" -> "new config removed (there was none before)";
            case "failed" -> "restoring the previous config FAILED too" + stepErrors(u) + " (fix " + path + " by hand)";
            default -> "previous config NOT restored: " + rb.replaceFirst("^skipped: ", "");
        };
        if (!rb.equals("restored") && !rb.equals("removed")) {
            return start.problem() + "; " + restored + untouched;
        }
        Optional<DaemonStartLog> again = u.again();
        if (again.isPresent() && again.get().running()) {
            return start.problem() + "; " + restored + ", " + again.get().program() + " running again (pid "
                    + again.get().pid().getAsLong() + ")" + untouched;
        }
        return start.problem() + "; " + restored + " but " + start.program() + " does not run: "
                + again.map(DaemonStartLog::problem).orElse("its restart reported nothing") + untouched;
    }

    /**
     * Reports left on the host by earlier runs that lost the host mid-change (the host finished those changes
     * alone): each becomes a note on this host's result, and is removed (not in a dry run: the executor only runs
     * for real runs).
     */
    private void leftoverNotes(HostPlan plan, Connection c, List<String> notes) {
        Map<String, String> left = plan.leftovers();
        if (left.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(List.of(places.state()));
        left.forEach((name, text) -> {
            notes.add(leftoverNote(UnitReport.parse(text)));
            args.add(name);
        });
        try {
            c.execPrivileged(REMOVE_REPORTS.command(args), null, Duration.ofSeconds(30));
        } catch (IOException e) {
            notes.add("could not remove the earlier run's report: " + e.getMessage());
        }
    }

    /** What an earlier run's report left on the host says, from the report alone (that run's plan is gone). */
    static String leftoverNote(UnitReport u) {
        String who = u.owner().isEmpty() ? "an earlier run" : u.owner();
        List<String> what = new ArrayList<>();
        u.changedSinceProbe().ifPresent(x -> what.add("nothing installed (the file had changed since its probe)"));
        u.error().ifPresent(e -> what.add("failed: " + e));
        if (u.installed()) {
            what.add("installed its new file");
        }
        u.start().ifPresent(s -> what.add(s.good() ? s.program() + " started on it (pid " + s.pid().getAsLong() + ")"
                : s.problem()));
        u.rollback().ifPresent(rb -> what.add("rollback: " + rb));
        u.again().ifPresent(s -> what.add(s.running() ? s.program() + " running again (pid " + s.pid().getAsLong() + ")"
                : s.program() + " does not run: " + s.problem()));
        u.managedEnabled().ifPresent(e -> what.add("the daemon's unit " + e));
        u.competitors().forEach(c -> what.add(c.unit() + (c.stopped() ? " stopped" : " still running")
                + " (" + c.enabledState() + ")"));
        u.after().ifPresent(s -> what.add(s.good() ? "daemon started again after them" : s.problem()));
        if (u.cut() || !u.ended()) {
            what.add("cut off before its end (the file is the old or the new one, whole)");
        }
        return "earlier: " + who + " lost this host mid-change; on the host: "
                + (what.isEmpty() ? "nothing done" : String.join(", ", what));
    }

    private static String stepErrors(UnitReport u) {
        return u.stepErrors().isEmpty() ? "" : " (" + String.join("; ", u.stepErrors()) + ")";
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) + "..." : sha;
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        return t.isEmpty() ? "" : ": " + t.lines().findFirst().orElse("");
    }

    private static HostResult result(HostPlan plan, HostStatus status, String message, String diff) {
        return new HostResult(plan.host().name(), plan.host().role(), status, message,
                diff == null || diff.isEmpty() ? null : diff);
    }
}

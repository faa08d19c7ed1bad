package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.facts.RemoteFile;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.ops.ChangeUnit;
import dev.ntpdeploy.ops.RunId;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the operator reads for each way a change unit can end (its reports as the script prints them). */
class HostApplierTest {

    final List<String> commands = new ArrayList<>();
    final HostApplier applier = new HostApplier(5, new RunId("0123456789ab", "ctl", 1, Instant.EPOCH),
            ChangeUnit.Places.HOST);

    static HostPlan changed(Map<String, String> leftovers) {
        RemoteFile old = new RemoteFile("/etc/ntpsec/ntp.conf", true, "644", "root", "root", "0".repeat(64),
                "old\n".getBytes());
        HostPlan p = Planner.plan(TestHosts.host("h2", Role.CLIENT, Flavor.NTPSEC), PlannerTest.facts(old, true),
                Map.of(Flavor.NTPSEC, "new\n"));
        return new HostPlan(p.host(), p.daemon(), p.current(), p.steps(), p.diff(),
                p.problem(), leftovers);
    }

    Connection answering(String unitReport) {
        return new Connection() {
            @Override
            public String host() {
                return "h2";
            }

            @Override
            public ExecResult exec(String command, byte[] stdin, Duration timeout) {
                throw new AssertionError("privileged only");
            }

            @Override
            public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) throws IOException {
                commands.add(command.contains("phase=stage") ? "unit" : command.contains("rm -f") ? "rm" : "other");
                if (unitReport == null) {
                    throw new TransportException("h2: connection lost: Broken pipe");
                }
                return new ExecResult(0, unitReport, "");
            }

            @Override
            public void close() {
            }
        };
    }

    /** The report of a unit that installed the file and restarted ntpd as {@code pid}. */
    static String goodUnit(String owner, long pid) {
        return "@@ntpdeploy:unit@@\n" + owner + "\n@@ntpdeploy:installed@@\n@@ntpdeploy:start.restart_rc@@\n0\n"
                + "@@ntpdeploy:start.pid@@\n" + pid + "\n@@ntpdeploy:start.end@@\n@@ntpdeploy:unit_end@@\n";
    }

    HostResult apply(String report) {
        return applier.apply(changed(Map.of()), answering(report));
    }

    @Test
    void aHostLockedByAnotherRunNamesThatRun() {
        HostResult r = apply("@@ntpdeploy:locked@@\nrun ffffffffffff of ntpdeploy on ops-2 (pid 77), started 2026-12-06T10:00:00Z\n");
        assertEquals(HostStatus.FAILED, r.status());
        assertEquals("host is locked by another ntpdeploy run (run ffffffffffff of ntpdeploy on ops-2 (pid 77), started"
                + " 2026-12-06T10:00:00Z): nothing changed; apply again once it has finished", r.message());
    }

    @Test
    void aShortUploadSaysTheFileIsUntouched() {
        HostResult r = apply("@@ntpdeploy:incomplete@@\n0 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");
        assertEquals(HostStatus.FAILED, r.status());
        assertEquals("upload incomplete: the host received 0 of 4 bytes; the temp file was removed and"
                + " /etc/ntpsec/ntp.conf is untouched", r.message());
    }

    @Test
    void aFileChangedSinceTheProbeIsNotOverwritten() {
        HostResult r = apply("@@ntpdeploy:unit@@\nx\n@@ntpdeploy:changed_since_probe@@\n" + "a".repeat(64) + "\n@@ntpdeploy:unit_end@@\n");
        assertEquals(HostStatus.FAILED, r.status());
        assertTrue(r.message().startsWith("/etc/ntpsec/ntp.conf changed on the host after this run read it"), r.message());
    }

    @Test
    void aRejectedFileRolledBackOnTheHostIsReportedWithNtpdsWords() {
        HostResult r = apply("""
                @@ntpdeploy:unit@@
                x
                @@ntpdeploy:backup@@
                /etc/ntpsec/ntp.conf.ntpdeploy-20261206T100000
                @@ntpdeploy:installed@@
                @@ntpdeploy:start.restart_rc@@
                0
                @@ntpdeploy:start.pid@@
                201
                @@ntpdeploy:start.log@@
                ntpd[201]: CONFIG: line 3 column 0 syntax error
                @@ntpdeploy:start.end@@
                @@ntpdeploy:rollback@@
                restored
                @@ntpdeploy:again.restart_rc@@
                0
                @@ntpdeploy:again.pid@@
                202
                @@ntpdeploy:again.end@@
                @@ntpdeploy:unit_end@@
                """);
        assertEquals(HostStatus.FAILED, r.status());
        assertEquals("ntpd rejected config lines: ntpd[201]: CONFIG: line 3 column 0 syntax error; previous config"
                + " restored, ntpd running again (pid 202)", r.message());
    }

    /** A chrony client's plan: /etc/chrony/chrony.conf changes, chronyd (pid 777) is restarted. */
    static HostPlan chronyChanged() {
        RemoteFile old = new RemoteFile("/etc/chrony/chrony.conf", true, "644", "root", "root", "0".repeat(64),
                "old\n".getBytes());
        return Planner.plan(TestHosts.host("h2", Role.CLIENT, Flavor.CHRONY),
                PlannerTest.chronyFacts("/etc/chrony/chrony.conf", "debian", java.util.OptionalLong.of(777), 900, 30),
                Map.of(Flavor.CHRONY, "new\n"));
    }

    @Test
    void aConfigChronydRejectedIsReportedWithItsLineAndTheFileUntouched() {
        HostResult r = applier.apply(chronyChanged(), answering("""
                @@ntpdeploy:config_rejected@@
                Fatal error : Invalid directive at line 4 in file /etc/chrony/chrony.conf
                """));
        assertEquals(HostStatus.FAILED, r.status());
        assertEquals("chronyd rejected the new config, so it was not installed (/etc/chrony/chrony.conf is untouched):"
                + " Fatal error : Invalid directive at line 4 in file /etc/chrony/chrony.conf", r.message());
    }

    @Test
    void aChronydThatDiesOnTheNewFileIsRolledBackAndNamedAsChronyd() {
        HostResult r = applier.apply(chronyChanged(), answering("""
                @@ntpdeploy:unit@@
                x
                @@ntpdeploy:installed@@
                @@ntpdeploy:start.program@@
                chronyd
                @@ntpdeploy:start.restart_rc@@
                1
                @@ntpdeploy:start.restart_out@@
                Job for chrony.service failed because the control process exited with error code.
                @@ntpdeploy:start.log@@
                2026-12-07T03:00:00Z Fatal error : Could not get user/group ID of nosuchuser
                @@ntpdeploy:start.end@@
                @@ntpdeploy:rollback@@
                restored
                @@ntpdeploy:again.program@@
                chronyd
                @@ntpdeploy:again.restart_rc@@
                0
                @@ntpdeploy:again.pid@@
                902
                @@ntpdeploy:again.end@@
                @@ntpdeploy:unit_end@@
                """));
        assertEquals(HostStatus.FAILED, r.status());
        assertEquals("chronyd did not come back up (restart exit 1): 2026-12-07T03:00:00Z Fatal error : Could not get"
                + " user/group ID of nosuchuser; Job for chrony.service failed because the control process exited with"
                + " error code.; previous config restored, chronyd running again (pid 902)", r.message());
    }

    @Test
    void aGoodChangeSaysWhatWasDone() {
        HostResult r = apply(goodUnit("x", 201));
        assertEquals(HostStatus.CHANGED, r.status());
        assertEquals("uploaded /etc/ntpsec/ntp.conf (content differs); restarted ntpsec", r.message());
    }

    /** A dual host running chrony, switched to ntpsec (PlannerTest.chronyRuns). */
    static HostPlan switched() {
        return Planner.plan(TestHosts.host("h2", Role.CLIENT, Flavor.NTPSEC),
                PlannerTest.chronyRuns(RemoteFile.absent("/etc/ntpsec/ntp.conf")), Map.of(Flavor.NTPSEC, "new\n"));
    }

    static final String STARTED = "@@ntpdeploy:unit@@\nx\n@@ntpdeploy:installed@@\n@@ntpdeploy:start.restart_rc@@\n0\n"
            + "@@ntpdeploy:start.ntpd_pid@@\n201\n@@ntpdeploy:start.end@@\n";

    @Test
    void aSwitchSaysTheOtherDaemonWasStoppedAndDisabledAndTheNewOneStartedAgain() {
        HostResult r = applier.apply(switched(), answering(STARTED + "@@ntpdeploy:managed@@\nntpsec enabled\n"
                + "@@ntpdeploy:competitor@@\nchrony stopped disabled\n"
                + "@@ntpdeploy:after.restart_rc@@\n0\n@@ntpdeploy:after.ntpd_pid@@\n202\n@@ntpdeploy:after.end@@\n"
                + "@@ntpdeploy:unit_end@@\n"));
        assertEquals(HostStatus.CHANGED, r.status(), r.message());
        assertEquals("uploaded /etc/ntpsec/ntp.conf (file missing); started ntpsec; enabled ntpsec; stopped and disabled"
                + " chrony; started ntpsec again (UDP 123 free)", r.message());
        assertTrue(r.diff().contains("stop and disable chrony (chronyd runs, enabled)"), r.diff());
    }

    @Test
    void aCompetitorThatOutlivesItsStopFailsTheHost() {
        HostResult r = applier.apply(switched(), answering(STARTED + "@@ntpdeploy:managed@@\nntpsec enabled\n"
                + "@@ntpdeploy:competitor@@\nchrony running disabled\n"
                + "@@ntpdeploy:after.restart_rc@@\n0\n@@ntpdeploy:after.ntpd_pid@@\n202\n@@ntpdeploy:after.end@@\n"
                + "@@ntpdeploy:unit_end@@\n"));
        assertEquals(HostStatus.FAILED, r.status());
        assertTrue(r.message().contains("competing daemon NOT off: chrony still runs"), r.message());
    }

    @Test
    void aManagedUnitLeftDisabledFailsTheHost() {
        HostResult r = applier.apply(switched(), answering(STARTED + "@@ntpdeploy:managed@@\nntpsec disabled\n"
                + "@@ntpdeploy:competitor@@\nchrony stopped disabled\n"
                + "@@ntpdeploy:after.restart_rc@@\n0\n@@ntpdeploy:after.ntpd_pid@@\n202\n@@ntpdeploy:after.end@@\n"
                + "@@ntpdeploy:unit_end@@\n"));
        assertEquals(HostStatus.FAILED, r.status());
        assertTrue(r.message().contains("ntpsec NOT enabled (disabled)"), r.message());
    }

    @Test
    void aUnitThatNeverGotToTheCompetitorsIsNotChanged() {
        // the report ends without the competitor sections (the unit was killed after the start)
        HostResult r = applier.apply(switched(), answering(STARTED + "@@ntpdeploy:unit_end@@\n"));
        assertEquals(HostStatus.FAILED, r.status(), r.message());
    }

    @Test
    void aFailedStartLeavesTheOtherDaemonAsItWasAndSaysSo() {
        HostResult r = applier.apply(switched(), answering("""
                @@ntpdeploy:unit@@
                x
                @@ntpdeploy:installed@@
                @@ntpdeploy:start.restart_rc@@
                1
                @@ntpdeploy:start.died@@
                @@ntpdeploy:start.end@@
                @@ntpdeploy:rollback@@
                removed
                @@ntpdeploy:unit_end@@
                """));
        assertEquals(HostStatus.FAILED, r.status());
        assertTrue(r.message().endsWith("; chrony left as it was"), r.message());
    }

    @Test
    void aConnectionLostMidChangeSaysTheHostFinishesAlone() {
        HostResult r = apply(null);
        assertEquals(HostStatus.UNREACHABLE, r.status());
        assertTrue(r.message().startsWith("h2: connection lost: Broken pipe; once the file arrived whole, the host"
                + " finishes the change on its own"), r.message());
    }

    @Test
    void anEarlierRunsReportIsNotedAndCleared() {
        String left = goodUnit("run 0123456789ab of ntpdeploy on ctl (pid 1), started 2026-12-06T10:00:00Z", 300);
        HostResult r = applier.apply(changed(Map.of("0123456789ab.done", left)),
                answering(goodUnit("x", 301)));
        assertTrue(r.message().endsWith("; earlier: run 0123456789ab of ntpdeploy on ctl (pid 1), started"
                + " 2026-12-06T10:00:00Z lost this host mid-change; on the host: installed its new file, ntpd started on"
                + " it (pid 300)"), r.message());
        assertEquals(List.of("rm", "unit"), commands);
    }
}

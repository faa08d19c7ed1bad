package dev.ntpdeploy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.ProbeFacts;
import dev.ntpdeploy.facts.ServiceManager;
import dev.ntpdeploy.facts.TimeDaemon;
import dev.ntpdeploy.facts.TimeDaemons;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.NtpSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which competing daemons apply stops and disables, and what the plan says about them. */
class SoleDaemonTest {

    static final Daemon NTPSEC = new Daemon(Flavor.NTPSEC, "/etc/ntpsec/ntp.conf", "ntpsec", ServiceManager.SERVICE, "ntpd");
    static final Daemon CHRONY = new Daemon(Flavor.CHRONY, "/etc/chrony/chrony.conf", "chrony", ServiceManager.SYSTEMD,
            "chronyd");

    static NtpSpec ntp(Flavor declared, boolean disableCompetitors) {
        return new NtpSpec(List.of(), true, 10, OptionalInt.empty(), OptionalInt.empty(), List.of(), true,
                Optional.ofNullable(declared), "h", true, OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), List.of(), 128, disableCompetitors);
    }

    static ProbeFacts facts(Map<TimeDaemon, List<Long>> running, Map<String, String> units) {
        return new ProbeFacts(Optional.of("ntpd ntpsec-1.2.2"), true, OptionalLong.empty(), "", ServiceManager.SERVICE,
                Set.of(), List.of("debian"), Map.of(), OptionalLong.empty(), Map.of(), Map.of(),
                new TimeDaemons(running, units));
    }

    /** A dual host running chrony (enabled) with ntpsec installed and disabled, and timesyncd enabled and running. */
    static final ProbeFacts CHRONY_RUNS = facts(
            Map.of(TimeDaemon.CHRONYD, List.of(702L, 703L), TimeDaemon.TIMESYNCD, List.of(300L)),
            Map.of("ntpsec", "disabled", "chrony", "enabled", "systemd-timesyncd", "enabled"));

    @Test
    void aHostSwitchedToNtpsecStopsAndDisablesChronyAndTimesyncdThenStartsNtpsecAgain() {
        SoleDaemon d = SoleDaemon.plan(ntp(Flavor.NTPSEC, true), NTPSEC, CHRONY_RUNS).orElseThrow();
        assertEquals(List.of(new SoleDaemon.Competitor(TimeDaemon.CHRONYD, "chrony", true, true),
                new SoleDaemon.Competitor(TimeDaemon.TIMESYNCD, "systemd-timesyncd", true, true)), d.competitors());
        assertTrue(d.restartAfter(), "chronyd may have held UDP 123 when ntpd started");
        assertEquals("ntpsec", d.service());
        assertEquals(OptionalLong.empty(), d.managedPid(), "no ntpd ran before");
        assertEquals("chrony:chronyd systemd-timesyncd:systemd-timesyn", d.argument());
        assertTrue(d.enableManaged(), "ntpsec's unit is disabled on the host");
        assertEquals("enable ntpsec; stop and disable chrony (chronyd runs, enabled), systemd-timesyncd"
                + " (systemd-timesyn runs, enabled): once ntpsec runs its config, then start ntpsec again to take UDP 123",
                d.planLine());
        assertEquals("enabled ntpsec; stopped and disabled chrony, systemd-timesyncd", d.describe());
    }

    @Test
    void anEnabledDaemonThatDoesNotRunIsDisabledWithoutARestartAfter() {
        ProbeFacts f = facts(Map.of(TimeDaemon.NTPD, List.of(611L)), Map.of("ntpsec", "enabled", "chrony", "enabled"));
        SoleDaemon d = SoleDaemon.plan(ntp(Flavor.NTPSEC, true), NTPSEC, f).orElseThrow();
        assertEquals(List.of(new SoleDaemon.Competitor(TimeDaemon.CHRONYD, "chrony", false, true)),
                d.competitors());
        assertFalse(d.restartAfter());
        assertEquals(OptionalLong.of(611), d.managedPid());
        assertFalse(d.enableManaged());
        assertEquals("stop and disable chrony (enabled): once ntpsec runs its config", d.planLine());
    }

    @Test
    void timesyncdAloneNeedsNoRestartAfter() {
        ProbeFacts f = facts(Map.of(TimeDaemon.TIMESYNCD, List.of(300L)), Map.of("systemd-timesyncd", "enabled"));
        assertFalse(SoleDaemon.plan(ntp(Flavor.NTPSEC, true), NTPSEC, f).orElseThrow().restartAfter());
    }

    @Test
    void theManagedDaemonsOwnPidIsTheFirstOfItsProcesses() {
        ProbeFacts f = facts(Map.of(TimeDaemon.CHRONYD, List.of(703L, 702L), TimeDaemon.NTPD, List.of(611L)),
                Map.of("ntpsec", "enabled", "chrony", "enabled"));
        SoleDaemon d = SoleDaemon.plan(ntp(Flavor.CHRONY, true), CHRONY, f).orElseThrow();
        assertEquals(List.of(new SoleDaemon.Competitor(TimeDaemon.NTPD, "ntpsec", true, true)), d.competitors());
        assertEquals(OptionalLong.of(702), d.managedPid(), "chronyd's helper is its child: a later pid");
        assertEquals(ServiceManager.SYSTEMD, d.manager());
    }

    @Test
    void nothingToDoWhenNoOtherDaemonRunsOrIsEnabled() {
        ProbeFacts f = facts(Map.of(TimeDaemon.NTPD, List.of(611L)),
                Map.of("ntpsec", "enabled", "chrony", "disabled", "systemd-timesyncd", "masked"));
        assertEquals(Optional.empty(), SoleDaemon.plan(ntp(Flavor.NTPSEC, true), NTPSEC, f));
        assertEquals(Optional.empty(), SoleDaemon.plan(ntp(Flavor.NTPSEC, true), NTPSEC,
                facts(Map.of(), Map.of())), "an older probe's facts: nothing known, nothing planned");
    }

    @Test
    void ntpDisableCompetitorsFalseLeavesThemAloneAndStillEnablesTheManagedDaemon() {
        SoleDaemon d = SoleDaemon.plan(ntp(Flavor.NTPSEC, false), NTPSEC, CHRONY_RUNS).orElseThrow();
        assertEquals(List.of(), d.competitors());
        assertTrue(d.enableManaged());
        assertEquals("enable ntpsec: once ntpsec runs its config", d.planLine());
        ProbeFacts enabled = facts(CHRONY_RUNS.daemons().running(), Map.of("ntpsec", "enabled", "chrony", "enabled"));
        assertEquals(Optional.empty(), SoleDaemon.plan(ntp(Flavor.NTPSEC, false), NTPSEC, enabled));
    }

    @Test
    void aManagedUnitInAStateTheHostDidNotTellOrMaskedIsNotEnabled() {
        for (String state : List.of("unknown", "masked")) {
            ProbeFacts f = facts(Map.of(TimeDaemon.NTPD, List.of(611L)), Map.of("ntpsec", state));
            assertEquals(Optional.empty(), SoleDaemon.plan(ntp(Flavor.NTPSEC, true), NTPSEC, f), state);
        }
    }

    @Test
    void withAutoTheOtherDaemonFamilyIsNeverSwitchedButTimesyncdIsStopped() {
        SoleDaemon d = SoleDaemon.plan(ntp(null, true), NTPSEC, CHRONY_RUNS).orElseThrow();
        assertEquals(List.of(new SoleDaemon.Competitor(TimeDaemon.TIMESYNCD, "systemd-timesyncd", true, true)),
                d.competitors());
        assertTrue(TimeDaemon.TIMESYNCD.stoppedByApply(ntp(null, true)));
        assertFalse(TimeDaemon.CHRONYD.stoppedByApply(ntp(null, true)));
        assertFalse(TimeDaemon.TIMESYNCD.stoppedByApply(ntp(Flavor.NTPSEC, false)));
    }

    @Test
    void aDaemonWithoutAUnitIsLeftToVerify() {
        // chronyd started by hand on a host with no chrony unit: the service manager cannot stop it for good
        ProbeFacts f = facts(Map.of(TimeDaemon.CHRONYD, List.of(702L)), Map.of("ntpsec", "enabled"));
        assertEquals(Optional.empty(), SoleDaemon.plan(ntp(Flavor.NTPSEC, true), NTPSEC, f));
    }

    @Test
    void unitNamesAreCheckedBeforeTheyReachAShell() {
        assertThrows(IllegalArgumentException.class,
                () -> new SoleDaemon.Competitor(TimeDaemon.CHRONYD, "chrony; reboot", true, true));
        assertThrows(IllegalArgumentException.class,
                () -> new SoleDaemon(List.of(), false, "ntpsec", ServiceManager.SERVICE, OptionalLong.empty()));
    }
}

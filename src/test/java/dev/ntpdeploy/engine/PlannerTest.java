package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.facts.ConfigProbe;
import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.ProbeFacts;
import dev.ntpdeploy.facts.RemoteFile;
import dev.ntpdeploy.facts.ServiceManager;
import dev.ntpdeploy.facts.TimeDaemon;
import dev.ntpdeploy.facts.TimeDaemons;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.ops.SoleDaemon;
import dev.ntpdeploy.ops.PutFile;
import dev.ntpdeploy.ops.RestartService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {

    static final String CONF = "driftfile /var/lib/ntpsec/ntp.drift\nserver 10.0.0.1 iburst\n";
    static final String PATH = "/etc/ntpsec/ntp.conf";
    static final Map<Flavor, String> RENDERED = Map.of(Flavor.NTPSEC, CONF, Flavor.NTP, "classic\n");

    static ProbeFacts facts(RemoteFile conf, boolean running) {
        return new ProbeFacts(Optional.of("ntpd ntpsec-1.2.2"), false, running ? OptionalLong.of(4242) : OptionalLong.empty(),
                running ? "/usr/sbin/ntpd -l /var/log/ntpsec/ntpd.log" : "", ServiceManager.SERVICE, Set.of("ntpsec"),
                List.of("debian"), Map.of(conf.path(), conf));
    }

    static RemoteFile file(String content, String mode, String owner) {
        return new RemoteFile(PATH, true, mode, owner, "root", "sha", content.getBytes(StandardCharsets.UTF_8));
    }

    final Host h2 = TestHosts.host("lab-h2", Role.CLIENT, null);

    @Test
    void matchingFileAndRunningDaemonPlansNothing() {
        HostPlan p = Planner.plan(h2, facts(file(CONF, "644", "root"), true), RENDERED);
        assertFalse(p.changes());
        assertEquals("", p.diff());
        assertEquals(Flavor.NTPSEC, p.flavor());
    }

    @Test
    void changedContentUploadsThenRestarts() {
        HostPlan p = Planner.plan(h2, facts(file(CONF.replace("10.0.0.1", "10.0.0.7"), "644", "root"), true), RENDERED);
        assertEquals(2, p.steps().size());
        PutFile put = (PutFile) p.steps().get(0);
        assertEquals(List.of(PutFile.Change.of(PutFile.Reason.CONTENT)), put.changes());
        assertEquals(List.of("content differs"), put.reasons());
        RestartService rs = (RestartService) p.steps().get(1);
        assertEquals("ntpsec", rs.service());
        assertEquals(OptionalLong.of(4242), rs.oldPid());
        assertTrue(p.diff().contains("-server 10.0.0.7 iburst\n+server 10.0.0.1 iburst\n"), p.diff());
    }

    @Test
    void wrongModeOnlyFixesTheFileWithoutRestart() {
        HostPlan p = Planner.plan(h2, facts(file(CONF, "600", "root"), true), RENDERED);
        assertEquals(1, p.steps().size());
        assertEquals(List.of("mode 0600 -> 0644"), p.putFile().orElseThrow().reasons());
        assertTrue(p.restart().isEmpty());
        assertEquals("old mode 0600\nnew mode 0644\n", p.diff());
    }

    @Test
    void wrongOwnerIsFixedToo() {
        HostPlan p = Planner.plan(h2, facts(file(CONF, "644", "ntpsec"), true), RENDERED);
        assertEquals(List.of("owner ntpsec:root -> root:root"), p.putFile().orElseThrow().reasons());
    }

    @Test
    void stoppedDaemonIsStartedWithoutUpload() {
        HostPlan p = Planner.plan(h2, facts(file(CONF, "644", "root"), false), RENDERED);
        assertEquals(1, p.steps().size());
        RestartService rs = p.restart().orElseThrow();
        assertEquals(RestartService.Reason.NOT_RUNNING, rs.reason());
        assertEquals("ntpd not running", rs.why());
        assertEquals("started ntpsec", rs.describe());
    }

    @Test
    void missingFileIsUploadedWithDiffFromDevNull() {
        HostPlan p = Planner.plan(h2, facts(RemoteFile.absent(PATH), true), RENDERED);
        assertEquals(List.of("file missing"), p.putFile().orElseThrow().reasons());
        assertTrue(p.restart().isPresent());
        assertTrue(p.diff().startsWith("--- /dev/null\n"), p.diff());
    }

    @Test
    void declaredFlavorWinsOverDetectionAndPicksItsPathAndService() {
        Host classic = TestHosts.host("old", Role.CLIENT, Flavor.NTP);
        HostPlan p = Planner.plan(classic, facts(RemoteFile.absent(PATH), true), RENDERED);
        assertEquals(Flavor.NTP, p.flavor());
        assertEquals("/etc/ntp.conf", p.confPath());
        assertEquals("ntp", p.service());
        assertTrue(p.diff().contains("+classic"));
    }

    @Test
    void inventoryOverridesPathAndService() {
        Host h = TestHosts.host("x", Role.MASTER, null, Optional.of("/srv/ntp.conf"), Optional.of("timed"));
        HostPlan p = Planner.plan(h, facts(RemoteFile.absent(PATH), true), RENDERED);
        assertEquals("/srv/ntp.conf", p.confPath());
        assertEquals("timed", p.restart().orElseThrow().service());
    }

    /** ntp_flavor auto on a chrony-only host is planned exactly as the same host declared chrony (#15). */
    @Test
    void anAutoChronyOnlyHostIsPlannedAsChrony() {
        ProbeFacts chrony = new ProbeFacts(Optional.empty(), true, OptionalLong.empty(), "", ServiceManager.SYSTEMD,
                Set.of(), List.of("rhel"), Map.of());
        Map<Flavor, String> rendered = Map.of(Flavor.CHRONY, "server m iburst\n", Flavor.NTPSEC, CONF);
        HostPlan auto = Planner.plan(h2, chrony, rendered);
        HostPlan declared = Planner.plan(TestHosts.host("lab-h2", Role.CLIENT, Flavor.CHRONY), chrony, rendered);
        assertEquals(declared.problem(), auto.problem());
        assertEquals(declared.diff(), auto.diff());
        assertEquals(declared.steps().size(), auto.steps().size());
        assertFalse(auto.problem().orElse("").contains("no time daemon"), auto.problem().orElse(""));
    }

    static final String CHRONY_CONF = "driftfile /var/lib/chrony/chrony.drift\nserver 10.0.0.1 iburst\n";

    /** A Debian or Red Hat chrony host: chronyd (pid 777, up {@code chronydAge} s) and its file of that age. */
    static ProbeFacts chronyFacts(String path, String os, OptionalLong chronydPid, long fileAge, long chronydAge) {
        RemoteFile conf = new RemoteFile(path, true, "644", "root", "root", "0".repeat(64),
                CHRONY_CONF.getBytes(StandardCharsets.UTF_8));
        return new ProbeFacts(Optional.empty(), true, OptionalLong.empty(), "", ServiceManager.SYSTEMD,
                os.equals("debian") ? Set.of("chrony", "chronyd") : Set.of("chronyd"), List.of(os), Map.of(path, conf),
                OptionalLong.empty(), Map.of(path, fileAge), Map.of(), TimeDaemons.UNKNOWN, chronydPid,
                OptionalLong.of(chronydAge));
    }

    final Host chronyClient = TestHosts.host("c", Role.CLIENT, Flavor.CHRONY);

    @Test
    void aChronyHostWhoseFileMatchesAndWhoseChronydRunsIsLeftAlone() {
        // a chrony host has no ntpd: it is chronyd's pid and age that say whether a restart is due
        HostPlan p = Planner.plan(chronyClient, chronyFacts("/etc/chrony/chrony.conf", "debian", OptionalLong.of(777),
                900, 30), Map.of(Flavor.CHRONY, CHRONY_CONF));
        assertFalse(p.changes(), p.steps().toString());
    }

    @Test
    void aChronyHostsNewFileRestartsChronydAndTheCheckWaitsForChronyd() {
        HostPlan p = Planner.plan(chronyClient, chronyFacts("/etc/chrony/chrony.conf", "debian", OptionalLong.of(777),
                900, 30), Map.of(Flavor.CHRONY, CHRONY_CONF.replace("10.0.0.1", "10.0.0.9")));
        assertEquals("/etc/chrony/chrony.conf", p.confPath());
        RestartService rs = p.restart().orElseThrow();
        assertEquals("chrony", rs.service());
        assertEquals("chronyd", rs.program());
        assertEquals(OptionalLong.of(777), rs.oldPid());
    }

    @Test
    void aStoppedChronydIsStartedAndAStaleOneRestartedNamingChronyd() {
        RestartService started = Planner.plan(chronyClient, chronyFacts("/etc/chrony/chrony.conf", "debian",
                OptionalLong.empty(), 900, 30), Map.of(Flavor.CHRONY, CHRONY_CONF)).restart().orElseThrow();
        assertEquals("chronyd not running", started.why());
        RestartService stale = Planner.plan(chronyClient, chronyFacts("/etc/chrony/chrony.conf", "debian",
                OptionalLong.of(777), 30, 900), Map.of(Flavor.CHRONY, CHRONY_CONF)).restart().orElseThrow();
        assertEquals("config changed after chronyd started", stale.why());
    }

    @Test
    void aRedHatOrSuseChronyHostGetsEtcChronyConfAndTheChronydService() {
        for (String os : List.of("rhel", "suse")) {
            HostPlan p = Planner.plan(chronyClient, chronyFacts("/etc/chrony.conf", os, OptionalLong.of(777), 900, 30),
                    Map.of(Flavor.CHRONY, CHRONY_CONF));
            assertEquals("/etc/chrony.conf", p.confPath(), os);
            assertEquals("chronyd", p.service(), os);
            assertFalse(p.changes(), os + ": " + p.steps());
        }
    }

    static ProbeFacts aged(RemoteFile conf, long fileAge, long daemonAge) {
        ProbeFacts f = facts(conf, true);
        return new ProbeFacts(f.ntpdVersion(), f.chronyd(), f.ntpdPid(), f.ntpdArgs(), f.manager(), f.services(),
                f.osId(), f.files(), OptionalLong.of(daemonAge), Map.of(conf.path(), fileAge), Map.of());
    }

    @Test
    void aDaemonStartedBeforeItsFileChangedIsRestartedThoughTheFileMatches() {
        // an interrupted run installed the file and never restarted: the content is right, the daemon is not
        HostPlan p = Planner.plan(h2, aged(file(CONF, "644", "root"), 30, 900), RENDERED);
        assertTrue(p.putFile().isEmpty());
        RestartService rs = p.restart().orElseThrow();
        assertEquals(RestartService.Reason.STALE, rs.reason());
        assertEquals(OptionalLong.of(4242), rs.oldPid());
    }

    /** A dual host that runs chrony (enabled), switched to ntpsec by its declared ntp_flavor. */
    static ProbeFacts chronyRuns(RemoteFile conf) {
        ProbeFacts f = facts(conf, false);
        return new ProbeFacts(f.ntpdVersion(), true, f.ntpdPid(), f.ntpdArgs(), f.manager(), f.services(), f.osId(),
                f.files(), OptionalLong.empty(), Map.of(), Map.of(), new TimeDaemons(
                        Map.of(TimeDaemon.CHRONYD, List.of(702L, 703L)), Map.of("ntpsec", "disabled", "chrony", "enabled")));
    }

    @Test
    void aHostSwitchedToItsDeclaredFlavorStopsTheOtherDaemonLastAndSaysSoInTheDiff() {
        Host h = TestHosts.host("lab-h2", Role.CLIENT, Flavor.NTPSEC);
        HostPlan p = Planner.plan(h, chronyRuns(RemoteFile.absent(PATH)), RENDERED);
        assertEquals(3, p.steps().size());
        assertTrue(p.steps().get(0) instanceof PutFile);
        assertEquals(RestartService.Reason.CONFIG_CHANGED, ((RestartService) p.steps().get(1)).reason());
        SoleDaemon dc = (SoleDaemon) p.steps().get(2);
        assertEquals(p.soleDaemon().orElseThrow(), dc);
        assertTrue(p.diff().startsWith("--- /dev/null\n"), p.diff());
        assertTrue(p.diff().endsWith("\nenable ntpsec; stop and disable chrony (chronyd runs, enabled): once ntpsec runs"
                + " its config, then start ntpsec again to take UDP 123\n"), p.diff());
    }

    @Test
    void aHostWhoseOnlyChangeIsTheOtherDaemonPlansThatAlone() {
        // auto never switches the daemon family; timesyncd is stopped under auto too
        ProbeFacts f = facts(file(CONF, "644", "root"), true);
        ProbeFacts withTimesyncd = new ProbeFacts(f.ntpdVersion(), false, f.ntpdPid(), f.ntpdArgs(), f.manager(),
                f.services(), f.osId(), f.files(), OptionalLong.empty(), Map.of(), Map.of(), new TimeDaemons(
                        Map.of(TimeDaemon.NTPD, List.of(4242L), TimeDaemon.TIMESYNCD, List.of(300L)),
                        Map.of("ntpsec", "enabled", "systemd-timesyncd", "enabled")));
        HostPlan p = Planner.plan(h2, withTimesyncd, RENDERED);
        assertTrue(p.changes());
        assertEquals(List.of(p.soleDaemon().orElseThrow()), p.steps());
        assertEquals("stop and disable systemd-timesyncd (systemd-timesyn runs, enabled): once ntpsec runs its"
                + " config\n", p.diff());
    }

    @Test
    void realProbesOfTheLabsDualHostsPlanTheSwitchAndTheTimesyncdStop() throws Exception {
        ProbeFacts chronyHost = ConfigProbe.parse(probeCapture("lab-dual-chrony-running_apply-probe.txt"));
        HostPlan toNtpsec = Planner.plan(TestHosts.host("lab42-h3", Role.CLIENT, Flavor.NTPSEC), chronyHost, RENDERED);
        assertEquals(List.of(new SoleDaemon.Competitor(TimeDaemon.CHRONYD, "chrony", true, true)),
                toNtpsec.soleDaemon().orElseThrow().competitors());
        assertTrue(toNtpsec.soleDaemon().orElseThrow().restartAfter());
        // auto detects the chrony this host runs (its ntpd is installed, stopped), and never switches the family
        Host auto = TestHosts.host("lab42-h3", Role.CLIENT, null);
        assertEquals(Flavor.CHRONY, Daemon.resolve(auto.ntp(), Optional.of(chronyHost)).daemon().orElseThrow().flavor());
        assertEquals(List.of(), Planner.plan(auto, chronyHost, RENDERED).soleDaemon().map(SoleDaemon::competitors)
                .orElse(List.of()), "auto never switches the daemon family");
        HostPlan timesyncd = Planner.plan(TestHosts.host("lab42-h2", Role.CLIENT, null),
                ConfigProbe.parse(probeCapture("lab-dual-ntpsec-and-timesyncd-running_apply-probe.txt")), RENDERED);
        assertEquals(List.of(new SoleDaemon.Competitor(TimeDaemon.TIMESYNCD, "systemd-timesyncd", true, true)),
                timesyncd.soleDaemon().orElseThrow().competitors());
        assertFalse(timesyncd.soleDaemon().orElseThrow().restartAfter());
    }

    static String probeCapture(String name) throws java.io.IOException {
        try (java.io.InputStream in = PlannerTest.class.getResourceAsStream("/probe/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aDaemonStartedAfterItsFileChangedIsLeftAlone() {
        assertFalse(Planner.plan(h2, aged(file(CONF, "644", "root"), 900, 30), RENDERED).changes());
    }
}

package dev.ntpdeploy.lab;

import dev.ntpdeploy.facts.NtpProbe;

import dev.ntpdeploy.transport.ExecResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.ntpdeploy.lab.LabIT.CAP_SYS_TIME;
import static dev.ntpdeploy.lab.LabIT.hasCap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mixed lab ({@code lab/fleet up 5 --chrony 1,3 --dual 4 --timesyncd 5}) is what the chrony ITs rely on: each host
 * runs and shows exactly its own time daemons, chronyc answers as root, no daemon can touch the shared clock, and
 * the hosts are as isolated as the ntpsec ones.
 */
@ExtendWith(LabExtension.class)
@LabShape(hosts = 5, chrony = {1, 3}, dual = 4, timesyncd = 5)
class MixedLabIT {

    private static final Set<String> TIME_DAEMONS = Set.of("ntpd", "chronyd", "systemd-timesyn");

    @Test
    void theLabListsEachKindOfHost(Lab lab) {
        assertEquals(List.of(h(lab, 1), h(lab, 3)), lab.chronyHosts());
        assertEquals(List.of(h(lab, 4)), lab.dualHosts());
        assertEquals(List.of(h(lab, 5)), lab.timesyncdHosts());
        assertEquals(List.of(h(lab, 2), h(lab, 4)), lab.ntpsecHosts());
    }

    @Test
    void eachHostRunsExactlyItsOwnTimeDaemonsInItsNetworkNamespace(Lab lab) {
        Map<String, Set<String>> expected = Map.of(h(lab, 1), Set.of("chronyd"), h(lab, 2), Set.of("ntpd"),
                h(lab, 3), Set.of("chronyd"), h(lab, 4), Set.of("ntpd"), h(lab, 5), Set.of("systemd-timesyn"));
        for (String host : lab.hosts()) {
            assertEquals(expected.get(host), timeDaemons(lab, host), host);
        }
        // the pid files name the same processes
        assertEquals(lab.chronydPid(h(lab, 1)).orElseThrow(), pidOf(lab, h(lab, 1), "chronyd"));
        assertEquals(lab.ntpdPid(h(lab, 4)).orElseThrow(), pidOf(lab, h(lab, 4), "ntpd"));
        assertEquals(lab.timesyncdPid(h(lab, 5)).orElseThrow(), pidOf(lab, h(lab, 5), "systemd-timesyn"));
        assertTrue(lab.chronydPid(h(lab, 4)).isEmpty() && lab.ntpdPid(h(lab, 1)).isEmpty());
    }

    @Test
    void eachHostShowsOnlyTheProgramsUnitsAndConfigOfWhatItHasInstalled(Lab lab) {
        String probe = "for f in ntpd ntpq chronyd chronyc; do command -v $f >/dev/null && echo $f; done;"
                + " for f in /etc/ntpsec /etc/chrony/chrony.conf /lib/systemd/system/ntpsec.service"
                + " /lib/systemd/system/chrony.service /lib/systemd/system/systemd-timesyncd.service; do"
                + " [ -e $f ] && echo $f; done";
        List<String> ntpsec = List.of("ntpd", "ntpq", "/etc/ntpsec", "/lib/systemd/system/ntpsec.service");
        List<String> chrony = List.of("chronyd", "chronyc", "/etc/chrony/chrony.conf", "/lib/systemd/system/chrony.service");
        Map<String, Set<String>> expected = Map.of(h(lab, 1), set(chrony), h(lab, 2), set(ntpsec), h(lab, 3), set(chrony),
                h(lab, 4), set(ntpsec, chrony), h(lab, 5), Set.of("/lib/systemd/system/systemd-timesyncd.service"));
        for (String host : lab.hosts()) {
            ExecResult r = lab.ssh(host, probe);
            assertEquals(expected.get(host), new TreeSet<>(r.stdout().lines().toList()), host + ": " + r.stderr());
        }
    }

    @Test
    void chronycAnswersAsRootInsideAChronyHost(Lab lab) {
        String host = h(lab, 1);
        ExecResult direct = lab.exec(host, "chronyc", "-c", "tracking");
        assertEquals(0, direct.exitCode(), direct.stderr());
        assertEquals(14, direct.stdout().strip().split(",", -1).length, "chronyc -c tracking: 14 fields: " + direct.stdout());
        // over SSH, as root and through sudo; `clients` is a root-only request (the unix socket)
        ExecResult clients = lab.ssh(host, "chronyc -c sources >/dev/null && chronyc -c clients >/dev/null && echo ok");
        assertEquals("ok", clients.stdout().strip(), clients.stderr());
        ExecResult sudo = lab.ssh(Lab.SUDO_USER, host, "sudo -n chronyc -c tracking", lab.knownHosts());
        assertEquals(0, sudo.exitCode(), sudo.stderr());
        // seen from inside the host, its sockets are its own daemon's only: chronyd's command port, no other lab's ntpd
        ExecResult ss = lab.exec(host, "ss", "-Hulpn");
        assertFalse(ss.stdout().isBlank(), "ss -ulpn inside " + host + " sees nothing");
        assertTrue(ss.stdout().lines().allMatch(l -> l.contains("((\"chronyd\",pid=" + lab.chronydPid(host).orElseThrow())),
                ss.stdout());
        assertTrue(ss.stdout().contains("127.0.0.1:323"), ss.stdout());
    }

    @Test
    void noTimeDaemonHoldsTheClockCapabilityAndChronydNeverControlsTheClock(Lab lab) {
        // every process of them: chronyd runs with a helper process (its child, also _chrony)
        Set<String> checked = new TreeSet<>();
        for (String host : lab.hosts()) {
            for (Map.Entry<Long, String> p : lab.processes(host).entrySet()) {
                if (TIME_DAEMONS.contains(p.getValue())) {
                    String status = lab.fileContent(host, "/proc/" + p.getKey() + "/status");
                    assertFalse(hasCap(status, "CapEff", CAP_SYS_TIME), host + " " + p.getValue() + " CapEff:\n" + status);
                    assertFalse(hasCap(status, "CapBnd", CAP_SYS_TIME), host + " " + p.getValue() + " CapBnd:\n" + status);
                    checked.add(host);
                }
            }
        }
        assertEquals(new TreeSet<>(lab.hosts()), checked, "hosts whose time daemons were checked");
        for (String host : lab.chronyHosts()) {
            long pid = lab.chronydPid(host).orElseThrow();
            List<String> args = List.of(lab.fileContent(host, "/proc/" + pid + "/cmdline").split("\0"));
            assertTrue(args.contains("-x"), host + " chronyd " + args);
            assertTrue(lab.fileContent(host, "/var/log/chrony/chronyd.log").contains("Disabled control of system clock"),
                    host);
        }
    }

    @Test
    void labSafetyHoldsOnEveryKindOfHost(Lab lab) {
        for (String host : lab.hosts()) {
            LabIT.assertIsolated(lab, host);
        }
        ExecResult caps = lab.ssh(h(lab, 3), "grep CapBnd /proc/self/status");
        assertFalse(hasCap(caps.stdout(), "CapBnd", CAP_SYS_TIME), caps.stdout());
    }

    @Test
    void aDualHostSwitchesFromNtpsecToChronyAndBackThroughItsUnits(Lab lab) {
        String host = h(lab, 4);
        try {
            ExecResult toChrony = lab.ssh(host, "systemctl disable --now ntpsec && systemctl enable --now chrony");
            assertEquals(0, toChrony.exitCode(), toChrony.stderr());
            assertEquals(Set.of("chronyd"), timeDaemons(lab, host));
            assertEquals("disabled\nenabled\nalias", lab.ssh(host, "systemctl is-enabled ntpsec chrony chronyd").stdout().strip());
            assertEquals(0, lab.exec(host, "chronyc", "-c", "tracking").exitCode());
            // an alias exists only while its unit is enabled, and enable refuses alias names, as with systemd
            ExecResult ntp = lab.ssh(host, "systemctl status ntp");
            assertEquals(4, ntp.exitCode(), ntp.stdout());
            ExecResult byAlias = lab.ssh(host, "systemctl enable chronyd");
            assertEquals(1, byAlias.exitCode());
            assertTrue(byAlias.stderr().contains("Refusing to operate on alias name"), byAlias.stderr());
        } finally {
            ExecResult back = lab.ssh(host, "systemctl disable --now chrony && systemctl enable --now ntpsec");
            assertEquals(0, back.exitCode(), back.stderr());
        }
        assertEquals(Set.of("ntpd"), timeDaemons(lab, host));
        assertEquals("enabled\ndisabled", lab.ssh(host, "systemctl is-enabled ntpsec chrony").stdout().strip());
    }

    @Test
    void aChronyConfigTheDaemonRejectsFailsTheRestartWithItsOwnReason(Lab lab) {
        String host = h(lab, 3);
        String conf = lab.fileContent(host, "/etc/chrony/chrony.conf");
        try {
            ExecResult bad = lab.ssh(host, "echo 'no such directive' >> /etc/chrony/chrony.conf; systemctl restart chrony");
            assertNotEquals(0, bad.exitCode());
            assertTrue(bad.stderr().contains("Job for chrony.service failed"), bad.stderr());
            ExecResult status = lab.ssh(host, "systemctl status chronyd");
            assertEquals(3, status.exitCode());
            assertTrue(status.stdout().contains("Active: failed"), status.stdout());
            assertTrue(status.stdout().contains("Fatal error : Invalid directive at line"), status.stdout());
        } finally {
            ExecResult restore = lab.ssh(host, "cat > /etc/chrony/chrony.conf <<'EOF'\n" + conf + "EOF\nsystemctl start chrony");
            assertEquals(0, restore.exitCode(), restore.stderr());
        }
        assertEquals(Set.of("chronyd"), timeDaemons(lab, host));
    }

    @Test
    void aTimesyncdHostLooksLikeOne(Lab lab) {
        String host = h(lab, 5);
        ExecResult units = lab.ssh(host, "systemctl is-active systemd-timesyncd; systemctl is-enabled systemd-timesyncd;"
                + " systemctl is-active ntp chrony");
        assertEquals("active\nenabled\ninactive\ninactive", units.stdout().strip(), units.stderr());
        long pid = lab.timesyncdPid(host).orElseThrow();
        String status = lab.fileContent(host, "/proc/" + pid + "/status");
        assertTrue(status.startsWith("Name:\tsystemd-timesyn\n"), status);
        assertTrue(status.contains("\nUid:\t" + uid(lab, host, "systemd-timesync") + "\t"), status);
    }

    @Test
    void theVerifyProbeSeesTheTimesyncdOfItsOwnHostOnly(Lab lab) {
        // the real probe over SSH: ps must match the kernel's 15-character comm, and the stand-in's namespace
        NtpProbe probe = new NtpProbe("/etc/ntpsec/ntp.conf");
        ExecResult onTimesyncdHost = lab.ssh(h(lab, 5), probe.command());
        assertTrue(probe.process(onTimesyncdHost.stdout()).timesyncdRunning(), onTimesyncdHost.stdout());
        ExecResult onNtpsecHost = lab.ssh(h(lab, 2), probe.command());
        assertFalse(probe.process(onNtpsecHost.stdout()).timesyncdRunning(), onNtpsecHost.stdout());
    }

    private static String h(Lab lab, int i) {
        return lab.hosts().get(i - 1);
    }

    private static Set<String> timeDaemons(Lab lab, String host) {
        Set<String> found = new TreeSet<>(lab.processes(host).values());
        found.retainAll(TIME_DAEMONS);
        return found;
    }

    private static long pidOf(Lab lab, String host, String comm) {
        return lab.processes(host).entrySet().stream().filter(e -> e.getValue().equals(comm)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("no " + comm + " in " + host));
    }

    private static String uid(Lab lab, String host, String user) {
        return lab.fileContent(host, "/etc/passwd").lines().filter(l -> l.startsWith(user + ":"))
                .map(l -> l.split(":")[2]).findFirst().orElseThrow(() -> new AssertionError("no " + user + " on " + host));
    }

    @SafeVarargs
    private static Set<String> set(Collection<String>... parts) {
        Set<String> s = new TreeSet<>();
        for (Collection<String> p : parts) {
            s.addAll(p);
        }
        return s;
    }
}

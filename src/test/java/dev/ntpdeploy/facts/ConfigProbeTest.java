package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.NtpSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ConfigProbeTest {

    static String resource(String name) throws IOException {
        try (InputStream in = ConfigProbeTest.class.getResourceAsStream("/probe/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static final String PROBE = "@@ntpdeploy:probe@@\n";
    static final String END = "@@ntpdeploy:end@@\n";
    /** ntp_flavor auto, no path or service declared. */
    static final NtpSpec AUTO = new NtpSpec(List.of(), true, 10, OptionalInt.empty(), OptionalInt.empty(), List.of(),
            true, Optional.empty(), "", true, OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
            Optional.empty(), List.of(), 128, true);

    @Test
    void readsStoppedNtpsecHostWithoutSystemd() throws Exception {
        ProbeFacts f = ConfigProbe.parse(resource("debian12-ntpsec-stopped-no-systemd.txt"));
        assertEquals(Optional.of(Flavor.NTPSEC), f.detectFlavor().flavor());
        assertFalse(f.ntpdRunning());
        assertEquals(ServiceManager.SERVICE, f.manager());
        assertEquals("ntpsec", Flavor.NTPSEC.service(f.services(), f.osId()));
        RemoteFile conf = f.file("/etc/ntpsec/ntp.conf");
        assertTrue(conf.exists());
        assertEquals("0644", conf.octalMode().orElseThrow());
        assertEquals("root", conf.owner());
        // the bytes decoded from base64 are exactly the file the host hashed (sha256sum's, noted in the capture's
        // source line; the probe sends no hash, the controller hashes the decoded bytes)
        String source = resource("debian12-ntpsec-stopped-no-systemd.txt").lines().findFirst().orElseThrow();
        String hostSha = source.substring(source.indexOf("sha256sum of /etc/ntpsec/ntp.conf there: ") + 41).strip();
        assertEquals(hostSha, conf.sha256());
        assertTrue(conf.text().startsWith("# /etc/ntpsec/ntp.conf"));
        assertFalse(f.file("/etc/ntp.conf").exists());
        // no time daemon in this namespace (the machine's labs run theirs in their own), ntpsec's unit enabled
        assertEquals(java.util.Map.of(), f.daemons().running());
        assertEquals(java.util.Map.of("ntpsec", "enabled"), f.daemons().units());
    }

    @Test
    void readsRunningNtpdWithItsLogFileArgument() throws Exception {
        ProbeFacts f = ConfigProbe.parse(resource("lab-ntpsec-running.txt"));
        assertTrue(f.ntpdRunning());
        assertTrue(f.ntpdArgs().contains("-l /var/log/ntpsec/ntpd.log"), f.ntpdArgs());
        assertEquals(Optional.of(Flavor.NTPSEC), f.detectFlavor().flavor());
    }

    @Test
    void classicNtpdOnRedHatRestartsNtpd() {
        ProbeFacts f = ConfigProbe.parse("""
                @@ntpdeploy:probe@@
                @@ntpdeploy:ntpd_version@@
                ntpd 4.2.6p5
                @@ntpdeploy:ntpd_pid@@
                812
                @@ntpdeploy:svcmgr@@
                systemd
                @@ntpdeploy:service@@
                ntpd
                @@ntpdeploy:os@@
                centos rhel fedora
                @@ntpdeploy:file@@
                /etc/ntp.conf
                absent
                @@ntpdeploy:end@@
                """);
        assertEquals(Optional.of(Flavor.NTP), f.detectFlavor().flavor());
        assertEquals("ntpd", Flavor.NTP.service(f.services(), f.osId()));
        assertEquals(ServiceManager.SYSTEMD, f.manager());
    }

    @Test
    void classicNtpdOnDebianRestartsNtp() {
        ProbeFacts f = ConfigProbe.parse(PROBE + "@@ntpdeploy:ntpd_version@@\n"
                + "ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC 2020 (1)\n@@ntpdeploy:svcmgr@@\nsystemd\n"
                + "@@ntpdeploy:os@@\nubuntu debian\n" + END);
        assertEquals(Optional.of(Flavor.NTP), f.detectFlavor().flavor());
        assertEquals("ntp", Flavor.NTP.service(f.services(), f.osId()));
    }

    /** ntp_flavor auto on a chrony-only host (RHEL 8-10, Debian 13): chrony, its service named by the OS (#15). */
    @Test
    void aChronyOnlyHostIsDetectedAsChrony() {
        ProbeFacts rhel = ConfigProbe.parse(PROBE + "@@ntpdeploy:chronyd@@\n@@ntpdeploy:svcmgr@@\nsystemd\n"
                + "@@ntpdeploy:os@@\nrhel centos fedora\n" + END);
        assertEquals(Optional.of(Flavor.CHRONY), rhel.detectFlavor().flavor());
        assertEquals("chronyd", Daemon.resolve(AUTO, Optional.of(rhel)).daemon().orElseThrow().service());
        ProbeFacts debian = ConfigProbe.parse(PROBE + "@@ntpdeploy:chronyd@@\n@@ntpdeploy:svcmgr@@\nsystemd\n"
                + "@@ntpdeploy:os@@\ndebian\n" + END);
        Daemon d = Daemon.resolve(AUTO, Optional.of(debian)).daemon().orElseThrow();
        assertEquals(Flavor.CHRONY, d.flavor());
        assertEquals("chrony", d.service());
        assertEquals("/etc/chrony/chrony.conf", d.confPath());
    }

    /**
     * Both installed (the lab's --dual hosts, a host being switched): the running daemon decides. A running ntpd is
     * ntpd's; a stopped one next to chronyd is chrony (chronyd runs, or neither does: ntp_flavor then chooses).
     */
    @Test
    void withBothInstalledTheRunningDaemonDecides() {
        String both = PROBE + "@@ntpdeploy:ntpd_version@@\nntpd ntpsec-1.2.2 2023-05-16T07:28:03Z\n@@ntpdeploy:chronyd@@\n";
        ProbeFacts ntpdRuns = ConfigProbe.parse(both + "@@ntpdeploy:ntpd_pid@@\n4242\n@@ntpdeploy:svcmgr@@\nsystemd\n"
                + END);
        assertEquals(Optional.of(Flavor.NTPSEC), ntpdRuns.detectFlavor().flavor());
        ProbeFacts ntpdStopped = ConfigProbe.parse(both + "@@ntpdeploy:svcmgr@@\nsystemd\n" + END);
        assertEquals(Optional.of(Flavor.CHRONY), ntpdStopped.detectFlavor().flavor());
        ProbeFacts ntpdOnly = ConfigProbe.parse(PROBE + "@@ntpdeploy:ntpd_version@@\nntpd ntpsec-1.2.2\n"
                + "@@ntpdeploy:svcmgr@@\nsystemd\n" + END);
        assertEquals(Optional.of(Flavor.NTPSEC), ntpdOnly.detectFlavor().flavor(), "a stopped ntpd alone is ntpd's");
    }

    @Test
    void hostWithoutAnyTimeDaemonSaysWhatToInstall() {
        ProbeFacts.Detection d = ConfigProbe.parse(PROBE + "@@ntpdeploy:svcmgr@@\nservice\n" + END).detectFlavor();
        assertTrue(d.flavor().isEmpty());
        assertTrue(d.problem().startsWith("no time daemon installed (neither ntpd nor chronyd): install chrony"),
                d.problem());
    }

    @Test
    void truncatedOutputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigProbe.parse(PROBE + "@@ntpdeploy:ntpd_version@@\nntpd ntpsec-1.2.2\n"));
        assertTrue(e.getMessage().contains("incomplete"));
    }

    @Test
    void commandQuotesTheOverridePathAndProbesItFirst() {
        ConfigProbe probe = new ConfigProbe(Optional.of("/srv/it's/ntp.conf"), "/run/ntpdeploy");
        assertEquals(java.util.List.of("/run/ntpdeploy", "/srv/it's/ntp.conf", "/etc/ntp.conf", "/etc/ntpsec/ntp.conf",
                "/etc/chrony/chrony.conf", "/etc/chrony.conf"), probe.arguments());
        assertTrue(probe.command().startsWith(
                "set -- '/run/ntpdeploy' '/srv/it'\\''s/ntp.conf' '/etc/ntp.conf' '/etc/ntpsec/ntp.conf'"
                + " '/etc/chrony/chrony.conf' '/etc/chrony.conf'\n"),
                probe.command());
    }

    /**
     * Verify's identity probe reads no config file (two programs less per file present) and still gives what resolving
     * the daemon needs: run here, on this machine, beside apply's probe of a file that exists.
     */
    @Test
    void identityProbeReadsNoFileButDetectsAsApplysProbeDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path conf = dir.resolve("ntp.conf");
        java.nio.file.Files.writeString(conf, "server 10.0.0.1 iburst\n");
        ConfigProbe identity = ConfigProbe.identity(dir.toString());
        assertEquals(List.of(dir.toString()), identity.arguments());

        dev.ntpdeploy.transport.ExecResult id = dev.ntpdeploy.transport.LocalShell.run(identity.command());
        dev.ntpdeploy.transport.ExecResult full = dev.ntpdeploy.transport.LocalShell.run(
                new ConfigProbe(Optional.of(conf.toString()), dir.toString()).command());
        assertEquals(0, id.exitCode(), id.stderr());
        assertFalse(id.stdout().contains("@@ntpdeploy:file@@"), id.stdout());
        assertTrue(full.stdout().contains("@@ntpdeploy:file@@\n" + conf + "\n"), full.stdout());

        ProbeFacts a = identity.process(id.stdout());
        ProbeFacts b = ConfigProbe.parse(full.stdout());
        assertFalse(a.file(conf.toString()).exists());
        assertTrue(b.file(conf.toString()).exists());
        assertEquals(b.detectFlavor(), a.detectFlavor());
        assertEquals(b.services(), a.services());
        assertEquals(b.osId(), a.osId());
        assertEquals(b.manager(), a.manager());
    }

    @Test
    void keepsExactBytesIncludingMissingFinalNewline() {
        ProbeFacts f = ConfigProbe.parse(PROBE + "@@ntpdeploy:file@@\n/etc/ntp.conf\n600 root ntp 1796578119\nc2VydmVyIGE=\n" + END);
        RemoteFile r = f.file("/etc/ntp.conf");
        assertArrayEquals("server a".getBytes(StandardCharsets.UTF_8), r.content());
        assertEquals("0600", r.octalMode().orElseThrow());
        assertEquals("ntp", r.group());
    }

    @Test
    void readsTheFilesAndTheDaemonsAgesFromARealProbe() throws Exception {
        ProbeFacts f = ConfigProbe.parse(resource("lab-ntpsec-config-edited-after-start_apply-probe.txt"));
        assertEquals(java.util.OptionalLong.of(19), f.ntpdAgeSeconds());
        assertEquals(java.util.Map.of("/etc/ntpsec/ntp.conf", 5L), f.fileAges());
        assertTrue(f.configChangedAfterStart("/etc/ntpsec/ntp.conf"), "edited 5 s ago, ntpd started 19 s ago");
        assertFalse(f.configChangedAfterStart("/etc/ntp.conf"), "an absent file has no age");
        assertEquals(java.util.Map.of(), f.leftovers());
    }

    @Test
    void readsThisHostsTimeDaemonsAndTheirUnitsOnADualHost() throws Exception {
        // lab42-h2: ntpd and the timesyncd stand-in run here; every other lab's ntpd runs in another namespace
        TimeDaemons d = ConfigProbe.parse(resource("lab-dual-ntpsec-and-timesyncd-running_apply-probe.txt")).daemons();
        assertEquals(java.util.Map.of(TimeDaemon.NTPD, java.util.List.of(31653L),
                TimeDaemon.TIMESYNCD, java.util.List.of(31670L)), d.running());
        assertEquals(java.util.Map.of("ntpsec", "enabled", "chrony", "disabled", "systemd-timesyncd", "enabled"),
                d.units());
        // lab42-h3: chronyd's two processes (the daemon and its helper), ntpsec installed and disabled
        ProbeFacts h3 = ConfigProbe.parse(resource("lab-dual-chrony-running_apply-probe.txt"));
        assertEquals(java.util.Map.of(TimeDaemon.CHRONYD, java.util.List.of(20261L, 20268L)), h3.daemons().running());
        assertEquals(java.util.Map.of("ntpsec", "disabled", "chrony", "enabled"), h3.daemons().units());
        assertFalse(h3.ntpdRunning());
    }

    @Test
    void readsThisHostsChronydFromARealProbeOfAChronyHost() throws Exception {
        // lab41-h3: ntpsec installed and disabled, chrony running
        ProbeFacts f = ConfigProbe.parse(resource("lab-dual-chrony-running_apply-probe.txt"));
        // the main chronyd (20261), not the process it forked (20268), nor the other lab hosts' chronyd processes
        assertEquals(java.util.OptionalLong.of(20261), f.daemonPid(Flavor.CHRONY));
        assertEquals(java.util.OptionalLong.of(11), f.chronydAgeSeconds());
        assertFalse(f.ntpdRunning());
        assertEquals(12L, f.fileAges().get("/etc/chrony/chrony.conf"));
        assertFalse(f.configChangedAfterStart(Flavor.CHRONY, "/etc/chrony/chrony.conf"),
                "chronyd started 11 s ago, after its file changed 12 s ago");
        dev.ntpdeploy.inventory.NtpSpec chrony = new dev.ntpdeploy.inventory.NtpSpec(java.util.List.of(), false, 10,
                java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), java.util.List.of(), true,
                Optional.of(Flavor.CHRONY), "c", true, java.util.OptionalInt.empty(), java.util.OptionalInt.empty(),
                Optional.empty(), Optional.empty(), java.util.List.of(), 128, true);
        Daemon d = Daemon.resolve(chrony, Optional.of(f)).daemon().orElseThrow();
        assertEquals("/etc/chrony/chrony.conf", d.confPath());
        assertEquals("chrony", d.service());
        assertEquals("chronyd", d.binary());
    }

    @Test
    void readsLeftoverReportsOfEarlierRunsAndIgnoresNamesThatAreNotOurs() {
        String report = "@@ntpdeploy:unit@@\nrun 0123456789ab of ntpdeploy on c1 (pid 7), started 2026-12-06T10:00:00Z\n"
                + "@@ntpdeploy:installed@@\n@@ntpdeploy:unit_end@@\n";
        String b64 = java.util.Base64.getEncoder().encodeToString(report.getBytes(StandardCharsets.UTF_8));
        ProbeFacts f = ConfigProbe.parse(PROBE + "@@ntpdeploy:leftover@@\n0123456789ab.done\n" + b64
                + "\n@@ntpdeploy:leftover@@\n../../etc/passwd\neA==\n" + END);
        assertEquals(java.util.Map.of("0123456789ab.done", report), f.leftovers());
    }
}

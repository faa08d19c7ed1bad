package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Flavor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
        // the bytes decoded from base64 are exactly the file the host hashed (that capture's probe still sent
        // sha256sum's output; the probe now hashes the decoded bytes itself)
        String hostSha = resource("debian12-ntpsec-stopped-no-systemd.txt").lines()
                .filter(l -> l.startsWith("SHA256=")).findFirst().orElseThrow().substring("SHA256=".length());
        assertEquals(hostSha, conf.sha256());
        assertTrue(conf.text().startsWith("# /etc/ntpsec/ntp.conf"));
        assertFalse(f.file("/etc/ntp.conf").exists());
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
                PROBE=1
                NTPD_VERSION=ntpd 4.2.6p5
                NTPD_PID=812
                SVCMGR=systemd
                SERVICE=ntpd
                OS=centos rhel fedora
                FILE=/etc/ntp.conf
                ABSENT=1
                END=1
                """);
        assertEquals(Optional.of(Flavor.NTP), f.detectFlavor().flavor());
        assertEquals("ntpd", Flavor.NTP.service(f.services(), f.osId()));
        assertEquals(ServiceManager.SYSTEMD, f.manager());
    }

    @Test
    void classicNtpdOnDebianRestartsNtp() {
        ProbeFacts f = ConfigProbe.parse("PROBE=1\nNTPD_VERSION=ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC 2020 (1)\n"
                + "SVCMGR=systemd\nOS=ubuntu debian\nEND=1\n");
        assertEquals(Optional.of(Flavor.NTP), f.detectFlavor().flavor());
        assertEquals("ntp", Flavor.NTP.service(f.services(), f.osId()));
    }

    @Test
    void chronyOnlyHostIsUnsupportedWithAClearMessage() {
        ProbeFacts f = ConfigProbe.parse("PROBE=1\nCHRONYD=1\nSVCMGR=systemd\nEND=1\n");
        ProbeFacts.Detection d = f.detectFlavor();
        assertTrue(d.flavor().isEmpty());
        assertTrue(d.problem().contains("chrony only"), d.problem());
    }

    @Test
    void hostWithoutAnyNtpdSaysWhatToInstall() {
        ProbeFacts.Detection d = ConfigProbe.parse("PROBE=1\nSVCMGR=service\nEND=1\n").detectFlavor();
        assertTrue(d.problem().contains("no ntpd installed"), d.problem());
    }

    @Test
    void truncatedOutputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigProbe.parse("PROBE=1\nNTPD_VERSION=ntpd ntpsec-1.2.2\n"));
        assertTrue(e.getMessage().contains("incomplete"));
    }

    @Test
    void commandQuotesTheOverridePathAndProbesItFirst() {
        String cmd = ConfigProbe.command(Optional.of("/srv/it's/ntp.conf"), "/run/ntpdeploy");
        assertTrue(cmd.contains("for f in '/srv/it'\\''s/ntp.conf' '/etc/ntp.conf' '/etc/ntpsec/ntp.conf' '/etc/chrony/chrony.conf'; do"), cmd);
    }

    @Test
    void keepsExactBytesIncludingMissingFinalNewline() {
        ProbeFacts f = ConfigProbe.parse("PROBE=1\nFILE=/etc/ntp.conf\nSTAT=600 root ntp\nSHA256=x\nB64=c2VydmVyIGE=\nEND=1\n");
        RemoteFile r = f.file("/etc/ntp.conf");
        assertArrayEquals("server a".getBytes(StandardCharsets.UTF_8), r.content());
        assertEquals("0600", r.octalMode().orElseThrow());
        assertEquals("ntp", r.group());
    }

    @Test
    void readsTheFilesAndTheDaemonsAgesFromARealProbe() throws Exception {
        ProbeFacts f = ConfigProbe.parse(resource("lab-ntpsec-config-edited-after-start_apply-probe.txt"));
        assertEquals(java.util.OptionalLong.of(101), f.ntpdAgeSeconds());
        assertEquals(java.util.Map.of("/etc/ntpsec/ntp.conf", 2L), f.fileAges());
        assertTrue(f.configChangedAfterStart("/etc/ntpsec/ntp.conf"), "edited 2 s ago, ntpd started 101 s ago");
        assertFalse(f.configChangedAfterStart("/etc/ntp.conf"), "an absent file has no age");
        assertEquals(java.util.Map.of(), f.leftovers());
    }

    @Test
    void readsLeftoverReportsOfEarlierRunsAndIgnoresNamesThatAreNotOurs() {
        String report = "UNIT=run 0123456789ab of ntpdeploy on c1 (pid 7), started 2026-12-06T10:00:00Z\nINSTALLED=1\nUNIT_END=1\n";
        String b64 = java.util.Base64.getEncoder().encodeToString(report.getBytes(StandardCharsets.UTF_8));
        ProbeFacts f = ConfigProbe.parse("PROBE=1\nLEFTOVER=0123456789ab.done " + b64 + "\nLEFTOVER=../../etc/passwd eA==\nEND=1\n");
        assertEquals(java.util.Map.of("0123456789ab.done", report), f.leftovers());
    }
}

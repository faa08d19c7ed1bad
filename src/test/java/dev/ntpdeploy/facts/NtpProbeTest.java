package dev.ntpdeploy.facts;

import static dev.ntpdeploy.facts.Samples.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NtpProbeTest {

    static final String SHA = "12bb45a53a5ab361742126dacaaae79cf4242cfcb39f6c449eb9949306abb62a";

    /** A probe output as the command prints it, with the ntpq parts taken from captured samples. */
    static String probeOutput(String peers, String rv, String ps, String ss, String conf, String log) {
        StringBuilder b = new StringBuilder();
        b.append("@@ntpdeploy:ntpq@@\nprimary timeout 1000 ms\n").append(peers).append('\n');
        if (!rv.isEmpty()) {
            b.append(rv).append('\n');
        }
        b.append("\n@@ntpdeploy:ntpq.rc@@\n0\n");
        b.append("@@ntpdeploy:procs@@\n").append(ps.isEmpty() ? "" : ps.replaceAll("(?m)$", " ntpd")).append('\n');
        b.append("@@ntpdeploy:udp123@@\ntool=").append(ss.startsWith("udp") ? "netstat" : "ss").append('\n').append(ss)
                .append('\n');
        b.append("@@ntpdeploy:conf@@\n").append(conf).append('\n');
        b.append("@@ntpdeploy:log@@\n").append(log).append('\n');
        b.append("@@ntpdeploy:end@@\n");
        return b.toString();
    }

    @Test
    void readsEverySectionOfALocalClockMaster() {
        String f = "L07-ntpsec-1.2.2_localclock-master_LOCAL0_startup-and-synced.txt";
        String out = probeOutput(block(f, "$ ntpq -pn 127.0.0.1", 0), block(f, "$ ntpq -c rv", 1),
                "  16844     350",
                "UNCONN 0 0 127.0.0.1:123 0.0.0.0:* users:((\"ntpd\",pid=16844,fd=16))",
                SHA + "  /etc/ntpsec/ntp.conf",
                block("L16-ntpsec-1.2.2_ntpd-log_config-syntax-error_classic-discard-line.txt", "# Note", 0));
        HostObservation o = NtpProbe.parse(out);
        assertTrue(assertInstanceOf(NtpqPeers.Table.class, o.peers()).systemPeer().isPresent());
        assertEquals(11, assertInstanceOf(SystemVars.class, o.systemVars()).stratum().getAsInt());
        assertEquals(List.of(350L), o.ntpdUptimes());
        assertEquals(350L, o.ntpdUptimeSeconds().getAsLong());
        assertEquals(List.of("ntpd"), o.udp123Owners());
        assertEquals(Optional.of(SHA), o.configSha256());
        assertTrue(o.configPresent());
        assertFalse(o.chronydRunning());
        assertEquals(5, o.logLines().size());
        assertTrue(o.complete());
    }

    @Test
    void daemonDownSkipsRvAndSeesMissingConfig() {
        String out = probeOutput(block("L14-ntpsec-1.2.2_ntpq-error-messages.txt", "--- stderr:", 0),
                "", "", "", "missing", "");
        HostObservation o = NtpProbe.parse(out);
        assertEquals(NtpqError.NOT_LISTENING, assertInstanceOf(NtpqFailed.class, o.peers()).error());
        assertEquals(NtpqError.NOT_LISTENING, assertInstanceOf(NtpqFailed.class, o.systemVars()).error());
        assertFalse(o.ntpdRunning());
        assertFalse(o.configPresent());
        assertTrue(o.configSha256().isEmpty());
    }

    @Test
    void chronydOwningThePortIsSeenThroughNetstat() {
        String out = probeOutput("***Request timed out", "", "", 
                "udp        0      0 0.0.0.0:123             0.0.0.0:*                           812/chronyd", SHA + "  x", "")
                .replace("@@ntpdeploy:procs@@\n", "@@ntpdeploy:procs@@\n  812   4000 chronyd\n");
        HostObservation o = NtpProbe.parse(out);
        assertTrue(o.chronydRunning());
        assertEquals(List.of("chronyd"), o.udp123Owners());
        assertEquals(NtpqError.NO_REPLY, assertInstanceOf(NtpqFailed.class, o.peers()).error());
    }

    @Test
    void truncatedOutputIsIncompleteAndNotGuessed() {
        HostObservation o = NtpProbe.parse("@@ntpdeploy:ntpq@@\n");
        assertFalse(o.complete());
        assertInstanceOf(Unparseable.class, o.peers());
        assertInstanceOf(Unparseable.class, o.systemVars());
    }

    @Test
    void commandQuotesTheConfigPath() {
        String cmd = new NtpProbe("/etc/ntp's dir/ntp.conf").command();
        assertTrue(cmd.startsWith("set -- '/etc/ntp'\\''s dir/ntp.conf' 'ntpq' 'client'\n"), "arguments, quoted: " + cmd);
        assertFalse(cmd.substring(cmd.indexOf('\n')).contains("ntp's"), "never in the script's text");
        // one ntpq start for billboard and rv, full rv: a variable list fails the whole request on UNKNOWNVAR (the
        // MRU list's own call asks rv 0 mru_enabled, alone in its call)
        assertTrue(cmd.contains("ntpq -n -c 'timeout 1000' -c peers -c rv 2>&1)"), cmd);
    }

    @Test
    void realProbeOnAnOrphanMasterPicksTheNtpdOwningPort123() throws Exception {
        String out;
        try (var in = NtpProbeTest.class.getResourceAsStream("/probe/ntpsec-1.2.2_orphan-master_probe.txt")) {
            out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        HostObservation o = NtpProbe.parse(out);
        assertInstanceOf(NtpqPeers.NoAssociations.class, o.peers());
        SystemVars rv = assertInstanceOf(SystemVars.class, o.systemVars());
        assertTrue(rv.isOrphanParent());
        assertEquals(10, rv.stratum().getAsInt());
        assertEquals(List.of(10L), o.ntpdUptimes(), "only the ntpd that owns UDP 123 in this namespace");
        assertEquals(List.of("ntpd"), o.udp123Owners());
        assertTrue(o.complete());
    }

    private static String resource(String name) throws Exception {
        try (var in = NtpProbeTest.class.getResourceAsStream("/probe/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void daemonsInOtherNetworkNamespacesAreNotThisHosts() throws Exception {
        // ps sees every process of the kernel: other hosts' ntpd and chronyd on a machine that runs several
        HostObservation o = NtpProbe.parse(resource("lab-ntpsec-client_chronyd-in-other-namespaces_probe.txt"));
        assertFalse(o.chronydRunning(), "chronyd runs only in other hosts' namespaces");
        assertEquals(List.of(338L), o.ntpdUptimes());
        assertEquals(List.of("ntpd"), o.udp123Owners());
        assertTrue(o.complete());
    }

    @Test
    void aChronydInThisHostsNetworkNamespaceIsSeen() throws Exception {
        HostObservation o = NtpProbe.parse(resource("lab-ntpsec-client_chronyd-in-own-namespace_probe.txt"));
        assertTrue(o.chronydRunning());
        assertEquals(List.of("ntpd"), o.udp123Owners());
    }

    @Test
    void aNamespaceThatPsCouldNotReadCountsOnlyForAProbeThatReadsNoOtherNamespace() throws Exception {
        String capture = resource("lab-ntpsec-client_chronyd-in-other-namespaces_probe.txt");
        // a probe that reads other hosts' namespaces is privileged: its "-" is a chronyd that ended while ps read it
        String ended = capture.replace("14437       2 4026532449 chronyd", "14437       2          - chronyd");
        assertFalse(NtpProbe.parse(ended).chronydRunning());
        // an unprivileged probe reads only its own namespace (4026532583, its shell's): every other shows "-", and
        // a chronyd there cannot be told from this host's, so it counts
        String unprivileged = capture.replaceAll("(?m)^( *\\d+ +\\d+) +(?!4026532583 )\\d+ ", "$1          - ");
        assertTrue(unprivileged.contains("9202     167          - chronyd"), unprivileged);
        assertTrue(NtpProbe.parse(unprivileged).chronydRunning());
        String out = ended;
        // a ps without the column: the plain list, every daemon counts (as before the column existed)
        String plain = out.replace("self 14493\n", "").replaceAll("(?m)^( *\\d+ +\\d+) +(\\d+|-) ", "$1 ");
        assertTrue(NtpProbe.parse(plain).chronydRunning());
    }

    @Test
    void systemdTimesyncdInThisHostsNamespaceIsSeenAndAnotherNamespacesIsNot() throws Exception {
        // the capture's procs section with a systemd-timesyncd line added, as ps prints it (comm cut to 15 characters)
        String capture = resource("lab-ntpsec-client_chronyd-in-other-namespaces_probe.txt");
        assertFalse(NtpProbe.parse(capture).timesyncdRunning());
        String here = capture.replace("14493       0 4026532583 sh\n",
                "14493       0 4026532583 sh\n  411    5120 4026532583 systemd-timesyn\n");
        assertTrue(NtpProbe.parse(here).timesyncdRunning());
        String elsewhere = capture.replace("14493       0 4026532583 sh\n",
                "14493       0 4026532583 sh\n  411    5120 4026532174 systemd-timesyn\n");
        assertFalse(NtpProbe.parse(elsewhere).timesyncdRunning());
    }

    @Test
    void theProbeAsksForNamespacesAndFallsBackToThePlainList() {
        String cmd = new NtpProbe("/etc/ntpsec/ntp.conf").command();
        assertTrue(cmd.contains("echo \"self $$\"; ps -o pid=,etimes=,netns=,comm= -p $$ -C ntpd,chronyd,systemd-timesyn"
                + " 2>/dev/null \\\n  || ps -o pid=,etimes=,comm= -C ntpd,chronyd,systemd-timesyn 2>/dev/null"), cmd);
    }

    @Test
    void nothingOnPort123MeansNoNtpdHereWhateverPsSees() {
        HostObservation o = NtpProbe.parse(probeOutput("***Socket error; probably ntpd is not running",
                "", "  4242    77", "", "missing", ""));
        assertFalse(o.ntpdRunning());
    }

    @Test
    void rvThatFailsAfterAnAnsweredBillboardIsRvsFailureOnly() {
        String f = "L07-ntpsec-1.2.2_localclock-master_LOCAL0_startup-and-synced.txt";
        HostObservation o = NtpProbe.parse(probeOutput(block(f, "$ ntpq -pn 127.0.0.1", 0), "***Request timed out",
                "  16844     350", "", "missing", ""));
        assertTrue(assertInstanceOf(NtpqPeers.Table.class, o.peers()).systemPeer().isPresent());
        assertEquals(NtpqError.NO_REPLY, assertInstanceOf(NtpqFailed.class, o.systemVars()).error());
    }

    @Test
    void rvStartsAtItsAssocidLineEvenAfterAFailedBillboard() {
        List<String> lines = List.of("primary timeout 1000 ms", "***Request timed out",
                "associd=0 status=0618 leap_none, sync_ntp, 1 event, no_sys_peer,", "stratum=3,");
        assertEquals(2, NtpProbe.rvStart(lines));
        assertEquals(2, NtpProbe.rvStart(List.of("primary timeout 1000 ms", "***Request timed out")),
                "no rv part: rv shares the billboard's failure");
    }

    @Test
    void realProbeReadsTheConfigsAgeBesideNtpdsAge() throws Exception {
        String out;
        try (var in = NtpProbeTest.class.getResourceAsStream("/probe/lab-ntpsec-config-edited-after-start_probe.txt")) {
            out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        HostObservation o = NtpProbe.parse(out);
        assertEquals(java.util.OptionalLong.of(6), o.configAgeSeconds());
        assertTrue(o.ntpdUptimeSeconds().getAsLong() > 1, o.ntpdUptimes().toString());
        assertTrue(o.configChangedAfterStart());
        assertTrue(new NtpProbe("/etc/ntpsec/ntp.conf").command().contains("sec confage"));
    }

    @Test
    void aChronyHostsProbeRunsNoNtpqAndAnNtpdClientsNoMruList() throws Exception {
        // the real probe on a host with ntpsec installed too: ntpq there only costs ~4.6 s of timeouts (measured in
        // the lab against chronyd), so the script runs the managed daemon's tool alone
        String out;
        try (var in = NtpProbeTest.class.getResourceAsStream("/probe/lab-dual-chronyd-stopped-ntpd-running_chrony-probe.txt")) {
            out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertFalse(ScriptOutput.parse(out).has("ntpq"));
        assertTrue(NtpProbe.started(out), "chronyc's sections are the probe's start on a chrony host");
        HostObservation o = NtpProbe.parse(out);
        assertTrue(assertInstanceOf(Unparseable.class, o.peers()).reason().contains("ntpq not run"));
        assertTrue(o.complete());
        String cmd = new NtpProbe("/etc/chrony/chrony.conf", "chronyc", true).command();
        assertTrue(cmd.startsWith("set -- '/etc/chrony/chrony.conf' 'chronyc' 'master'\n"), cmd);
    }
}

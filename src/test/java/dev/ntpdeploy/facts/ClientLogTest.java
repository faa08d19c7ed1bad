package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A master's record of the hosts it served, read from real captures: chrony 4.3's {@code clients}
 * (src/test/resources/chronyc-samples) and the probe of lab masters (src/test/resources/probe: NTPsec 1.2.2's MRU
 * list, with and without {@code disable monitor}; chrony's list inside the probe). Provenance in each file's header.
 */
class ClientLogTest {

    static final String C01 = "C01-chrony-4.3_master-local-stratum-10_tracking_sources_clients_serverstats.txt";
    static final String C06 = "C06-chrony-4.3_client-outside-master-allow_reach0.txt";

    static Chronyc.Output clients(String file) {
        String m = "$ " + ClientLog.CHRONYC + "    #";
        return new Chronyc.Output(Samples.block(file, m, 0), Samples.exitStatus(file, m, 0));
    }

    static HostObservation probe(String name) throws IOException {
        try (InputStream in = ClientLogTest.class.getResourceAsStream("/probe/" + name)) {
            return NtpProbe.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void chronydListsTheClientsWhoseRequestsItReceived() {
        ClientLog.Kept k = assertInstanceOf(ClientLog.Kept.class, ClientLog.fromChronyc(clients(C01)));
        assertEquals(List.of(new ClientLog.Heard("10.144.0.2", 6, 6)), k.hosts());
    }

    @Test
    void chronydThatRefusedEveryClientListsNoneAndThatIsAList() {
        // the master's allow did not cover the client: chronyd counts none of its packets
        ClientLog.Kept k = assertInstanceOf(ClientLog.Kept.class, ClientLog.fromChronyc(clients(C06)));
        assertTrue(k.hosts().isEmpty());
        assertEquals(Optional.empty(), k.of("10.144.0.2"));
    }

    @Test
    void chronydWithoutClientLoggingOrARefusedQueryGivesNoListAndSaysWhy() {
        // chrony 4.3 client.c prints these for STT_INACTIVE (noclientlog) and over UDP (not root)
        ClientLog.Unavailable off = assertInstanceOf(ClientLog.Unavailable.class, ClientLog.fromChronyc(
                new Chronyc.Output("519 Client logging is not active in the daemon", 1)));
        assertTrue(off.reason().contains("519 Client logging is not active"), off.reason());
        ClientLog.Unavailable notRoot = assertInstanceOf(ClientLog.Unavailable.class, ClientLog.fromChronyc(
                new Chronyc.Output("501 Not authorised", 1)));
        assertTrue(notRoot.reason().contains("501"), notRoot.reason());
    }

    @Test
    void oneLineThatDoesNotReadMakesTheWholeListUnavailableNeverAShorterList() {
        String text = Samples.block(C01, "$ " + ClientLog.CHRONYC + "    #", 0) + "\n10.144.0.3,x,0,3,127,6,0,0,127,-";
        assertInstanceOf(ClientLog.Unavailable.class, ClientLog.fromChronyc(new Chronyc.Output(text, 0)));
    }

    @Test
    void agedListsMoveEveryLastRequestOn() {
        ClientLog k = ClientLog.fromChronyc(clients(C01)).aged(30);
        assertEquals(36, ((ClientLog.Kept) k).of("10.144.0.2").orElseThrow().lastSeconds());
    }

    @Test
    void ntpsecsMruListGivesItsClientModeRowsAgedToTheProbesEnd() throws IOException {
        // rows: ::1 (mode 6, the probe's own ntpq) 0 s; 10.166.0.3 (chronyd) 3 requests 7 s; 10.166.0.2 (ntpd,
        // port 123) 3 requests 16 s; read 7 s before the probe's end
        ClientLog log = probe("lab-ntpsec-master-mrulist_probe.txt").clientLog().orElseThrow();
        ClientLog.Kept k = assertInstanceOf(ClientLog.Kept.class, log);
        assertEquals(List.of(new ClientLog.Heard("10.166.0.3", 3, 14), new ClientLog.Heard("10.166.0.2", 3, 23)),
                k.hosts());
    }

    @Test
    void chronysListInsideTheProbeIsAgedToTheProbesEndToo() throws IOException {
        ClientLog.Kept k = assertInstanceOf(ClientLog.Kept.class,
                probe("lab-chrony-master-local-stratum_probe.txt").clientLog().orElseThrow());
        assertEquals(List.of(new ClientLog.Heard("10.166.0.3", 10, 17), new ClientLog.Heard("10.166.0.2", 14, 19)),
                k.hosts());
    }

    @Test
    void aMasterWithoutClientLoggingOrWithoutItsDaemonHasNoList() throws IOException {
        ClientLog.Unavailable off = assertInstanceOf(ClientLog.Unavailable.class,
                probe("lab-chrony-master-noclientlog_probe.txt").clientLog().orElseThrow());
        assertEquals("chronyc -n -c clients: 519 Client logging is not active in the daemon", off.reason());
        ClientLog.Unavailable down = assertInstanceOf(ClientLog.Unavailable.class,
                probe("lab-dual-chronyd-stopped-ntpd-running_chrony-probe.txt").clientLog().orElseThrow());
        assertTrue(down.reason().contains("506 Cannot talk to daemon"), down.reason());
    }

    @Test
    void aClientsProbeAsksForNoList() throws IOException {
        assertEquals(Optional.empty(), probe("lab-chrony-client-synced_probe.txt").clientLog());
        assertEquals(Optional.empty(), probe("lab-ntpsec-client-synced_probe.txt").clientLog());
    }

    /** The MRU section of the NTPsec master's capture, with mru_enabled and its table rows as given. */
    static String mrulist(String enabled, boolean rows) throws IOException {
        String text;
        try (InputStream in = ClientLogTest.class.getResourceAsStream("/probe/lab-ntpsec-master-mrulist_probe.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String section = ScriptOutput.parse(text).lines("ntpq.mrulist").stream()
                .filter(l -> rows || !l.matches("\\s+\\d+.*")).map(l -> l.replace("mru_enabled=3", enabled))
                .collect(java.util.stream.Collectors.joining("\n"));
        return section;
    }

    @Test
    void aDaemonThatKeepsNoMruListIsNeverAskedToProveItsClients() throws IOException {
        // derived from the NTPsec capture (NTPsec 1.2.2 refuses `disable monitor`: "CONFIG: 'monitor' cannot be
        // disabled while 'limited' is enabled", seen in the lab): classic ntpd with the seed's `disable monitor`
        // reports mru_enabled=0x0 (ntp_control.c prints it in hex) and keeps an empty list
        ClientLog.Unavailable u = assertInstanceOf(ClientLog.Unavailable.class,
                ClientLog.fromMrulist(mrulist("mru_enabled=0x0", false), 0));
        assertTrue(u.reason().contains("mru_enabled=0"), u.reason());
        // without the variable an empty list cannot tell "no client" from "no list": not a list
        assertInstanceOf(ClientLog.Unavailable.class, ClientLog.fromMrulist(mrulist("", false), 0));
        // a list with rows is a list, the variable or not
        assertInstanceOf(ClientLog.Kept.class, ClientLog.fromMrulist(mrulist("", true), 0));
        assertInstanceOf(ClientLog.Kept.class, ClientLog.fromMrulist(mrulist("mru_enabled=0x3", false), 0));
    }

    @Test
    void anMruQueryThatFailedOrWasCutShortIsNoList() throws IOException {
        assertTrue(assertInstanceOf(ClientLog.Unavailable.class, ClientLog.fromMrulist(mrulist("mru_enabled=3", true),
                124)).reason().contains("did not finish in time"));
        // an ntpq that printed an error instead of the table (classic ntpd before 4.2.7 has no mrulist)
        assertInstanceOf(ClientLog.Unavailable.class, ClientLog.fromMrulist("primary timeout 1000 ms\n***Request timed out", 1));
    }
}

package dev.ntpdeploy.watch;

import dev.ntpdeploy.TestInventories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.engine.VerifyRequest;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch rounds over in-memory hosts answering with probe outputs captured on the lab. */
class VerifyRoundTest {

    @TempDir
    Path dir;

    /** Answers verify's probe (and apply's identity probe) with captured outputs, and records what it was asked. */
    private static final class FakeHost implements Connection {
        final String name;
        volatile String output;
        final AtomicInteger identityProbes = new AtomicInteger();
        final AtomicInteger probes = new AtomicInteger();
        volatile boolean closed;
        volatile boolean usable = true;
        volatile boolean linkFails;

        FakeHost(String name, String output) {
            this.name = name;
            this.output = output;
        }

        @Override
        public String host() {
            return name;
        }

        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) {
            throw new AssertionError("verification runs its probe privileged");
        }

        @Override
        public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) throws IOException {
            assertFalse(closed, name + ": a closed connection was used");
            if (linkFails) {
                throw new IOException(name + ": connection reset");
            }
            if (command.contains("sec probe")) { // config-probe.sh, apply's identity probe for ntp_flavor: auto
                identityProbes.incrementAndGet();
                return new ExecResult(0, probe("lab-ntpsec-running.txt"), "");
            }
            assertTrue(command.contains("@@ntpdeploy:"), "only verify's probe runs: " + command);
            probes.incrementAndGet();
            return new ExecResult(0, output, "");
        }

        @Override
        public boolean isUsable() {
            return usable && !closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** In-memory hosts: each open makes a new connection to the host's current state, or fails with its reason. */
    private static final class Fleet {
        final Map<String, String> outputs;
        final Map<String, String> down = new ConcurrentHashMap<>();
        final Map<String, List<FakeHost>> opened = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> dials = new ConcurrentHashMap<>();

        Fleet(Map<String, String> outputs) {
            this.outputs = outputs;
        }

        Connector connector() {
            return () -> h -> {
                dials.computeIfAbsent(h.name(), k -> new AtomicInteger()).incrementAndGet();
                String reason = down.get(h.name());
                if (reason != null) {
                    throw new TransportException(reason);
                }
                FakeHost c = new FakeHost(h.name(), outputs.get(h.name()));
                opened.computeIfAbsent(h.name(), k -> new CopyOnWriteArrayList<>()).add(c);
                return c;
            };
        }

        /** The connection last opened to the host. */
        FakeHost last(String host) {
            List<FakeHost> all = opened.get(host);
            return all.get(all.size() - 1);
        }

        int dials(String host) {
            return dials.getOrDefault(host, new AtomicInteger()).get();
        }

        int allDials() {
            return dials.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        /** Identity probes run on the host, over all its connections. */
        int identityProbes(String host) {
            return opened.get(host).stream().mapToInt(c -> c.identityProbes.get()).sum();
        }

        List<FakeHost> all() {
            return opened.values().stream().flatMap(List::stream).toList();
        }
    }

    private static String probe(String name) {
        try (InputStream in = VerifyRoundTest.class.getResourceAsStream("/probe/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** m1 serving, c1 and c2 synced to it, as captured on the lab. */
    private static Fleet syncedFleet() {
        String synced = probe("lab-ntpsec-client-synced_probe.txt");
        return new Fleet(Map.of("m1", probe("ntpsec-1.2.2_orphan-master_probe.txt"),
                "c1", synced, "c2", synced));
    }

    private VerifyRound round(Fleet fleet, String flavor) throws Exception {
        Inventory inv = TestInventories.isolated(dir, flavor, 2);
        return new VerifyRound(new VerifyRequest(inv, new ConfigRenderer(Path.of("templates")), "all",
                VerifyRequest.Settings.once(Duration.ofSeconds(30), 10), fleet.connector()), s -> { });
    }

    private static HostVerdict of(VerifyResult r, String host) {
        return r.hosts().stream().filter(h -> h.host().equals(host)).findFirst().orElseThrow(() -> new AssertionError(r));
    }

    @Test
    void oneHostsUnreadableOutputIsThatHostsUnknownResultInTheRoundNotAFailedRound() throws Exception {
        String synced = probe("lab-ntpsec-client-synced_probe.txt");
        // the billboard header shape the fuzzer found (NtpqOutputFuzzTestInputs): the parser threw on it
        Fleet fleet = new Fleet(Map.of("m1", probe("ntpsec-1.2.2_orphan-master_probe.txt"),
                "c1", synced.replace(" st t when ", " st  t when "), "c2", synced));
        VerifyRound round = round(fleet, "ntpsec");

        List<RoundResult> rounds = new CopyOnWriteArrayList<>();
        List<String> log = new ArrayList<>();
        AtomicReference<WatchLoop> loop = new AtomicReference<>();
        loop.set(new WatchLoop(round, Duration.ofMinutes(1), List.of(rounds::add, r -> loop.get().stop()), log::add,
                Clock.systemUTC()));
        assertEquals(1, loop.get().run());

        RoundResult r = rounds.get(0);
        assertFalse(r.failed(), "one host's output must not fail the round: " + r.error() + " " + log);
        HostVerdict c1Result = r.hosts().stream().filter(h -> h.host().equals("c1")).findFirst().orElseThrow();
        assertTrue(c1Result.unknown(), c1Result.toString());
        assertTrue(c1Result.findings().stream().anyMatch(f -> f.code().equals("UNPARSEABLE_OUTPUT")),
                c1Result.toString());
        assertEquals(Verdict.SERVING, r.hosts().get(0).verdict(), r.hosts().toString());
        assertEquals(Verdict.SYNCED, r.hosts().get(2).verdict(), r.hosts().toString());
    }

    @Test
    void aSecondRoundOpensNothingWhenTheFirstRoundsConnectionsAreAlive() throws Exception {
        Fleet fleet = syncedFleet();
        try (VerifyRound round = round(fleet, "ntpsec")) {
            VerifyResult first = round.run();
            assertEquals(3, fleet.allDials(), "round 1 connects every host once");
            assertEquals(Verdict.SYNCED, of(first, "c1").verdict(), first.toString());
            VerifyResult second = round.run();
            VerifyResult third = round.run();
            assertEquals(3, fleet.allDials(), "rounds 2 and 3 reuse round 1's connections");
            assertEquals(Verdict.SYNCED, of(third, "c2").verdict(), third.toString());
            assertEquals(Verdict.SERVING, of(second, "m1").verdict(), second.toString());
            for (FakeHost c : fleet.all()) {
                assertFalse(c.closed, c.name + "'s kept connection was closed between rounds");
                assertEquals(3, c.probes.get(), c.name + " probed once per round over its one connection");
            }
        }
    }

    @Test
    void aConnectionThatDiedIsReopenedAndOnlyThatOne() throws Exception {
        Fleet fleet = syncedFleet();
        try (VerifyRound round = round(fleet, "ntpsec")) {
            round.run();
            FakeHost dead = fleet.last("c1");
            FakeHost m1 = fleet.last("m1");
            dead.usable = false; // sshd went away: sshj no longer connected
            VerifyResult r = round.run();
            assertTrue(dead.closed, "the dead connection is closed, not leaked");
            assertEquals(2, fleet.dials("c1"), "c1 is connected again");
            assertEquals(1, fleet.dials("m1"), "m1's live connection is kept");
            assertEquals(1, fleet.dials("c2"), "c2's live connection is kept");
            assertSame(m1, fleet.last("m1"));
            assertNotSame(dead, fleet.last("c1"));
            assertEquals(1, dead.probes.get(), "round 2 probed c1 over its new connection, not the dead one");
            assertEquals(Verdict.SYNCED, of(r, "c1").verdict(), r.toString());
        }
    }

    @Test
    void aConnectionLostDuringAProbeIsThatRoundsUnreachableAndReopenedTheNextRound() throws Exception {
        Fleet fleet = syncedFleet();
        try (VerifyRound round = round(fleet, "ntpsec")) {
            round.run();
            FakeHost lost = fleet.last("c2");
            lost.linkFails = true; // still "connected" as far as the client knows, but the probe fails on the link
            VerifyResult during = round.run();
            assertEquals(Verdict.UNREACHABLE, of(during, "c2").verdict(), during.toString());
            VerifyResult after = round.run();
            assertTrue(lost.closed, "the connection whose probe failed is dropped");
            assertEquals(2, fleet.dials("c2"), "c2 is connected again after the round that could not probe it");
            assertEquals(2, fleet.allDials() - fleet.dials("c2"), "the others are not");
            assertEquals(Verdict.SYNCED, of(after, "c2").verdict(), after.toString());
        }
    }

    @Test
    void anUnreachableHostIsTriedAgainEveryRoundAndKeptOnceConnected() throws Exception {
        Fleet fleet = syncedFleet();
        fleet.down.put("c1", "c1: connect to 10.123.0.2:22 failed: Connection refused (is sshd running?)");
        try (VerifyRound round = round(fleet, "ntpsec")) {
            VerifyResult r1 = round.run();
            VerifyResult r2 = round.run();
            assertEquals(2, fleet.dials("c1"), "tried in each round");
            assertEquals(Verdict.UNREACHABLE, of(r2, "c1").verdict(), r2.toString());
            assertTrue(of(r1, "c1").findings().get(0).message().contains("Connection refused"), r1.toString());
            fleet.down.remove("c1");
            VerifyResult r3 = round.run();
            assertEquals(Verdict.SYNCED, of(r3, "c1").verdict(), r3.toString());
            round.run();
            assertEquals(3, fleet.dials("c1"), "kept once connected");
            assertEquals(1, fleet.dials("m1"));
        }
    }

    /** The dialer (strict host keys in SshDialer) decides about a host connected again, exactly as in a cold verify. */
    @Test
    void aHostReconnectedWithAnotherHostKeyIsUnreachableWithTheDialersMessage() throws Exception {
        Fleet fleet = syncedFleet();
        try (VerifyRound round = round(fleet, "ntpsec")) {
            round.run();
            fleet.last("c1").usable = false; // it rebooted...
            String rekeyed = "c1: host key mismatch for 10.123.0.2:22 (ssh-ed25519 SHA256:x): the host was re-keyed"
                    + " or this is not c1; if re-keyed, fix known_hosts";
            fleet.down.put("c1", rekeyed); // ... with a new key
            VerifyResult r = round.run();
            HostVerdict c1 = of(r, "c1");
            assertEquals(Verdict.UNREACHABLE, c1.verdict(), r.toString());
            assertTrue(c1.findings().get(0).message().contains(rekeyed), c1.toString());
        }
    }

    @Test
    void theIdentityProbeIsNotRunAgainOnAKeptConnectionButAgainOnANewOne() throws Exception {
        Fleet fleet = syncedFleet();
        try (VerifyRound round = round(fleet, "auto")) {
            round.run();
            for (String h : List.of("m1", "c1", "c2")) {
                assertEquals(1, fleet.last(h).identityProbes.get(), h + ": auto flavor detected in round 1");
            }
            VerifyResult r2 = round.run();
            round.run();
            for (String h : List.of("m1", "c1", "c2")) {
                assertEquals(1, fleet.identityProbes(h), h + ": detected once, whatever the rounds");
                assertEquals(3, fleet.last(h).probes.get(), h);
            }
            assertEquals(Verdict.SYNCED, of(r2, "c1").verdict(), r2.toString());
            fleet.last("c2").usable = false; // reconnected: it may have been reinstalled
            round.run();
            assertEquals(2, fleet.opened.get("c2").size());
            assertEquals(1, fleet.last("c2").identityProbes.get(), "the new connection detects c2's daemon again");
            assertEquals(1, fleet.identityProbes("c1"), "c1's kept connection does not");
        }
    }

    /** A host switched to another daemon over the same sshd (apply does that) is first seen DAEMON_DOWN. */
    @Test
    void aHostFoundDaemonDownHasItsDaemonDetectedAgainOnItsKeptConnection() throws Exception {
        Fleet fleet = syncedFleet();
        try (VerifyRound round = round(fleet, "auto")) {
            round.run();
            FakeHost c1 = fleet.last("c1");
            // ntpq refused, no ntpd process: the probe of the daemon detected in round 1 finds it down
            c1.output = c1.output.replaceAll("(?s)@@ntpdeploy:ntpq@@.*?@@ntpdeploy:procs@@\n.*?@@ntpdeploy:udp123@@",
                    "@@ntpdeploy:ntpq@@\nntpq: read: Connection refused\n@@ntpdeploy:ntpq.rc@@\n1\n"
                            + "@@ntpdeploy:procs@@\n@@ntpdeploy:udp123@@");
            VerifyResult down = round.run();
            assertEquals(Verdict.DAEMON_DOWN, of(down, "c1").verdict(), down.toString());
            assertEquals(1, c1.identityProbes.get(), "the kept daemon was probed");
            round.run();
            assertEquals(2, c1.identityProbes.get(), "detected again the round after DAEMON_DOWN");
            assertEquals(1, fleet.dials("c1"), "over the same connection: the host answered");
            assertEquals(1, fleet.identityProbes("c2"), "the others keep theirs");
        }
    }

    @Test
    void closeClosesTheKeptConnectionsAndNoRoundRunsAfter() throws Exception {
        Fleet fleet = syncedFleet();
        VerifyRound round = round(fleet, "ntpsec");
        round.run();
        round.run();
        assertTrue(fleet.all().stream().noneMatch(c -> c.closed), "kept while watching");
        round.close();
        assertEquals(3, fleet.all().size());
        assertTrue(fleet.all().stream().allMatch(c -> c.closed), "close() closes every kept connection");
        assertThrows(InterruptedException.class, round::run);
        assertEquals(3, fleet.allDials(), "nothing is opened after close()");
    }

    /** close() from another thread while a round is opening hosts: what it opened is closed too. */
    @Test
    void connectionsOpenedWhileClosingAreClosed() throws Exception {
        Fleet fleet = syncedFleet();
        AtomicReference<VerifyRound> self = new AtomicReference<>();
        Set<String> dialed = ConcurrentHashMap.newKeySet();
        Connector closingMidway = () -> h -> {
            Connection c = fleet.connector().prepare().open(h);
            if (dialed.add(h.name()) && dialed.size() == 2) {
                self.get().close();
            }
            return c;
        };
        VerifyRound round = new VerifyRound(new VerifyRequest(TestInventories.isolated(dir, "ntpsec", 2),
                new ConfigRenderer(Path.of("templates")), "all", VerifyRequest.Settings.once(Duration.ofSeconds(30), 10),
                closingMidway), s -> { });
        self.set(round);
        assertThrows(Exception.class, round::run, "a round that began opening as watch stopped does not run");
        assertFalse(fleet.all().isEmpty());
        assertTrue(fleet.all().stream().allMatch(c -> c.closed), "nothing opened is left open");
    }
}

package dev.ntpdeploy.watch;

import dev.ntpdeploy.TestInventories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.engine.VerifyRequest;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watch round over in-memory hosts answering with probe outputs captured on the lab. */
class VerifyRoundTest {

    @TempDir
    Path dir;

    /** Answers verify's probe with one fixed output, and records that it was closed. */
    private static final class FakeHost implements Connection {
        final String name;
        final String output;
        volatile boolean closed;

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
        public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) {
            assertTrue(command.contains("@@ntpdeploy:"), "only verify's probe runs: " + command);
            return new ExecResult(0, output, "");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static String probe(String name) throws IOException {
        try (InputStream in = VerifyRoundTest.class.getResourceAsStream("/probe/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }


    @Test
    void oneHostsUnreadableOutputIsThatHostsUnknownResultInTheRoundNotAFailedRound() throws Exception {
        String synced = probe("lab-ntpsec-client-synced_probe.txt");
        // the billboard header shape the fuzzer found (NtpqOutputFuzzTestInputs): the parser threw on it
        FakeHost m1 = new FakeHost("m1", probe("ntpsec-1.2.2_orphan-master_probe.txt"));
        FakeHost c1 = new FakeHost("c1", synced.replace(" st t when ", " st  t when "));
        FakeHost c2 = new FakeHost("c2", synced);
        Map<String, Connection> hosts = Map.of("m1", m1, "c1", c1, "c2", c2);
        Connector inMemory = () -> h -> hosts.get(h.name());
        VerifyRound round = new VerifyRound(new VerifyRequest(TestInventories.isolated(dir, "ntpsec", 2), new ConfigRenderer(Path.of("templates")),
                "all", VerifyRequest.Settings.once(Duration.ofSeconds(30), 10), inMemory), s -> { });

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
        assertTrue(m1.closed && c1.closed && c2.closed, "the round closes its connections");
    }
}

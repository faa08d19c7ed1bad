package dev.ntpdeploy.engine;

import dev.ntpdeploy.TestInventories;

import dev.ntpdeploy.Sha256;
import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.facts.ServiceManager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verification loop on in-memory hosts answering with probe outputs captured on the lab; a fake clock. */
class VerifyJobTest {

    @TempDir
    Path dir;

    Inventory inventory;
    ConfigRenderer renderer = new ConfigRenderer(Path.of("templates"));
    final AtomicLong now = new AtomicLong();
    static final Daemon NTPSEC = new Daemon(Flavor.NTPSEC, "/etc/ntpsec/ntp.conf", "ntpsec", ServiceManager.SYSTEMD,
            "ntpd");
    final List<Duration> sleeps = new ArrayList<>();
    final List<String> progress = new ArrayList<>();

    /** A host that answers each probe with the next queued output (the last one repeats). */
    static final class FakeHost implements Connection {
        final String name;
        final Deque<String> outputs = new ConcurrentLinkedDeque<>();
        final AtomicInteger probes = new AtomicInteger();
        final AtomicInteger flavorProbes = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        final List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** sudo refuses this host's probes (logged in, not allowed to become root). */
        volatile boolean sudoRefuses;

        FakeHost(String name, String... outputs) {
            this.name = name;
            this.outputs.addAll(List.of(outputs));
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
            if (sudoRefuses) {
                throw new dev.ntpdeploy.transport.BecomeException(name + ": sudo (ops -> root) rejected the become"
                        + " password (NTPDEPLOY_BECOME_PASSWORD / --ask-become-pass)");
            }
            if (command.contains("sec probe")) {
                flavorProbes.incrementAndGet();
                try {
                    return new ExecResult(0, resource("lab-ntpsec-running.txt"), "");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            assertTrue(command.contains("sec ntpq"), "only the probe runs: " + command);
            commands.add(command);
            probes.incrementAndGet();
            return new ExecResult(0, outputs.size() > 1 ? outputs.poll() : outputs.peek(), "");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @BeforeEach
    void lab() throws Exception {
        inventory = TestInventories.isolated(dir, "ntpsec", 1);
    }


    private static String resource(String name) throws IOException {
        try (InputStream in = VerifyJobTest.class.getResourceAsStream("/probe/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A probe output with the config hash the inventory renders for the host (no drift). */
    private String probe(String resource, String host) throws Exception {
        return probe(resource, host, Flavor.NTPSEC);
    }

    /** A probe output with the config hash of the host's rendering for {@code flavor}. */
    private String probe(String resource, String host, Flavor flavor) throws Exception {
        String sha = Sha256.hex(renderer.render(inventory.host(host).orElseThrow(), inventory, flavor));
        return resource(resource).replaceAll("(?m)^[0-9a-f]{64}  \\S+$", sha + "  /etc/ntpsec/ntp.conf");
    }

    private String serving() throws Exception {
        return probe("ntpsec-1.2.2_orphan-master_probe.txt", "m1");
    }

    private String synced() throws Exception {
        return probe("lab-ntpsec-client-synced_probe.txt", "c1");
    }

    /** The synced capture adapted to the same client 10 s after its restart: master row .INIT., reach 0, no rv sync. */
    private String justRestarted() throws Exception {
        return synced().replace("*10.123.0.1      127.127.1.0     11 u    1   16  377   0.0794   0.0207   0.0200",
                        " 10.123.0.1      .INIT.          16 u    -   16    0   0.0000   0.0000   0.0001")
                .replace("leap=00, stratum=12", "leap=11, stratum=16")
                .replace("12619     789 ntpd", "12619      10 ntpd");
    }

    /** Fails the test if the job opens a host: these tests lend it every connection. */
    static final Connector NO_DIALING = () -> h -> {
        throw new AssertionError("opened " + h.name());
    };

    private static VerifyRequest.Settings settings(boolean wait, Duration timeout) {
        return new VerifyRequest.Settings(Duration.ofSeconds(30), 10, wait, timeout, Duration.ofSeconds(3));
    }

    /** A verification of every host of the inventory over the lent connections, on the fake clock. */
    private VerifyJob job(VerifyRequest.Settings settings, Map<String, ? extends Connection> lent,
                          Map<String, String> unreachable, Map<String, Daemon> daemons, VerifyJob.Sleeper sleeper,
                          java.util.function.BooleanSupplier cancelled) {
        return new VerifyJob(new VerifyRequest(inventory, renderer, "all", settings, NO_DIALING, Map.copyOf(lent),
                unreachable, daemons), progress::add, now::get, sleeper, cancelled);
    }

    private VerifyResult run(boolean wait, Duration timeout, FakeHost... hosts) throws Exception {
        Map<String, Connection> open = new java.util.LinkedHashMap<>();
        for (FakeHost h : hosts) {
            open.put(h.name, h);
        }
        return job(settings(wait, timeout), open, Map.of(), Map.of(), d -> {
            sleeps.add(d);
            now.addAndGet(d.toNanos());
        }, () -> false).run();
    }

    private static HostVerdict of(VerifyResult r, String host) {
        return r.hosts().stream().filter(h -> h.host().equals(host)).findFirst().orElseThrow();
    }

    @Test
    void waitsForThePendingClientOnlyAndStopsWhenItIsSynced() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", justRestarted(), justRestarted(), synced());
        VerifyResult r = run(true, Duration.ofMinutes(5), m, c);
        assertEquals(Verdict.SERVING, of(r, "m1").verdict(), r.toString());
        assertEquals(Verdict.SYNCED, of(r, "c1").verdict(), r.toString());
        // (the two captures come from different masters: stratum 11 vs the orphan master's 10 is a warning)
        assertTrue(r.inSync(), r.toString());
        assertEquals(1, m.probes.get(), "a host judged final is not probed again");
        assertEquals(3, c.probes.get());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(3)), sleeps, "rounds every poll interval");
        assertTrue(progress.contains("[   0s] c1: SYNCING stratum 16 reach 0 (SYNCING)"), progress.toString());
        assertTrue(progress.contains("[   6s] c1: SYNCED peer 10.123.0.1 stratum 12 reach 377 (STRATUM_UNEXPECTED)"), progress.toString());
        assertEquals("no host pending after 6 s: in sync", progress.get(progress.size() - 1));
    }

    @Test
    void atTheTimeoutStillPendingHostsAreNotInSyncAndSayHowLongWeWaited() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", justRestarted());
        VerifyResult r = run(true, Duration.ofSeconds(10), m, c);
        HostVerdict cv = of(r, "c1");
        assertEquals(Verdict.UNSYNCED, cv.verdict(), r.toString());
        assertTrue(cv.findings().stream().anyMatch(f -> f.code().equals("SYNC_TIMEOUT")
                && f.message().contains("after waiting 10 s")), cv.findings().toString());
        assertEquals(Status.CRITICAL, r.status());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(1)),
                sleeps, "never past the deadline");
        assertEquals(5, c.probes.get());
        assertEquals(1, m.probes.get());
        assertTrue(progress.get(progress.size() - 1).startsWith("gave up waiting after 10 s: c1"), progress.toString());
    }

    @Test
    void withoutWaitOneRoundAndAPendingHostIsAWarning() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", justRestarted(), synced());
        VerifyResult r = run(false, Duration.ofMinutes(5), m, c);
        assertEquals(Verdict.SYNCING, of(r, "c1").verdict());
        assertEquals(Status.WARNING, r.status());
        assertEquals(1, c.probes.get());
        assertTrue(sleeps.isEmpty() && progress.isEmpty(), progress.toString());
    }

    @Test
    void aHostWithoutConnectionIsUnreachableWithItsReason() throws Exception {
        VerifyResult r = job(settings(true, Duration.ofMinutes(1)), Map.of("m1", new FakeHost("m1", serving())),
                Map.of("c1", "c1: connection refused (10.123.0.2:22)"), Map.of(), d -> now.addAndGet(d.toNanos()),
                () -> false).run();
        HostVerdict cv = of(r, "c1");
        assertEquals(Verdict.UNREACHABLE, cv.verdict());
        assertTrue(cv.findings().get(0).message().contains("connection refused"), cv.findings().toString());
        assertEquals(Status.UNKNOWN, r.status());
    }

    @Test
    void ctrlCDuringTheWaitStopsProbingAndReportsTheLatestState() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", justRestarted(), synced());
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        VerifyResult r = job(settings(true, Duration.ofMinutes(5)), Map.of("m1", m, "c1", c), Map.of(), Map.of(), d -> {
            now.addAndGet(d.toNanos());
            cancelled.set(true); // Ctrl-C while waiting for the next round
        }, cancelled::get).run();
        assertEquals(1, c.probes.get(), "no new round after Ctrl-C");
        assertEquals(Verdict.SYNCING, of(r, "c1").verdict(), "the latest state, still pending");
        assertEquals(Status.WARNING, r.status());
        assertTrue(progress.get(progress.size() - 1).startsWith("stopped waiting after 3 s"), progress.toString());
    }

    @Test
    void sleepUnlessCancelledWakesEarly() throws Exception {
        long t0 = System.nanoTime();
        VerifyJob.sleepUnlessCancelled(Duration.ofMinutes(10), () -> System.nanoTime() - t0 > 50_000_000L);
        assertTrue(System.nanoTime() - t0 < Duration.ofMinutes(1).toNanos());
    }

    @Test
    void autoFlavorIsDetectedOnceThenProbedAtTheDetectedPath() throws Exception {
        inventory = TestInventories.isolated(dir, "auto", 1);
        FakeHost m = new FakeHost("m1", serving());
        // c1's file holds the classic rendering: drift, since the host was detected as NTPsec
        FakeHost c = new FakeHost("c1", probe("lab-ntpsec-client-synced_probe.txt", "c1", Flavor.NTP));
        VerifyResult r = run(false, Duration.ofMinutes(5), m, c);
        assertEquals(1, m.flavorProbes.get());
        assertEquals(1, c.flavorProbes.get());
        assertTrue(c.commands.get(0).contains("'/etc/ntpsec/ntp.conf'"), c.commands.get(0));
        assertTrue(of(r, "m1").findings().stream().noneMatch(f -> f.code().equals("CONFIG_DRIFT")), r.toString());
        assertTrue(of(r, "c1").findings().stream().anyMatch(f -> f.code().equals("CONFIG_DRIFT")), r.toString());
    }

    /**
     * ntp_flavor: auto (the default) on an NTPsec host: the fix texts name the service and file resolved on the host,
     * not classic ntp's {@code ntp} or a bare ntp.conf (the judge used to read the undeclared flavor's defaults).
     */
    @Test
    void autoFlavorFixTextsNameTheResolvedServiceAndPath() throws Exception {
        inventory = TestInventories.isolated(dir, "auto", 1);
        FakeHost m = new FakeHost("m1", serving());
        // c1's ntpd is stopped (ntpq refused, no process); its file is the classic rendering: drift
        String down = probe("lab-ntpsec-client-synced_probe.txt", "c1", Flavor.NTP)
                .replaceAll("(?s)@@ntpdeploy:ntpq@@.*?@@ntpdeploy:procs@@\n.*?@@ntpdeploy:udp123@@",
                        "@@ntpdeploy:ntpq@@\nntpq: read: Connection refused\n@@ntpdeploy:ntpq.rc@@\n1\n"
                                + "@@ntpdeploy:procs@@\n@@ntpdeploy:udp123@@");
        FakeHost c = new FakeHost("c1", down);
        VerifyResult r = run(false, Duration.ofMinutes(5), m, c);
        HostVerdict cv = of(r, "c1");
        assertEquals(Verdict.DAEMON_DOWN, cv.verdict(), r.toString());
        String fixes = cv.findings().stream().map(f -> f.message() + " / " + f.fix()).toList().toString();
        assertTrue(fixes.contains("`systemctl enable --now ntpsec`"), fixes);
        assertTrue(fixes.contains("`journalctl -u ntpsec`"), fixes);
        assertTrue(fixes.contains("/etc/ntpsec/ntp.conf on c1 differs"), fixes);
        assertFalse(fixes.contains(" ntp`"), fixes);
    }

    /** sudo's refusal is told as sudo's, with its fix, not as an SSH failure ("check the host is up..."). */
    @Test
    void aSudoRefusalIsReportedWithTheSudoFix() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", synced());
        c.sudoRefuses = true;
        VerifyResult r = run(false, Duration.ofMinutes(5), m, c);
        HostVerdict cv = of(r, "c1");
        assertEquals(List.of("BECOME_REFUSED"), cv.findings().stream().map(f -> f.code()).toList(), r.toString());
        assertTrue(cv.findings().get(0).message().contains("rejected the become password"), r.toString());
        assertTrue(cv.findings().get(0).fix().contains("fix sudo for ansible_user"), r.toString());
        assertEquals(Verdict.SERVING, of(r, "m1").verdict(), r.toString());
    }

    @Test
    void flavorsApplyResolvedAreNotDetectedAgain() throws Exception {
        inventory = TestInventories.isolated(dir, "auto", 1);
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", synced());
        VerifyResult r = job(settings(false, Duration.ofMinutes(5)), Map.of("m1", m, "c1", c), Map.of(),
                Map.of("m1", NTPSEC, "c1", NTPSEC), d -> now.addAndGet(d.toNanos()), () -> false).run();
        assertEquals(0, m.flavorProbes.get() + c.flavorProbes.get(), "apply's flavors are used as they are");
        assertEquals(Verdict.SYNCED, of(r, "c1").verdict(), r.toString());
    }

    @Test
    void applyLimitedToAClientConnectsItsMasterToJudgeItAndReportsTheClientOnly() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", synced());
        List<List<String>> asked = new ArrayList<>();
        ApplyOutcome applied = new ApplyOutcome(
                List.of(new HostResult("c1", dev.ntpdeploy.inventory.Role.CLIENT, HostStatus.OK, "", null)),
                false, false);
        VerifyResult r = VerifyJob.afterApply(renderer, "c1", settings(false, Duration.ofMinutes(5)), progress::add,
                        () -> false, opening(asked, m))
                .run(applied, inventory, Map.of("c1", c), Map.of()).orElseThrow();
        assertEquals(List.of(List.of("m1")), asked, "only the missing master is connected");
        assertEquals(1, m.probes.get(), "the master's state is probed");
        assertEquals(List.of("c1"), r.hosts().stream().map(HostVerdict::host).toList(), "only the applied host is reported");
        assertEquals(Verdict.SYNCED, of(r, "c1").verdict(), r.toString());
        assertTrue(m.closed.get(), "the extra connection is closed");
        assertTrue(!c.closed.get(), "apply's own connection is left to apply");
    }

    /** A connector over fake hosts that records what it was asked to open. */
    private static Connector opening(List<List<String>> asked, FakeHost... hosts) {
        return new Connector() {
            @Override
            public Dialer prepare() {
                return h -> {
                    throw new AssertionError("opened one by one");
                };
            }

            @Override
            public Opened openAll(List<dev.ntpdeploy.inventory.Host> want) {
                asked.add(want.stream().map(h -> h.name()).toList());
                Map<String, Connection> open = new java.util.LinkedHashMap<>();
                for (FakeHost f : hosts) {
                    if (asked.get(asked.size() - 1).contains(f.name)) {
                        open.put(f.name, f);
                    }
                }
                return new Opened(open, Map.of());
            }
        };
    }

    @Test
    void verifyLimitedToAClientOpensItsMasterToJudgeItReportsTheClientOnlyAndClosesBoth() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", synced());
        List<List<String>> asked = new ArrayList<>();
        VerifyResult r = new VerifyJob(new VerifyRequest(inventory, renderer, "c1", settings(false, Duration.ofMinutes(5)),
                opening(asked, m, c)), progress::add, now::get, d -> { }, () -> false).run();
        assertEquals(List.of(List.of("m1", "c1")), asked, "the client and its master, in one go");
        assertEquals(List.of("c1"), r.hosts().stream().map(HostVerdict::host).toList());
        assertEquals(Verdict.SYNCED, of(r, "c1").verdict(), r.toString());
        assertTrue(m.closed.get() && c.closed.get(), "what verify opened, verify closes");
        assertTrue(progress.isEmpty(), "verify of its own says nothing on stderr unless it waits: " + progress);
    }

    @Test
    void anInvalidLimitOrTemplateIsRefusedBeforeAnyHostIsOpened() {
        VerifyRequest.Settings once = settings(false, Duration.ofMinutes(5));
        InventoryException limit = org.junit.jupiter.api.Assertions.assertThrows(InventoryException.class,
                () -> VerifyJob.of(new VerifyRequest(inventory, renderer, "nosuchhost", once, NO_DIALING),
                        progress::add, () -> false).run());
        assertTrue(limit.getMessage().startsWith("--limit: 'nosuchhost' matches no host or group"), limit.getMessage());
        RenderException template = org.junit.jupiter.api.Assertions.assertThrows(RenderException.class,
                () -> VerifyJob.of(new VerifyRequest(inventory, new ConfigRenderer(dir), "all", once, NO_DIALING),
                        progress::add, () -> false).run());
        assertTrue(template.getMessage().contains("template not found"), template.getMessage());
    }

    @Test
    void configDriftIsKnownOnlyWhereTheFileWasComparedWithItsRendering() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", probe("lab-ntpsec-client-synced_probe.txt", "c1", Flavor.NTP));
        VerifyResult r = run(false, Duration.ofMinutes(5), m, c);
        assertEquals(java.util.Optional.of(false), of(r, "m1").configDrift());
        assertEquals(java.util.Optional.of(true), of(r, "c1").configDrift(), "the NTP rendering on an NTPsec host");
        VerifyResult down = job(settings(false, Duration.ofMinutes(5)), Map.of("m1", new FakeHost("m1", serving())),
                Map.of("c1", "c1: connection refused"), Map.of(), d -> { }, () -> false).run();
        assertEquals(java.util.Optional.empty(), of(down, "c1").configDrift(), "not reached: not compared");
    }

    /**
     * The synced client's capture with the billboard header the fuzzer produced ("st  t", the shape of
     * NtpqOutputFuzzTestInputs' crash-a2cc...): the billboard parser threw on it, and the exception stopped the
     * verification of every host.
     */
    static String garbled(String probeOutput) {
        return probeOutput.replace(" st t when ", " st  t when ");
    }

    @Test
    void oneHostsUnreadableOutputIsThatHostsUnknownResultAndTheOthersAreJudged() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", garbled(synced()));
        VerifyResult r = run(false, Duration.ofMinutes(5), m, c);
        assertEquals(Verdict.SERVING, of(r, "m1").verdict(), r.toString());
        HostVerdict cv = of(r, "c1");
        assertEquals(Status.UNKNOWN, cv.status(), r.toString());
        assertEquals("UNPARSEABLE_OUTPUT", cv.findings().get(0).code(), cv.findings().toString());
        assertTrue(cv.findings().get(0).evidence().stream().anyMatch(l -> l.contains(" st  t when ")),
                "what the host printed is the evidence: " + cv.findings());
        assertEquals(Status.UNKNOWN, r.status());
    }

    @Test
    void aProbeThatThrowsIsThatHostsUnknownResultAndTheOthersAreJudged() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        Connection c = new Connection() {
            @Override
            public String host() {
                return "c1";
            }

            @Override
            public ExecResult exec(String command, byte[] stdin, Duration timeout) {
                throw new AssertionError("verification runs its probe privileged");
            }

            @Override
            public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) {
                throw new IllegalStateException("channel closed in a way the transport did not expect");
            }

            @Override
            public void close() {
            }
        };
        VerifyResult r = job(settings(false, Duration.ofMinutes(5)), Map.of("m1", m, "c1", c), Map.of(), Map.of(),
                d -> now.addAndGet(d.toNanos()), () -> false).run();
        assertEquals(Verdict.SERVING, of(r, "m1").verdict(), r.toString());
        HostVerdict cv = of(r, "c1");
        assertEquals(Status.UNKNOWN, cv.status(), r.toString());
        assertEquals("UNPARSEABLE_OUTPUT", cv.findings().get(0).code(), cv.findings().toString());
        assertTrue(cv.findings().get(0).message().contains(
                "IllegalStateException: channel closed in a way the transport did not expect"), cv.findings().toString());
    }

    @Test
    void applysClosingVerificationJudgesEveryHostWhenOneHostsOutputIsUnreadable() throws Exception {
        FakeHost m = new FakeHost("m1", serving());
        FakeHost c = new FakeHost("c1", garbled(synced()));
        ApplyOutcome applied = new ApplyOutcome(
                List.of(new HostResult("m1", dev.ntpdeploy.inventory.Role.MASTER, HostStatus.CHANGED, "", null),
                        new HostResult("c1", dev.ntpdeploy.inventory.Role.CLIENT, HostStatus.CHANGED, "", null)),
                false, false);
        VerifyResult r = VerifyJob.afterApply(renderer, "all", settings(true, Duration.ofMinutes(5)), progress::add,
                        () -> false, NO_DIALING)
                .run(applied, inventory, Map.of("m1", m, "c1", c), Map.of("m1", NTPSEC, "c1", NTPSEC))
                .orElseThrow();
        assertEquals(Verdict.SERVING, of(r, "m1").verdict(), r.toString());
        assertEquals(Status.UNKNOWN, of(r, "c1").status(), r.toString());
        assertEquals("UNPARSEABLE_OUTPUT", of(r, "c1").findings().get(0).code(), r.toString());
    }

    @Test
    void aHostJudgedFinalKeepsItsFindingsWhileOthersAreAwaited() throws Exception {
        // m1's config file is 5 s old, younger than its ntpd: it runs an older config (CONFIG_NOT_LOADED); m1 is
        // judged once, then its observation is aged while c1 is awaited for two more rounds
        FakeHost m = new FakeHost("m1", serving().replace("@@ntpdeploy:log@@", "@@ntpdeploy:confage@@\n5\n@@ntpdeploy:log@@"));
        FakeHost c = new FakeHost("c1", justRestarted(), justRestarted(), synced());
        VerifyResult r = run(true, Duration.ofMinutes(5), m, c);
        assertEquals(1, m.probes.get());
        assertTrue(sleeps.size() >= 2, sleeps.toString());
        assertTrue(of(r, "m1").findings().stream().anyMatch(f -> f.code().equals("CONFIG_NOT_LOADED")), r.toString());
    }

    @Test
    void aMasterWhoseClientListWasReadIsProbedAgainWhileItsClientIsAwaited() throws Exception {
        // the check from both ends sets each client against its master's list: a list read before the client
        // restarted cannot hold the new daemon's requests, so it is renewed with the client's state
        FakeHost m = new FakeHost("m1", probe("lab-ntpsec-master-mrulist_probe.txt", "m1"));
        FakeHost c = new FakeHost("c1", justRestarted(), justRestarted(), synced());
        VerifyResult r = run(true, Duration.ofMinutes(5), m, c);
        assertEquals(Verdict.SYNCED, of(r, "c1").verdict(), r.toString());
        assertEquals(3, c.probes.get());
        assertEquals(3, m.probes.get(), "probed with its pending client in every round");
        assertTrue(m.commands.get(0).startsWith("set -- '/etc/ntpsec/ntp.conf' 'ntpq' 'master'\n"), m.commands.get(0));
        assertTrue(c.commands.get(0).startsWith("set -- '/etc/ntpsec/ntp.conf' 'ntpq' 'client'\n"), c.commands.get(0));
    }
}

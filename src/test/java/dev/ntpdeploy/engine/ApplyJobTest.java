package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's phases against in-memory hosts: what a dry run may touch, unreachable hosts, invalid input. */
class ApplyJobTest {

    static final VerifyResult VERIFIED = new VerifyResult(List.of(), Status.OK);

    @TempDir
    Path dir;

    /** Every command any fake host ran, as "host: first line of the command's own part". */
    final List<String> commands = Collections.synchronizedList(new ArrayList<>());

    static String labProbe() throws IOException {
        try (InputStream in = ApplyJobTest.class.getResourceAsStream("/probe/lab-ntpsec-running.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    Path inventory() throws IOException {
        Path inv = dir.resolve("inv.yml");
        Files.writeString(inv, """
                all:
                  vars:
                    ntp_flavor: auto
                  children:
                    masters:
                      hosts:
                        m1:
                          ansible_host: 10.9.0.1
                          ntp_upstream: []
                    clients:
                      hosts:
                        c1:
                          ansible_host: 10.9.0.2
                        c2:
                          ansible_host: 10.9.0.3
                """);
        return inv;
    }

    Connection fake(String name) throws IOException {
        String probe = labProbe();
        return new Connection() {
            @Override
            public String host() {
                return name;
            }

            @Override
            public ExecResult exec(String command, byte[] stdin, Duration timeout) {
                commands.add(name + ": unprivileged");
                return new ExecResult(1, "", "");
            }

            @Override
            public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) {
                commands.add(name + (command.contains("sec probe") ? ": probe" : command.contains("phase=stage") ? ": unit" : ": other"));
                return command.contains("sec probe") ? new ExecResult(0, probe, "") : new ExecResult(1, "", "");
            }

            @Override
            public void close() {
                commands.add(name + ": close");
            }
        };
    }

    /** A host where the login works but sudo refuses (sudo's own words, as SshConnection's Become reports them). */
    final java.util.Set<String> sudoRefuses = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Connector connector(String... unreachable) {
        return () -> h -> {
            if (List.of(unreachable).contains(h.name())) {
                throw new TransportException(h.name() + ": connection refused");
            }
            try {
                if (sudoRefuses.contains(h.name())) {
                    Connection real = fake(h.name());
                    return new Connection() {
                        @Override
                        public String host() {
                            return real.host();
                        }

                        @Override
                        public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
                            return real.exec(command, stdin, timeout);
                        }

                        @Override
                        public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout)
                                throws IOException {
                            throw new dev.ntpdeploy.transport.BecomeException(h.name()
                                    + ": sudo (ops -> root) is not allowed for this user: fix sudoers on the host or"
                                    + " ansible_become_user");
                        }

                        @Override
                        public void close() {
                            real.close();
                        }
                    };
                }
                return fake(h.name());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
    }

    ApplyRequest request(Path inv, boolean dryRun, String limit) {
        return new ApplyRequest(inv, Path.of("templates"), limit, 4, dryRun, 5, Duration.ofSeconds(30));
    }

    /** Logged in, sudo refused: FAILED with sudo's fix (it was UNREACHABLE, as if SSH had failed). */
    @Test
    void aSudoRefusalIsThatHostsFailureWithTheSudoFix() throws Exception {
        sudoRefuses.add("c2");
        ApplyOutcome out = new ApplyJob(connector(), new ApplyListener() { }, AfterApply.NONE, new AtomicBoolean())
                .run(request(inventory(), true, "all"));
        HostResult c2 = out.results().stream().filter(r -> r.host().equals("c2")).findFirst().orElseThrow();
        assertEquals(HostStatus.FAILED, c2.status(), c2.toString());
        assertTrue(c2.message().contains("fix sudoers on the host"), c2.message());
        assertEquals(2, out.count(HostStatus.CHANGED), "the other hosts are planned as usual: " + out.results());
    }

    @Test
    void dryRunProbesAndPlansButRunsNothingElse() throws Exception {
        List<HostResult> streamed = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean hookRan = new AtomicBoolean();
        ApplyJob job = new ApplyJob(connector(), new ApplyListener() {
            @Override
            public void finished(HostResult r) {
                streamed.add(r);
            }
        }, (o, inv, c, flavors) -> {
            hookRan.set(true);
            return Optional.empty();
        }, new AtomicBoolean());
        ApplyOutcome out = job.run(request(inventory(), true, "all"));
        assertTrue(out.dryRun());
        assertEquals(3, out.count(HostStatus.CHANGED), out.results().toString());
        for (HostResult r : out.results()) {
            assertTrue(r.message().startsWith("would upload /etc/ntpsec/ntp.conf (content differs); would restart ntpsec"),
                    r.message());
            assertNotNull(r.diff());
            assertTrue(r.diff().contains("+++ b/etc/ntpsec/ntp.conf\t" + r.host() + " (rendered)"), r.diff());
        }
        List<String> touched = commands.stream().filter(c -> !c.endsWith(": probe") && !c.endsWith(": close")).toList();
        assertEquals(List.of(), touched, "a dry run runs the probe and nothing else");
        assertEquals(3, commands.stream().filter(c -> c.endsWith(": close")).count());
        assertTrue(!hookRan.get(), "no verification after a dry run");
        assertEquals(Exit.OK, Exit.of(out, false));
    }

    @Test
    void unreachableHostIsReportedAndTheOthersArePlanned() throws Exception {
        ApplyJob job = new ApplyJob(connector("c2"), new ApplyListener() { }, AfterApply.NONE,
                new AtomicBoolean());
        ApplyOutcome out = job.run(request(inventory(), true, "all"));
        HostResult c2 = out.byHost().get("c2");
        assertEquals(HostStatus.UNREACHABLE, c2.status());
        assertEquals("c2: connection refused", c2.message());
        assertEquals(2, out.count(HostStatus.CHANGED));
        assertEquals(Exit.HOSTS_FAILED, Exit.of(out, false));
    }

    @Test
    void limitRestrictsWhoIsContacted() throws Exception {
        ApplyJob job = new ApplyJob(connector(), new ApplyListener() { }, AfterApply.NONE, new AtomicBoolean());
        ApplyOutcome out = job.run(request(inventory(), true, "c*,!c2"));
        assertEquals(List.of("c1"), out.results().stream().map(HostResult::host).toList());
        assertTrue(commands.stream().allMatch(c -> c.startsWith("c1:")), commands.toString());
    }

    @Test
    void invalidInventoryTouchesNoHost() throws Exception {
        Path inv = dir.resolve("bad.yml");
        Files.writeString(inv, "all:\n  children:\n    masters:\n      hosts:\n        m1:\n          ntp_flavour: ntpsec\n");
        ApplyJob job = new ApplyJob(() -> h -> {
            throw new AssertionError("must not connect");
        }, new ApplyListener() { }, AfterApply.NONE, new AtomicBoolean());
        InventoryException e = assertThrows(InventoryException.class, () -> job.run(request(inv, false, "all")));
        assertTrue(e.getMessage().contains("bad.yml:"), e.getMessage());
    }

    @Test
    void realRunHandsTheOpenConnectionsToTheAfterApplyHook() throws Exception {
        List<String> seen = new ArrayList<>();
        ApplyJob job = new ApplyJob(connector(), new ApplyListener() { }, (o, inv, conns, flavors) -> {
            seen.addAll(conns.keySet());
            assertEquals(conns.keySet(), flavors.keySet(), "apply's resolved flavor of every planned host");
            assertTrue(commands.stream().noneMatch(c -> c.endsWith(": close")), "connections still open in the hook");
            return Optional.of(VERIFIED);
        }, new AtomicBoolean());
        ApplyOutcome out = job.run(request(inventory(), false, "all"));
        assertEquals(List.of("m1", "c1", "c2"), seen);
        assertEquals(Optional.of(VERIFIED), out.verified());
        // one change unit per host; the fake hosts answer it with nothing: each host failed, saying so
        assertEquals(3, commands.stream().filter(c -> c.endsWith(": unit")).count());
        assertTrue(out.results().stream().allMatch(r -> r.status() == HostStatus.FAILED
                && r.message().contains("ended without a complete report")), out.results().toString());
    }
}

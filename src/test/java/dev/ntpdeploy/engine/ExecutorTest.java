package dev.ntpdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.facts.RemoteFile;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.ops.FileInstaller;
import dev.ntpdeploy.ops.PutFile;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.ExecResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Ordering and failure isolation of the executor, against in-memory hosts (no SSH: pure logic). */
class ExecutorTest {

    /** Everything every fake host did, in global order ("lab-h1 install", "lab-h2 restart"). */
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** Hosts whose daemon logs a syntax error for the next start (once). */
    final Set<String> rejectsNextStart = ConcurrentHashMap.newKeySet();
    final Set<String> uploadFails = ConcurrentHashMap.newKeySet();

    final class FakeHost implements Connection {
        final String name;
        int pid = 100;

        FakeHost(String name) {
            this.name = name;
        }

        @Override
        public String host() {
            return name;
        }

        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) {
            throw new AssertionError("apply must run its steps privileged");
        }

        @Override
        public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) throws IOException {
            if (!command.contains("RESTART_RC")) {
                throw new AssertionError("unexpected command on " + name + ": " + command);
            }
            events.add(name + " restart");
            if (name.endsWith("h1")) {
                // a master that takes a while: clients running now would show up before "restarted" below
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            pid++;
            String log = rejectsNextStart.remove(name)
                    ? "LOG=ntpd[" + pid + "]: CONFIG: line 12 column 1 syntax error\n" : "";
            events.add(name + " restarted");
            return new ExecResult(0, "RESTART_RC=0\nNTPD_PID=" + pid + "\n" + log + "LOG=ntpd[" + pid
                    + "]: IO: Listen normally on 0 lo\nEND=1\n", "");
        }

        @Override
        public void close() {
        }
    }

    final FileInstaller installer = new FileInstaller() {
        @Override
        public Optional<String> install(Connection c, PutFile f, int keep) throws IOException {
            if (uploadFails.contains(c.host())) {
                throw new IOException("mktemp: Permission denied");
            }
            events.add(c.host() + " install");
            return keep > 0 ? Optional.of(f.path() + ".ntpdeploy-1") : Optional.empty();
        }

        @Override
        public void restore(Connection c, String path, String backupPath) {
            events.add(c.host() + " restore " + backupPath);
        }
    };

    static Executor.Target changed(String name, Role role, Connection c) {
        Host h = TestHosts.host(name, role, Flavor.NTPSEC);
        RemoteFile old = new RemoteFile("/etc/ntpsec/ntp.conf", true, "644", "root", "root", "x", "old\n".getBytes());
        var facts = PlannerTest.facts(old, true);
        HostPlan plan = Planner.plan(h, facts, Map.of(Flavor.NTPSEC, "new\n"));
        return new Executor.Target(plan, c);
    }

    List<Executor.Target> fleet(String... names) {
        List<Executor.Target> t = new ArrayList<>();
        for (String n : names) {
            t.add(changed(n, n.endsWith("h1") ? Role.MASTER : Role.CLIENT, new FakeHost(n)));
        }
        return t;
    }

    List<HostResult> run(List<Executor.Target> targets, AtomicBoolean cancel) {
        List<HostResult> streamed = Collections.synchronizedList(new ArrayList<>());
        List<HostResult> results = new Executor(installer, 5, 8, cancel).execute(targets, Set.of(), streamed::add);
        assertEquals(results.size(), streamed.size(), "every result is streamed as it finishes");
        return results;
    }

    @Test
    void mastersFinishBeforeAnyClientStarts() {
        // the master is listed last: order comes from roles, not from the list
        run(fleet("lab-h2", "lab-h3", "lab-h4", "lab-h1"), new AtomicBoolean());
        int masterDone = events.indexOf("lab-h1 restarted");
        assertTrue(masterDone >= 0, events.toString());
        for (String e : events.subList(0, masterDone)) {
            assertTrue(e.startsWith("lab-h1"), "client step before the master finished: " + events);
        }
        assertEquals(4 * 3, events.size(), events.toString());
    }

    @Test
    void rejectedConfigFailsThatHostOnlyAndPutsTheBackupBack() {
        rejectsNextStart.add("lab-h3");
        List<HostResult> r = run(fleet("lab-h1", "lab-h2", "lab-h3", "lab-h4"), new AtomicBoolean());
        Map<String, HostResult> by = new ApplyOutcome(r, false, false, null).byHost();
        assertEquals(HostStatus.CHANGED, by.get("lab-h1").status());
        assertEquals(HostStatus.CHANGED, by.get("lab-h2").status());
        assertEquals(HostStatus.CHANGED, by.get("lab-h4").status());
        HostResult bad = by.get("lab-h3");
        assertEquals(HostStatus.FAILED, bad.status());
        assertTrue(bad.message().contains("CONFIG: line 12 column 1 syntax error"), bad.message());
        assertTrue(bad.message().contains("previous config restored, ntpd running again (pid 102)"), bad.message());
        assertTrue(events.contains("lab-h3 restore /etc/ntpsec/ntp.conf.ntpdeploy-1"), events.toString());
        assertEquals(2, events.stream().filter(e -> e.equals("lab-h3 restart")).count());
    }

    @Test
    void failedUploadSkipsTheRestartOfThatHost() {
        uploadFails.add("lab-h2");
        List<HostResult> r = run(fleet("lab-h1", "lab-h2"), new AtomicBoolean());
        assertEquals(HostStatus.FAILED, r.get(1).status());
        assertEquals("upload failed: mktemp: Permission denied", r.get(1).message());
        assertTrue(events.stream().noneMatch(e -> e.startsWith("lab-h2")), events.toString());
    }

    @Test
    void failedMasterIsNotedOnClientsWhichAreStillConfigured() {
        rejectsNextStart.add("lab-h1");
        List<HostResult> r = run(fleet("lab-h1", "lab-h2"), new AtomicBoolean());
        assertEquals(HostStatus.FAILED, r.get(0).status());
        assertEquals(HostStatus.CHANGED, r.get(1).status());
        assertTrue(r.get(1).message().endsWith("configured, but master lab-h1 was not applied"), r.get(1).message());
    }

    @Test
    void cancelledRunStartsNothing() {
        List<HostResult> r = run(fleet("lab-h1", "lab-h2"), new AtomicBoolean(true));
        assertTrue(r.stream().allMatch(x -> x.status() == HostStatus.SKIPPED), r.toString());
        assertTrue(events.isEmpty());
        assertEquals(dev.ntpdeploy.ExitCodes.HOSTS_FAILED, new ApplyOutcome(r, false, true, null).exitCode());
    }

    @Test
    void noBackupFallsBackToTheBytesTheProbeRead() {
        rejectsNextStart.add("lab-h2");
        List<PutFile> installs = Collections.synchronizedList(new ArrayList<>());
        FileInstaller recording = new FileInstaller() {
            @Override
            public Optional<String> install(Connection c, PutFile f, int keep) {
                installs.add(f);
                return Optional.empty();
            }

            @Override
            public void restore(Connection c, String path, String backupPath) {
                throw new AssertionError("no backup was made");
            }
        };
        List<HostResult> r = new Executor(recording, 0, 2, new AtomicBoolean())
                .execute(fleet("lab-h2"), Set.of(), x -> { });
        assertEquals(HostStatus.FAILED, r.get(0).status());
        assertEquals(2, installs.size());
        assertEquals("old\n", new String(installs.get(1).content()));
        assertEquals(List.of("restore"), installs.get(1).reasons());
    }
}

package dev.ntpdeploy.ops;

import dev.ntpdeploy.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.facts.ServiceManager;
import dev.ntpdeploy.facts.TimeDaemon;
import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.LocalShell;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change unit's script run by the local shell, exactly as a host's shell runs it (lock and state directory in
 * a temp directory; a shell function stands in for the daemon's restart check and judges the file like ntpd would).
 * An integration test (failsafe) though it needs no lab: each case runs the script with flock, setsid and a
 * detached work phase, seconds in all, more than the unit tests' budget.
 */
class ChangeUnitScriptIT {

    static final String OLD = "server 10.0.0.1 iburst\n";
    static final String NEW = "server 10.0.0.2 iburst\nserver 10.0.0.3 iburst\n";

    /**
     * A "daemon" that reads the target: a file containing "bad" makes it log a config error (as ntpd does for a
     * misspelled keyword); any other file starts cleanly. Its pid is 100 + the number of starts so far.
     */
    static final String FAKE_RESTART = """
            restart_check() {
              n=$(cat "$state/starts" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$state/starts"
              [ -n "${hook:-}" ] && eval "$hook"
              # a service script starts the daemon: stdio redirected, every other descriptor inherited
              sleep 3 </dev/null >/dev/null 2>&1 &
              val restart_rc 0
              val pid "$((100 + n))"
              sec log
              if grep -q bad "$target" 2>/dev/null; then
                echo "ntpd[$((100 + n))]: CONFIG: line 2 column 1 syntax error"
              fi
              echo "ntpd[$((100 + n))]: IO: Listen normally on 0 lo"
              sec end
            }
            """;

    @TempDir
    Path dir;
    Path target;
    Path state;
    Path lock;
    /** Who runs the tests: the owner the installed file gets (looked up once per JVM, not twice per test). */
    static final String USER;
    static final String GROUP;

    static {
        try {
            String[] ids = LocalShell.run("id -un; id -gn").stdout().trim().split("\n");
            USER = ids[0].trim();
            GROUP = ids[1].trim();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    final RunId run = new RunId("0123456789ab", "controller-1", 4242, Instant.parse("2026-12-06T10:00:00Z"));

    @BeforeEach
    void setUp() throws Exception {
        target = dir.resolve("etc dir/ntp.conf");
        Files.createDirectories(target.getParent());
        state = dir.resolve("run/ntpdeploy");
        lock = dir.resolve("run/lock/ntpdeploy.lock");
    }

    ChangeUnit unit(String content, String expectedSha, boolean restart, int keep) {
        Optional<PutFile> put = content == null ? Optional.empty() : Optional.of(new PutFile(target.toString(),
                content.getBytes(StandardCharsets.UTF_8), "0640", USER, GROUP, List.of(PutFile.Change.of(PutFile.Reason.CONTENT))));
        Optional<RestartService> r = restart ? Optional.of(new RestartService("ntpsec", ServiceManager.SERVICE,
                OptionalLong.of(100), RestartService.Reason.CONFIG_CHANGED)) : Optional.empty();
        return new ChangeUnit(target.toString(), put, expectedSha, r, keep, run,
                new ChangeUnit.Places(lock.toString(), state.toString()));
    }

    /**
     * A stand-in for {@code chronyd -p -f FILE} (the real one runs in the lab, ChronyApplyIT): a file containing
     * "bad" is refused with chronyd's message for line 2 of the file it was given, exit 1; any other is printed.
     * It also notes every file it checked, so a test sees that the check ran and on what.
     */
    Map<String, String> fakeChronyd() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path chronyd = bin.resolve("chronyd");
        Files.writeString(chronyd, """
                #!/bin/sh
                [ "$1" = -p ] && [ "$2" = -f ] || exit 2
                echo "$3" >> "${0%/*}/checked"
                if grep -q bad "$3"; then echo "Fatal error : Invalid directive at line 2 in file $3" >&2; exit 1; fi
                cat "$3"
                """);
        Files.setPosixFilePermissions(chronyd, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    ChangeUnit chronyUnit(String content, String expectedSha) {
        ChangeUnit u = unit(content, expectedSha, true, 0);
        return new ChangeUnit(u.target(), u.put(), u.expectedSha(), u.restart(), u.keepBackups(), u.run(), u.places(),
                Optional.empty(), dev.ntpdeploy.inventory.Flavor.CHRONY);
    }

    @Test
    void aConfigChronydRejectsIsNeverInstalledAndItsMessageNamesTheTarget() throws Exception {
        Files.writeString(target, OLD);
        ChangeUnit u = chronyUnit("server 10.0.0.2 iburst\nbad directive\n", sha(OLD));
        ExecResult r = LocalShell.run(u.command(FAKE_RESTART), u.stdin(), fakeChronyd());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        UnitReport rep = UnitReport.parse(r.stdout());
        assertEquals(List.of("Fatal error : Invalid directive at line 2 in file " + target), rep.rejected(), r.stdout());
        assertFalse(rep.installed());
        assertEquals(Optional.empty(), rep.start(), "no restart for a refused file");
        assertFalse(Files.exists(state.resolve("starts")), "the daemon was not restarted");
        assertEquals(OLD, Files.readString(target));
        assertEquals(List.of(), temps());
        String checked = Files.readString(dir.resolve("bin/checked")).strip();
        assertTrue(checked.startsWith(target.getParent() + "/.ntpdeploy."), "the temp file was checked: " + checked);
    }

    @Test
    void aConfigChronydAcceptsIsInstalledAndTheDaemonRestarted() throws Exception {
        Files.writeString(target, OLD);
        ChangeUnit u = chronyUnit(NEW, sha(OLD));
        ExecResult r = LocalShell.run(u.command(FAKE_RESTART), u.stdin(), fakeChronyd());
        UnitReport rep = UnitReport.parse(r.stdout());
        assertEquals(List.of(), rep.rejected(), r.stdout());
        assertTrue(rep.installed(), r.stdout());
        assertTrue(rep.start().orElseThrow().good(), r.stdout());
        assertEquals(NEW, Files.readString(target));
        assertTrue(Files.exists(dir.resolve("bin/checked")), "chronyd checked the file");
    }

    @Test
    void anNtpdUnitRunsNoConfigCheck() throws Exception {
        Files.writeString(target, OLD);
        ChangeUnit u = unit(NEW, sha(OLD), true, 0);
        ExecResult r = LocalShell.run(u.command(FAKE_RESTART), u.stdin(), fakeChronyd());
        assertTrue(UnitReport.parse(r.stdout()).installed(), r.stdout());
        assertFalse(Files.exists(dir.resolve("bin/checked")));
    }

    static String sha(String s) {
        return Sha256.hex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the unit as the controller would, with {@code sent} as the bytes that actually arrive on stdin. */
    UnitReport run(ChangeUnit u, byte[] sent, String hook) throws Exception {
        ExecResult r = LocalShell.run(u.command(FAKE_RESTART), sent, hook == null ? Map.of() : Map.of("hook", hook));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return UnitReport.parse(r.stdout());
    }

    UnitReport run(ChangeUnit u) throws Exception {
        return run(u, u.stdin(), null);
    }

    List<String> temps() throws Exception {
        try (Stream<Path> s = Files.list(target.getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".ntpdeploy")).toList();
        }
    }

    List<String> stateFiles() throws Exception {
        try (Stream<Path> s = Files.list(state)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("starts")).sorted().toList();
        }
    }

    @Test
    void installsTheCompleteFileRestartsAndLeavesNothingBehind() throws Exception {
        Files.writeString(target, OLD);
        UnitReport u = run(unit(NEW, sha(OLD), true, 5));
        assertTrue(u.ended(), u.toString());
        assertTrue(u.installed());
        assertTrue(u.start().orElseThrow().good(), u.toString());
        assertEquals(Optional.empty(), u.rollback());
        assertEquals(run.ownerLine(), u.owner());
        assertEquals(NEW, Files.readString(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(OLD, Files.readString(Path.of(u.backup().orElseThrow())));
        assertEquals(List.of(), temps(), "no temp file or rollback copy left");
        assertEquals(List.of(), stateFiles(), "the report was handed over and removed");
        assertEquals(run.ownerLine() + "\n", Files.readString(lock), "the lock file names the last holder");
        assertEquals(0, LocalShell.run("flock -n '" + lock + "' true").exitCode(), "the daemon started holds no lock");
    }

    @Test
    void aShortUploadIsRemovedAndTheTargetIsUntouched() throws Exception {
        Files.writeString(target, OLD);
        ChangeUnit u = unit(NEW, sha(OLD), true, 5);
        byte[] half = Arrays.copyOf(u.stdin(), u.stdin().length / 2);
        for (byte[] arrived : List.of(half, new byte[0])) {
            UnitReport r = run(u, arrived, null);
            assertEquals(Optional.of(arrived.length + " " + Sha256.hex(arrived)), r.incomplete(), r.toString());
            assertFalse(r.installed());
            assertEquals(OLD, Files.readString(target), "never an empty or partial file");
            assertEquals(List.of(), temps());
            assertFalse(Files.exists(state.resolve("starts")), "no restart");
        }
    }

    @Test
    void aCorruptedUploadOfTheRightLengthIsRefused() throws Exception {
        Files.writeString(target, OLD);
        ChangeUnit u = unit(NEW, sha(OLD), false, 5);
        byte[] flipped = u.stdin();
        flipped[3] ^= 1;
        UnitReport r = run(u, flipped, null);
        assertTrue(r.incomplete().isPresent(), r.toString());
        assertEquals(OLD, Files.readString(target));
        assertEquals(List.of(), temps());
    }

    @Test
    void aFileChangedSinceTheProbeIsNotOverwritten() throws Exception {
        Files.writeString(target, "# written by another run\n");
        UnitReport r = run(unit(NEW, sha(OLD), true, 5));
        assertEquals(Optional.of(sha("# written by another run\n")), r.changedSinceProbe());
        assertFalse(r.installed());
        assertEquals("# written by another run\n", Files.readString(target));
        assertEquals(List.of(), temps());
        assertFalse(Files.exists(state.resolve("starts")), "no restart");
    }

    @Test
    void anAbsentFileIsCreatedOnlyIfStillAbsent() throws Exception {
        UnitReport r = run(unit(NEW, "absent", false, 5));
        assertTrue(r.installed() && r.ended(), r.toString());
        assertEquals(NEW, Files.readString(target));
        assertEquals(Optional.empty(), r.backup());
        UnitReport again = run(unit(OLD, "absent", false, 5));
        assertEquals(Optional.of(sha(NEW)), again.changedSinceProbe());
    }

    @Test
    void aRejectedFileIsRolledBackAndTheDaemonRestartedOnTheOldOne() throws Exception {
        Files.writeString(target, OLD);
        UnitReport r = run(unit("bad line\n", sha(OLD), true, 0));
        assertTrue(r.installed());
        assertFalse(r.start().orElseThrow().good());
        assertTrue(r.start().get().problem().contains("CONFIG: line 2 column 1 syntax error"), r.start().get().problem());
        assertEquals(Optional.of("restored"), r.rollback());
        assertTrue(r.again().orElseThrow().good(), r.toString());
        assertEquals(102, r.again().get().pid().getAsLong());
        assertEquals(OLD, Files.readString(target));
        assertEquals(List.of(), temps());
    }

    @Test
    void theRollbackNeverRestoresOverAnotherWritersFile() throws Exception {
        Files.writeString(target, OLD);
        // while the new (bad) file is being checked, someone else writes the file
        String hook = "printf 'other writer bad\\n' > \"$target\"";
        ChangeUnit u = unit("bad line\n", sha(OLD), true, 0);
        UnitReport r = run(u, u.stdin(), hook);
        assertTrue(r.rollback().orElseThrow().startsWith("skipped: "), r.toString());
        assertEquals("other writer bad\n", Files.readString(target));
    }

    @Test
    void aSecondRunIsRefusedWhileTheLockIsHeldAndToldWhoHoldsIt() throws Exception {
        Files.writeString(target, OLD);
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "run ffffffffffff of ntpdeploy on other-controller (pid 7), started 2026-12-06T09:00:00Z\n");
        Process holder = new ProcessBuilder("flock", "-n", lock.toString(), "sleep", "60").start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (LocalShell.run("flock -n '" + lock + "' true").exitCode() == 0) {
                assertTrue(System.nanoTime() < deadline, "the holder never took the lock");
                Thread.sleep(20);
            }
            UnitReport r = run(unit(NEW, sha(OLD), true, 5));
            assertEquals(Optional.of("run ffffffffffff of ntpdeploy on other-controller (pid 7), started 2026-12-06T09:00:00Z"),
                    r.lockedBy(), r.toString());
            assertEquals(OLD, Files.readString(target));
            assertEquals(List.of(), temps());
        } finally {
            holder.descendants().forEach(ProcessHandle::destroyForcibly); // flock's child holds the descriptor too
            holder.destroyForcibly();
            holder.waitFor();
        }
        // the holder died: its lock died with it
        UnitReport after = run(unit(NEW, sha(OLD), true, 5));
        assertTrue(after.installed() && after.ended(), after.toString());
    }

    @Test
    void temporaryFilesOfADeadRunAreRemovedUnderTheLock() throws Exception {
        Files.writeString(target, OLD);
        Files.writeString(target.getParent().resolve(".ntpdeploy.AbC123"), "half a fi");
        Files.writeString(target.getParent().resolve(".ntpdeploy.prev.aaaaaaaaaaaa"), OLD);
        UnitReport r = run(unit(NEW, sha(OLD), false, 0));
        assertTrue(r.installed(), r.toString());
        assertEquals(List.of(), temps());
    }

    @Test
    void aModeOrOwnerFixKeepsTheFilesAgeSoTheDaemonIsNotThoughtStale() throws Exception {
        Files.writeString(target, NEW);
        FileTime old = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(target, old);
        UnitReport r = run(unit(NEW, sha(NEW), false, 0));
        assertTrue(r.installed(), r.toString());
        assertEquals(old, Files.getLastModifiedTime(target));
    }

    /**
     * The controller is SIGKILLed (its SSH session, here the shell, dies with it) while the host restarts the daemon:
     * the detached part still finishes the change and leaves its report for the next run.
     */
    @Test
    void theHostFinishesTheChangeWhenTheControllerDisappears() throws Exception {
        Files.writeString(target, OLD);
        Path go = dir.resolve("go");
        ChangeUnit u = unit(NEW, sha(OLD), true, 0);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", u.command(FAKE_RESTART));
        // the "restart" waits until the test has killed the session
        pb.environment().put("hook", "while [ ! -e '" + go + "' ]; do sleep 0.05; done");
        Process session = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (var in = session.getOutputStream()) {
            in.write(u.stdin());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(state.resolve("starts"))) {
            assertTrue(System.nanoTime() < deadline, "the restart never began");
            Thread.sleep(20);
        }
        session.destroyForcibly();
        assertTrue(session.waitFor(10, TimeUnit.SECONDS));
        Files.writeString(go, "");
        Path done = state.resolve(run.id() + ".done");
        while (!Files.exists(done)) {
            assertTrue(System.nanoTime() < deadline, "the detached part did not finish: " + stateFiles());
            Thread.sleep(20);
        }
        UnitReport left = UnitReport.parse(Files.readString(done));
        assertTrue(left.ended() && left.installed() && left.start().orElseThrow().good(), left.toString());
        assertEquals(NEW, Files.readString(target));
        assertEquals(List.of(), temps());
        // and the lock is free again once the detached part has exited (just after its report)
        while (LocalShell.run("flock -n '" + lock + "' true").exitCode() != 0) {
            assertTrue(System.nanoTime() < deadline, "the lock is still held");
            Thread.sleep(20);
        }
    }

    /**
     * A host's service manager and process table for the competing-daemon step: {@code service U stop} ends U's
     * daemon (its comm, from {@code units/U}, leaves {@code procs/}), {@code systemctl disable U} and
     * {@code is-enabled U} keep U's state in {@code enabled/U}, {@code pgrep} lists pid 1 (a live process) for each
     * comm still in {@code procs/}; every call is logged, in order, with the restart checks, to {@code calls}.
     */
    Map<String, String> fakeHost(boolean stopWorks) throws Exception {
        Path bin = dir.resolve("bin");
        Path fake = dir.resolve("fake");
        Files.createDirectories(bin);
        for (String d : List.of("units", "procs", "enabled")) {
            Files.createDirectories(fake.resolve(d));
        }
        Files.writeString(fake.resolve("units/chrony"), "chronyd\n");
        Files.writeString(fake.resolve("procs/chronyd"), "");
        Files.writeString(fake.resolve("enabled/chrony"), "enabled\n");
        Files.writeString(fake.resolve("enabled/ntpsec"), "disabled\n");
        String head = "#!/bin/sh\nF='" + fake + "'\n";
        Files.writeString(bin.resolve("service"), head + "echo \"service $*\" >> \"$F/calls\"\n"
                + (stopWorks ? "[ \"$2\" = stop ] && rm -f \"$F/procs/$(cat \"$F/units/$1\")\"\n" : "") + "exit 0\n");
        Files.writeString(bin.resolve("systemctl"), head + "echo \"systemctl $*\" >> \"$F/calls\"\n"
                + "case $1 in disable) echo disabled > \"$F/enabled/$2\" ;; enable) echo enabled > \"$F/enabled/$2\" ;;"
                + " is-enabled) cat \"$F/enabled/$2\" ;; esac\n");
        Files.writeString(bin.resolve("pgrep"), head + "for a; do c=$a; done\n[ -e \"$F/procs/$c\" ] && echo 1\nexit 0\n");
        for (String f : List.of("service", "systemctl", "pgrep")) {
            Files.setPosixFilePermissions(bin.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return Map.of("PATH", bin + ":" + System.getenv("PATH"), "hook", "echo restart_check >> '" + fake + "/calls'");
    }

    ChangeUnit switching(String content, String expectedSha) {
        SoleDaemon dc = new SoleDaemon(List.of(new SoleDaemon.Competitor(
                TimeDaemon.CHRONYD, "chrony", true, true)), true, "ntpsec", ServiceManager.SERVICE,
                OptionalLong.empty());
        ChangeUnit u = unit(content, expectedSha, true, 0);
        return new ChangeUnit(u.target(), u.put(), u.expectedSha(), u.restart(), 0, run, u.places(), Optional.of(dc));
    }

    UnitReport run(ChangeUnit u, Map<String, String> env) throws Exception {
        ExecResult r = LocalShell.run(u.command(FAKE_RESTART), u.stdin(), env);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return UnitReport.parse(r.stdout());
    }

    @Test
    void theOtherDaemonIsStoppedAndDisabledOnlyAfterTheNewOneStartedThenItStartsAgain() throws Exception {
        Files.writeString(target, OLD);
        UnitReport r = run(switching(NEW, sha(OLD)), fakeHost(true));
        assertTrue(r.ended() && r.installed(), r.toString());
        assertTrue(r.start().orElseThrow().good(), r.toString());
        assertEquals(Optional.of("enabled"), r.managedEnabled());
        assertEquals(List.of(new UnitReport.Competitor("chrony", true, "disabled")), r.competitors());
        assertTrue(r.after().orElseThrow().good(), "started again once UDP 123 is free: " + r);
        assertEquals(List.of("restart_check", "systemctl enable ntpsec", "systemctl is-enabled ntpsec",
                "service chrony stop", "systemctl disable chrony", "systemctl is-enabled chrony", "restart_check"),
                Files.readAllLines(dir.resolve("fake/calls")));
    }

    @Test
    void aDaemonThatOutlivesItsStopIsReportedStillRunning() throws Exception {
        // the stop returns and the process stays (waited for ~10 s, then reported): the host is not called done
        Files.writeString(target, OLD);
        UnitReport r = run(switching(NEW, sha(OLD)), fakeHost(false));
        assertEquals(List.of(new UnitReport.Competitor("chrony", false, "disabled")), r.competitors(), r.toString());
        assertFalse(r.competitors().get(0).done());
    }

    @Test
    void aRejectedConfigLeavesTheOtherDaemonRunningAndEnabled() throws Exception {
        Files.writeString(target, OLD);
        UnitReport r = run(switching("bad line\n", sha(OLD)), fakeHost(true));
        assertEquals(Optional.of("restored"), r.rollback(), r.toString());
        assertEquals(List.of(), r.competitors());
        assertEquals(Optional.empty(), r.after());
        assertEquals(List.of("restart_check", "restart_check"), Files.readAllLines(dir.resolve("fake/calls")),
                "the start and the start after the rollback; chrony never touched");
        assertTrue(Files.exists(dir.resolve("fake/procs/chronyd")));
        assertEquals("enabled\n", Files.readString(dir.resolve("fake/enabled/chrony")));
        assertEquals("disabled\n", Files.readString(dir.resolve("fake/enabled/ntpsec")), "nor the new one enabled");
    }

    @Test
    void rejectsValuesThatCouldEscapeTheScript() {
        PutFile ok = new PutFile("/etc/x", new byte[0], "0644", "root", "root", List.of());
        ChangeUnit.Places p = ChangeUnit.Places.HOST;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ChangeUnit("/etc/x",
                Optional.of(new PutFile("/etc/x", new byte[0], "0644; reboot", "root", "root", List.of())), "absent",
                Optional.empty(), 0, run, p));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ChangeUnit("/etc/x",
                Optional.of(new PutFile("/etc/x", new byte[0], "0644", "root$(id)", "root", List.of())), "absent",
                Optional.empty(), 0, run, p));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ChangeUnit("etc/x",
                Optional.empty(), "absent", Optional.empty(), 0, run, p));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ChangeUnit("/etc/x",
                Optional.of(ok), "abc; rm -rf /", Optional.empty(), 0, run, p));
    }
}

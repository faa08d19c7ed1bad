package dev.ntpdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import dev.ntpdeploy.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real faults against the lab: the controller SIGKILLed at the temp-file moment and after the rename, a
 * connection cut mid-upload, two controllers at once, a silent and a hung host. Each host's SSH goes through a
 * {@link FaultProxy} on 127.0.0.1 that widens the windows (the kernel has no netem); the moments are chosen by
 * watching the host (its temp file appearing, its file changing), never by sleeping. After each fault: every host
 * holds the old or the new file byte for byte, no temp file is left, every daemon runs the file on disk (it started
 * after the file last changed), and a following apply leaves the fleet on the new config.
 */
@ExtendWith(LabExtension.class)
class FaultsIT {

    static final String CONF = ApplyIT.CONF;
    static final long SETTLE_S = 120;

    @TempDir
    Path tmp;

    final Map<String, FaultProxy> proxies = new LinkedHashMap<>();

    @BeforeEach
    void proxies(Lab lab) throws IOException {
        for (String h : lab.hosts()) {
            proxies.put(h, new FaultProxy(lab.address(h), 22));
        }
        ApplyIT.Run base = ApplyIT.apply(lab);
        assertEquals(Exit.OK.code(), base.exit(), "the lab is applied before each fault: " + base.out() + base.err());
    }

    @AfterEach
    void removeTheFaults(Lab lab) {
        proxies.values().forEach(FaultProxy::close);
        for (String h : lab.hosts()) {
            lab.exec(h, "sh", "-c", "nft delete table inet faults 2>/dev/null; rm -f " + CONF + ".ntpdeploy-*");
        }
    }

    /** Each test starts from an applied lab (above); the next IT class does too. */
    @AfterAll
    static void putTheLabBack(Lab lab) {
        ApplyIT.Run back = ApplyIT.apply(lab);
        assertEquals(Exit.OK.code(), back.exit(), "the lab is put back: " + back.out() + back.err());
        lab.hosts().forEach(h -> lab.exec(h, "sh", "-c", "rm -f " + CONF + ".ntpdeploy-*"));
    }

    // ------------------------------------------------------------------------------------------- the faults

    @Test
    void sigkillAtTheTempFileMomentLeavesEveryHostWithTheOldOrNewFileWhole(Lab lab) throws Exception {
        Path inv = inventory(lab, Set.copyOf(lab.hosts()), true);
        Map<String, String> old = contents(lab);
        Map<String, String> next = ApplyIT.rendered(lab, inv, tmp);
        proxies.values().forEach(p -> slowUpload(p));
        Controller c = start(lab, inv, "apply");
        String caught = awaitAny(lab, "a partial temp file on some host", c, h -> partialTemp(lab, h, next.get(h)));
        // the controller dies with its machine: what it had sent but the link had not delivered never arrives
        c.kill();
        proxies.values().forEach(FaultProxy::cut);
        settle(lab);
        assertOldOrNewWhole(lab, old, next);
        assertEquals(old.get(caught), lab.fileContent(caught, CONF), caught + " was caught mid-upload: nothing installed");
        assertConverges(lab, inv, next);
    }

    @Test
    void sigkillAfterTheRenameStillRestartsTheDaemonOnTheHost(Lab lab) throws Exception {
        Path inv = inventory(lab, Set.copyOf(lab.hosts()), false);
        ApplyIT.touchAll(lab);
        Map<String, String> old = contents(lab);
        Map<String, String> next = ApplyIT.rendered(lab, inv, tmp);
        Map<String, Long> pids = ApplyIT.pids(lab);
        // every round trip takes long: the old upload-then-restart left a wide gap between the two commands
        proxies.values().forEach(p -> p.delayMs = 150);
        Controller c = start(lab, inv, "apply");
        String caught = awaitAny(lab, "a host with the new file", c, h -> next.get(h).equals(read(lab, h)));
        c.kill();
        settle(lab);
        assertOldOrNewWhole(lab, old, next);
        // no second apply: the host finished the change alone
        assertEquals(next.get(caught), lab.fileContent(caught, CONF));
        assertNotEquals(pids.get(caught), lab.ntpdPid(caught).orElse(-1), caught + ": ntpd restarted on the new file");
        for (String h : lab.hosts()) {
            if (next.get(h).equals(lab.fileContent(h, CONF))) {
                assertDaemonRunsTheFileOnDisk(lab, h); // (the others hold the file touchAll edited under their daemon)
            }
        }
        assertConverges(lab, inv, next);
    }

    @Test
    void aConnectionCutMidUploadInstallsNothingOnThatHostAndTheOthersAreApplied(Lab lab) throws Exception {
        Path inv = inventory(lab, Set.copyOf(lab.hosts()), true);
        Map<String, String> old = contents(lab);
        Map<String, String> next = ApplyIT.rendered(lab, inv, tmp);
        String victim = lab.clients().get(0);
        slowUpload(proxies.get(victim));
        Controller c = start(lab, inv, "apply", "--no-verify");
        awaitAny(lab, "a partial temp file on " + victim, c, h -> h.equals(victim) && partialTemp(lab, h, next.get(h)));
        proxies.get(victim).cut();
        ApplyIT.Run r = c.await();
        assertEquals(Exit.HOSTS_FAILED.code(), r.exit(), r.out() + r.err());
        assertTrue(r.line(victim).startsWith("unreachable: " + victim), r.line(victim));
        settle(lab);
        assertEquals(old.get(victim), lab.fileContent(victim, CONF), "the cut upload installed nothing");
        for (String h : lab.hosts()) {
            if (!h.equals(victim)) {
                assertTrue(r.line(h).startsWith("changed: " + h), r.line(h));
                assertEquals(next.get(h), lab.fileContent(h, CONF));
            }
        }
        assertOldOrNewWhole(lab, old, next);
        assertConverges(lab, inv, next);
    }

    /**
     * Run A's file is rejected by ntpd (rolled back), run B's is good, both at once: no rollback may restore over the
     * other run's install, and every host a run reports changed holds that run's file.
     */
    @Test
    void twoConcurrentAppliesNeverRollBackOverEachOther(Lab lab) throws Exception {
        Path good = inventory(lab, Set.copyOf(lab.hosts()), false, "'# run B'");
        Path bad = inventory(lab, Set.copyOf(lab.hosts()), false, "'serverr 10.99.0.1 iburst'");
        Map<String, String> old = contents(lab);
        Map<String, String> b = ApplyIT.rendered(lab, good, tmp);
        proxies.values().forEach(p -> p.delayMs = 40);
        Controller runA = start(lab, bad, "apply", "--no-verify");
        Controller runB = start(lab, good, "apply", "--no-verify");
        ApplyIT.Run ra = runA.await();
        ApplyIT.Run rb = runB.await();
        settle(lab);
        for (String h : lab.hosts()) {
            String line = rb.line(h);
            boolean bChanged = line.startsWith("changed: " + h);
            assertTrue(bChanged || line.contains("locked by another ntpdeploy run (run ")
                            || line.contains("changed on the host after this run read it"),
                    "B either changed the host or says why not: " + line);
            assertEquals(bChanged ? b.get(h) : old.get(h), lab.fileContent(h, CONF),
                    h + ": A: " + ra.line(h) + " / B: " + line);
            assertFalse(ra.line(h).startsWith("changed: "), "A's file is always rejected: " + ra.line(h));
            assertDaemonRunsTheFileOnDisk(lab, h);
        }
        assertNoTemps(lab);
        assertConverges(lab, good, b);
    }

    @Test
    void aSilentAndAHungClientDoNotHoldBackTheOthersChanges(Lab lab) throws Exception {
        String silent = lab.clients().get(0);
        String hung = lab.clients().get(1);
        // silent: its SSH port drops packets (nftables inside the host); hung: accepts and never answers
        ApplyIT.sh(lab, silent, "nft 'add table inet faults; add chain inet faults i { type filter hook input priority 0; };"
                + " add rule inet faults i tcp dport 22 drop'");
        proxies.get(hung).mode = FaultProxy.Mode.BLACKHOLE;
        Path inv = inventory(lab, Set.of(hung), false);
        ApplyIT.touchAll(lab);
        Map<String, String> next = ApplyIT.rendered(lab, inv, tmp);
        Controller c = start(lab, inv, "apply", "--no-verify", "--timeout", "30");
        ApplyIT.Run r = c.await();
        assertEquals(Exit.HOSTS_FAILED.code(), r.exit(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        int firstStraggler = Math.min(index(lines, silent), index(lines, hung));
        for (String h : lab.hosts()) {
            if (!h.equals(silent) && !h.equals(hung)) {
                assertTrue(r.line(h).startsWith("changed: " + h), r.line(h));
                assertTrue(index(lines, h) < firstStraggler, "changed before the stragglers were given up: " + r.out());
                assertEquals(next.get(h), lab.fileContent(h, CONF));
            }
        }
        assertTrue(r.line(silent).startsWith("unreachable: " + silent + " (" + silent + ": no answer from "), r.line(silent));
        assertTrue(r.line(hung).startsWith("unreachable: " + hung), r.line(hung));
        assertFalse(r.out().contains("although killed remotely"), "no command ever started there: " + r.out());
    }

    /** The safety net: a file changed after ntpd started (an interrupted run, an edit) is seen by verify and fixed by apply. */
    @Test
    void aDaemonOlderThanItsFileIsReportedByVerifyAndRestartedByApply(Lab lab) throws Exception {
        String victim = lab.clients().get(2);
        long pid = lab.ntpdPid(victim).orElseThrow();
        // the same bytes, written anew after the daemon started (as an interrupted run would leave it)
        ApplyIT.sh(lab, victim, "sleep 1; cp -p " + CONF + " /tmp/c; cat /tmp/c > " + CONF);
        ApplyIT.Run v = ApplyIT.ntpdeploy(lab, "verify", lab.inventory().toString(), "--known-hosts",
                lab.knownHosts().toString(), "--json");
        assertTrue(v.out().contains("\"code\" : \"CONFIG_NOT_LOADED\"") || v.out().contains("\"code\":\"CONFIG_NOT_LOADED\""),
                v.out());
        ApplyIT.Run r = ApplyIT.apply(lab);
        assertEquals(Exit.OK.code(), r.exit(), r.out() + r.err());
        assertEquals("changed: " + victim + " (restarted ntpsec (config changed after ntpd started))", r.line(victim));
        assertNotEquals(pid, lab.ntpdPid(victim).orElse(-1));
        assertDaemonRunsTheFileOnDisk(lab, victim);
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** The shaded jar as a child process (so SIGKILL is real), output to files. */
    final class Controller {
        final Process p;
        final Path out;
        final Path err;

        Controller(Process p, Path out, Path err) {
            this.p = p;
            this.out = out;
            this.err = err;
        }

        void kill() throws InterruptedException {
            p.destroyForcibly(); // SIGKILL: no hook, no report, its sockets closed by the kernel
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }

        ApplyIT.Run await() throws Exception {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("ntpdeploy did not finish in 5 minutes: " + Files.readString(err));
            }
            return new ApplyIT.Run(p.exitValue(), Files.readString(out), Files.readString(err));
        }

        String output() throws IOException {
            return Files.readString(out) + Files.readString(err);
        }
    }

    Controller start(Lab lab, Path inventory, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", System.getProperty("ntpdeploy.jar",
                lab.projectDir().resolve("target/ntpdeploy.jar").toString())));
        argv.addAll(List.of(args));
        argv.addAll(List.of(inventory.toString(), "--known-hosts", tmp.resolve("known_hosts").toString()));
        if (!List.of(args).contains("--no-verify") && args[0].equals("apply")) {
            argv.add("--no-verify");
        }
        Path out = Files.createTempFile(tmp, "run", ".out");
        Path err = Files.createTempFile(tmp, "run", ".err");
        Process p = new ProcessBuilder(argv).directory(lab.projectDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Controller(p, out, err);
    }

    /**
     * The lab inventory with {@code proxied} hosts reached through their proxies (clients still reach the master at
     * its lab address), optional padding that makes the upload long, and optional extra lines for every host.
     */
    Path inventory(Lab lab, Set<String> proxied, boolean padded, String... extra) throws IOException {
        String text = Files.readString(lab.inventory());
        List<String> known = new ArrayList<>(Files.readAllLines(lab.knownHosts()));
        for (String h : lab.hosts()) {
            if (!proxied.contains(h)) {
                continue;
            }
            String addr = lab.address(h);
            int port = proxies.get(h).port();
            String was = "          ansible_host: " + addr + "\n";
            assertTrue(text.contains(was), text);
            text = text.replace(was, "          ansible_host: 127.0.0.1\n          ansible_port: " + port + "\n"
                    + "          ntp_server_address: " + addr + "\n");
            known.add("[127.0.0.1]:" + port + " " + ApplyIT.keyOf(Files.readAllLines(lab.knownHosts()), h));
        }
        List<String> lines = new ArrayList<>(List.of(extra));
        if (padded) {
            for (int i = 0; i < 400; i++) {
                lines.add(String.format("'# FaultsIT: padding that makes the upload take a while, line %04d %s'", i,
                        "x".repeat(100)));
            }
        }
        if (!lines.isEmpty()) {
            text = text.replace("  vars:\n", "  vars:\n    ntp_extra: [" + String.join(", ", lines) + "]\n");
        }
        Files.write(tmp.resolve("known_hosts"), known);
        Path inv = Files.createTempFile(tmp, "faults", ".yml");
        Files.writeString(inv, text);
        return inv;
    }

    /** A slow upload: 2 KiB chunks towards sshd, 100 ms apart (the padded file takes a few seconds). */
    static void slowUpload(FaultProxy p) {
        p.upstreamBytesPerChunk = 2048;
        p.delayMs = 100;
    }

    static Map<String, String> contents(Lab lab) {
        Map<String, String> m = new HashMap<>();
        lab.hosts().forEach(h -> m.put(h, lab.fileContent(h, CONF)));
        return m;
    }

    static String read(Lab lab, String h) {
        try {
            return Files.readString(lab.hostPath(h, CONF));
        } catch (IOException e) {
            return "";
        }
    }

    /** A temp file of ours beside the config that holds part, but not all, of the new file. */
    static boolean partialTemp(Lab lab, String h, String full) {
        try (Stream<Path> s = Files.list(lab.hostPath(h, "/etc/ntpsec"))) {
            return s.filter(p -> p.getFileName().toString().matches("\\.ntpdeploy\\.[A-Za-z0-9]{6}")).anyMatch(p -> {
                try {
                    long n = Files.size(p);
                    return n > 0 && n < full.length();
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    interface HostCheck {
        boolean test(String host);
    }

    /** Polls the hosts closely until one shows the moment; fails if the run ends first or the deadline passes. */
    static String awaitAny(Lab lab, String what, Controller c, HostCheck check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            for (String h : lab.hosts()) {
                if (check.test(h)) {
                    return h;
                }
            }
            if (!c.p.isAlive()) {
                throw new AssertionError("the run ended before " + what + ": " + c.output());
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + what + " within 3 minutes: " + c.output());
    }

    /** Waits until no host's lock is held (every change unit, detached or not, has finished). */
    static void settle(Lab lab) throws Exception {
        awaitTrue("every host's lock released", () -> lab.hosts().stream().allMatch(h ->
                lab.exec(h, "sh", "-c", "[ ! -e /run/lock/ntpdeploy.lock ] || flock -n /run/lock/ntpdeploy.lock true")
                        .exitCode() == 0));
    }

    static void awaitTrue(String what, BooleanSupplier cond) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_S);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + SETTLE_S + " s: " + what);
            Thread.sleep(100);
        }
    }

    static void assertOldOrNewWhole(Lab lab, Map<String, String> old, Map<String, String> next) {
        for (String h : lab.hosts()) {
            String now = lab.fileContent(h, CONF);
            assertTrue(now.equals(old.get(h)) || now.equals(next.get(h)),
                    h + ": neither the old nor the new file (" + now.length() + " bytes)");
            assertTrue(lab.ntpdPid(h).isPresent(), h + ": ntpd running");
        }
        assertNoTemps(lab);
    }

    static void assertNoTemps(Lab lab) {
        for (String h : lab.hosts()) {
            ExecResult temps = lab.exec(h, "sh", "-c", "ls -A /etc/ntpsec | grep '^\\.ntpdeploy' || true");
            assertEquals("", temps.stdout().strip(), h + ": temp files left");
        }
    }

    /** ntpd started after its config file last changed (ps etimes against the file's age, on the host's clock). */
    static void assertDaemonRunsTheFileOnDisk(Lab lab, String h) {
        ExecResult r = lab.exec(h, "sh", "-c", "echo $(ps -o etimes= -p $(cat /run/ntpd.pid)) "
                + "$(( $(date +%s) - $(stat -c %Y " + CONF + ") ))");
        String[] f = r.stdout().strip().split("\\s+");
        assertEquals(2, f.length, h + ": " + r.stdout() + r.stderr());
        long daemonAge = Long.parseLong(f[0]);
        long fileAge = Long.parseLong(f[1]);
        assertTrue(fileAge >= daemonAge, h + ": ntpd started " + daemonAge + " s ago, before its file changed ("
                + fileAge + " s ago): it runs an older config");
    }

    /** A following apply (no fault) leaves every host on the new file with a daemon running it. */
    void assertConverges(Lab lab, Path inv, Map<String, String> next) throws Exception {
        proxies.values().forEach(FaultProxy::reset);
        ApplyIT.Run r = start(lab, inv, "apply", "--no-verify").await();
        assertEquals(Exit.OK.code(), r.exit(), r.out() + r.err());
        for (String h : lab.hosts()) {
            assertEquals(next.get(h), lab.fileContent(h, CONF), h);
            assertDaemonRunsTheFileOnDisk(lab, h);
        }
        assertNoTemps(lab);
    }

    static int index(List<String> lines, String host) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^(ok|changed|failed|unreachable|skipped): " + host + "( .*)?$")) {
                return i;
            }
        }
        throw new AssertionError("no line for " + host + " in " + lines);
    }
}

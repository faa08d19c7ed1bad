package dev.ntpdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.lab.Eventually;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import dev.ntpdeploy.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntpdeploy apply} against the lab: real sshd, real ntpd, the shaded jar as operators run it.
 * Every test ends with the lab applied (each host on its rendered config, ntpd running) for the next.
 * What is checked on the hosts is read through the lab's own access, not through ntpdeploy's SSH.
 */
@ExtendWith(LabExtension.class)
class ApplyIT {

    static final String CONF = "/etc/ntpsec/ntp.conf";

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        /** The per-host result line printed for {@code host}, e.g. "changed: lab-h2 (...)". */
        String line(String host) {
            return out.lines().filter(l -> l.matches("^(ok|changed|failed|unreachable|skipped): " + host + "( .*)?$"))
                    .findFirst().orElse("<no line for " + host + ">\n" + out + err);
        }
    }

    /** Runs the shaded jar as an operator would; output goes to files (nothing to drain, no pipe to fill). */
    static Run ntpdeploy(Lab lab, String... args) {
        return ntpdeploy(lab, Map.of(), args);
    }

    /** {@link #ntpdeploy(Lab, String...)} with these variables added to (or replacing) the environment. */
    static Run ntpdeploy(Lab lab, Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", System.getProperty("ntpdeploy.jar",
                lab.projectDir().resolve("target/ntpdeploy.jar").toString())));
        argv.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("ntpdeploy-it", ".out");
            Path err = Files.createTempFile("ntpdeploy-it", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(argv).directory(lab.projectDir().toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("ntpdeploy " + String.join(" ", args) + " did not finish in 5 minutes:\n--- stdout:\n"
                            + Files.readString(out) + "--- stderr:\n" + Files.readString(err));
                }
                return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * apply without its closing verification: these tests are about what apply changes on the hosts, and
     * waiting for sync after every run would make them minutes longer (VerifyIT and the first test here
     * cover apply's verification).
     */
    static Run apply(Lab lab, Path inventory, Path knownHosts, String... more) {
        List<String> args = new ArrayList<>(List.of(more));
        args.add("--no-verify");
        return applyVerified(lab, inventory, knownHosts, args.toArray(String[]::new));
    }

    /** apply as an operator runs it: ends by waiting for the fleet to be in sync. */
    static Run applyVerified(Lab lab, Path inventory, Path knownHosts, String... more) {
        List<String> args = new ArrayList<>(List.of("apply", inventory.toString(), "--known-hosts", knownHosts.toString()));
        args.addAll(List.of(more));
        return ntpdeploy(lab, args.toArray(String[]::new));
    }

    static Run apply(Lab lab, String... more) {
        return apply(lab, lab.inventory(), lab.knownHosts(), more);
    }

    /** What each host must end up with, from ntpdeploy's own render command. */
    Map<String, String> rendered(Lab lab, Path inventory) throws IOException {
        return rendered(lab, inventory, tmp);
    }

    /** What each host must end up with, rendered into a directory under {@code tmp}. */
    static Map<String, String> rendered(Lab lab, Path inventory, Path tmp) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "rendered");
        Run r = ntpdeploy(lab, "render", inventory.toString(), "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        Map<String, String> m = new HashMap<>();
        for (String h : lab.hosts()) {
            m.put(h, Files.readString(dir.resolve(h + ".conf")));
        }
        return m;
    }

    static void sh(Lab lab, String host, String script) {
        ExecResult r = lab.exec(host, "sh", "-c", script);
        assertEquals(0, r.exitCode(), host + ": " + script + ": " + r.stderr());
    }

    /** Makes every host's config differ from the rendered one (as a fresh or drifted host would). */
    static void touchAll(Lab lab) {
        for (String h : lab.hosts()) {
            sh(lab, h, "echo '# changed by ApplyIT' >> " + CONF);
        }
    }

    static Map<String, Long> pids(Lab lab) {
        Map<String, Long> m = new HashMap<>();
        for (String h : lab.hosts()) {
            OptionalLong p = lab.ntpdPid(h);
            assertTrue(p.isPresent(), h + ": ntpd is not running");
            m.put(h, p.getAsLong());
        }
        return m;
    }

    void assertAppliedEverywhere(Lab lab, Map<String, String> expected) {
        for (String h : lab.hosts()) {
            assertEquals(expected.get(h), lab.fileContent(h, CONF), h + ": config on the host");
            assertTrue(lab.ntpdPid(h).isPresent(), h + ": ntpd running");
        }
    }

    /** Apply's timestamped backups are what it should leave on a host, but not what other IT classes expect. */
    @AfterEach
    void removeBackups(Lab lab) {
        for (String h : lab.hosts()) {
            lab.exec(h, "sh", "-c", "rm -f " + CONF + ".ntpdeploy-*");
        }
    }

    @Test
    void firstApplyChangesEveryHostAndTheSecondChangesNothing(Lab lab) throws IOException {
        touchAll(lab);
        sh(lab, lab.clients().get(0), "systemctl stop ntpsec");
        Map<String, String> expected = rendered(lab, lab.inventory());

        Run first = applyVerified(lab, lab.inventory(), lab.knownHosts());
        assertEquals(Exit.OK.code(), first.exit(), "applied and verified in sync: " + first.out() + first.err());
        for (String h : lab.hosts()) {
            assertTrue(first.line(h).startsWith("changed: " + h + " (uploaded " + CONF + " (content differs); "),
                    first.line(h));
        }
        assertTrue(first.out().contains("TOTAL") && first.out().contains("changed=" + lab.hosts().size()), first.out());
        assertAppliedEverywhere(lab, expected);

        Map<String, Long> pidsBefore = pids(lab);
        Map<String, Instant> mtimes = new HashMap<>();
        lab.hosts().forEach(h -> mtimes.put(h, lab.fileMtime(h, CONF)));
        Run second = apply(lab);
        assertEquals(Exit.OK.code(), second.exit(), second.out() + second.err());
        for (String h : lab.hosts()) {
            assertEquals("ok: " + h + " (no change)", second.line(h));
            assertEquals(mtimes.get(h), lab.fileMtime(h, CONF), h + ": no upload on the second run");
        }
        assertEquals(pidsBefore, pids(lab), "no restart on the second run");
    }

    @Test
    void handEditShowsInDryRunTouchesNothingThenOnlyThatHostIsFixed(Lab lab) throws IOException {
        Map<String, String> expected = rendered(lab, lab.inventory());
        assertEquals(Exit.OK.code(), apply(lab).exit());
        String edited = lab.clients().get(1);
        sh(lab, edited, "echo 'server 10.99.0.1 iburst' >> " + CONF);
        Instant mtime = lab.fileMtime(edited, CONF);
        Map<String, Long> pidsBefore = pids(lab);

        Run dry = apply(lab, "--dry-run");
        assertEquals(Exit.OK.code(), dry.exit(), dry.out() + dry.err());
        assertTrue(dry.out().contains("would change 1 of " + lab.hosts().size() + " hosts"), dry.out());
        List<String> diff = dry.out().lines().filter(l -> l.startsWith("+") || l.startsWith("-")).toList();
        assertEquals(List.of("--- a/etc/ntpsec/ntp.conf\t" + edited + " (on host)",
                "+++ b/etc/ntpsec/ntp.conf\t" + edited + " (rendered)",
                "-server 10.99.0.1 iburst"), diff, dry.out());
        assertTrue(dry.line(edited).startsWith("changed: " + edited + " (would upload " + CONF), dry.line(edited));
        assertEquals(mtime, lab.fileMtime(edited, CONF), "dry run must not upload");
        assertEquals(pidsBefore, pids(lab), "dry run must not restart");
        ExecResult temps = lab.exec(edited, "sh", "-c", "ls -a /etc/ntpsec | grep -c '^\\.ntpdeploy' || true");
        assertEquals("0", temps.stdout().strip(), "dry run must not leave temp files");

        Run fix = apply(lab);
        assertEquals(Exit.OK.code(), fix.exit(), fix.out() + fix.err());
        assertTrue(fix.line(edited).startsWith("changed: " + edited), fix.line(edited));
        for (String h : lab.hosts()) {
            if (!h.equals(edited)) {
                assertEquals("ok: " + h + " (no change)", fix.line(h));
                assertEquals(pidsBefore.get(h), lab.ntpdPid(h).orElse(-1), h + " must not be restarted");
            }
        }
        assertNotEquals(pidsBefore.get(edited), lab.ntpdPid(edited).orElse(-1), edited + " restarted");
        assertAppliedEverywhere(lab, expected);
    }

    @Test
    void configTheDaemonRejectsIsRolledBackAndReportedWithNtpdsError(Lab lab) throws IOException {
        Map<String, String> expected = rendered(lab, lab.inventory());
        assertEquals(Exit.OK.code(), apply(lab).exit());
        String victim = lab.clients().get(2);
        // a keyword our validation lets through (it is just a line) but ntpd does not know
        Path bad = tmp.resolve("bad.yml");
        Files.writeString(bad, Files.readString(lab.inventory()).replace(
                "        " + victim + ":\n", "        " + victim + ":\n          ntp_extra: ['serverr 10.99.0.1 iburst']\n"));
        assertNotEquals(Files.readString(lab.inventory()), Files.readString(bad), "inventory rewrite took");

        Run r = apply(lab, bad, lab.knownHosts());
        assertEquals(Exit.HOSTS_FAILED.code(), r.exit(), r.out() + r.err());
        String line = r.line(victim);
        assertTrue(line.startsWith("failed: " + victim + " (ntpd rejected config lines: "), line);
        assertTrue(line.contains("CONFIG: line ") && line.contains(" syntax error"), line);
        assertTrue(line.contains("previous config restored, ntpd running again"), line);
        for (String h : lab.hosts()) {
            if (!h.equals(victim)) {
                assertEquals("ok: " + h + " (no change)", r.line(h));
            }
        }
        assertAppliedEverywhere(lab, expected);
        ExecResult backups = lab.exec(victim, "sh", "-c", "ls " + CONF + ".ntpdeploy-* | wc -l");
        int n = Integer.parseInt(backups.stdout().strip());
        assertTrue(n >= 1 && n <= 5, "timestamped backups kept beside the file (at most 5): " + n);
    }

    @Test
    void unreachableHostAndWrongHostKeyAreReportedAndTheRestIsApplied(Lab lab) throws IOException {
        Map<String, String> expected = rendered(lab, lab.inventory());
        String down = lab.clients().get(0);
        String spoofed = lab.clients().get(1);
        // a known_hosts copy in which the spoofed host's entries carry the master's key
        String masterKey = keyOf(Files.readAllLines(lab.knownHosts()), lab.master());
        List<String> wrong = Files.readAllLines(lab.knownHosts()).stream().map(l -> {
            String[] f = l.split(" ");
            return f.length >= 3 && (f[0].equals(spoofed) || f[0].equals(lab.address(spoofed)))
                    ? f[0] + " " + masterKey : l;
        }).toList();
        Path knownHosts = tmp.resolve("known_hosts");
        Files.write(knownHosts, wrong);
        touchAll(lab);
        lab.stopSshd(down);
        try {
            Run r = apply(lab, lab.inventory(), knownHosts);
            assertEquals(Exit.HOSTS_FAILED.code(), r.exit(), r.out() + r.err());
            assertTrue(r.line(down).startsWith("unreachable: " + down + " ("), r.line(down));
            assertTrue(r.line(spoofed).startsWith("unreachable: " + spoofed + " ("), r.line(spoofed));
            assertTrue(r.line(spoofed).contains("SHA256:"), "names the key's fingerprint: " + r.line(spoofed));
            for (String h : lab.hosts()) {
                if (!h.equals(down) && !h.equals(spoofed)) {
                    assertTrue(r.line(h).startsWith("changed: " + h), r.line(h));
                    assertEquals(expected.get(h), lab.fileContent(h, CONF));
                }
            }
            assertTrue(lab.fileContent(spoofed, CONF).endsWith("# changed by ApplyIT\n"), "nothing sent to the spoofed host");
        } finally {
            lab.startSshd(down);
            Run restore = apply(lab);
            assertEquals(Exit.OK.code(), restore.exit(), restore.out() + restore.err());
        }
        assertAppliedEverywhere(lab, expected);
    }

    @Test
    void becomeThroughTheNonRootSudoUser(Lab lab) throws IOException {
        Path inv = tmp.resolve("become.yml");
        String text = Files.readString(lab.inventory());
        assertTrue(text.contains("    ansible_user: root\n"), text);
        Files.writeString(inv, text.replace("    ansible_user: root\n",
                "    ansible_user: " + Lab.SUDO_USER + "\n    ansible_become: true\n"));
        Map<String, String> expected = rendered(lab, inv);
        touchAll(lab);
        Run r = apply(lab, inv, lab.knownHosts(), "--json");
        assertEquals(Exit.OK.code(), r.exit(), r.out() + r.err());
        assertTrue(r.out().strip().startsWith("{") && r.out().strip().endsWith("}"), "stdout is one JSON document");
        assertTrue(r.out().contains("\"changed\" : " + lab.hosts().size()), r.out());
        for (String h : lab.hosts()) {
            assertTrue(r.out().contains("\"host\" : \"" + h + "\""), r.out());
        }
        assertAppliedEverywhere(lab, expected);
        for (String h : lab.hosts()) {
            ExecResult owner = lab.exec(h, "stat", "-c", "%a %U %G", CONF);
            assertEquals("644 root root", owner.stdout().strip(), h + ": installed as root through sudo");
        }
    }

    @Test
    void ctrlCLetsInFlightHostsFinishSkipsTheRestAndPrintsTheRecap(Lab lab) throws Exception {
        Map<String, String> expected = rendered(lab, lab.inventory());
        assertEquals(Exit.OK.code(), apply(lab).exit(), "every ntpd runs before the interrupted run");
        touchAll(lab);
        Path out = tmp.resolve("int.out");
        Path err = tmp.resolve("int.err");
        Process p = new ProcessBuilder("java", "-jar", System.getProperty("ntpdeploy.jar",
                lab.projectDir().resolve("target/ntpdeploy.jar").toString()), "apply", lab.inventory().toString(),
                "--known-hosts", lab.knownHosts().toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            Eventually.await("apply to start applying", Duration.ofMinutes(2))
                    .unless(() -> p.isAlive() ? null : "apply exited with " + p.exitValue() + " before it was interrupted")
                    .evidence(() -> "--- apply stdout:\n" + readOrEmpty(out) + "--- apply stderr:\n" + readOrEmpty(err))
                    .until(() -> Files.readString(err).contains("apply: changing the masters"));
        } catch (AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
        // what Ctrl-C sends; the masters are being applied now
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "apply ends after Ctrl-C");
        String text = Files.readString(out);
        assertEquals(Exit.HOSTS_FAILED.code(), p.exitValue(), "an interrupted apply exits 4 (not the JVM's 130): " + text
                + Files.readString(err));
        assertTrue(text.contains("TOTAL"), "the recap is printed: " + text);
        for (String h : lab.hosts()) {
            String line = new Run(0, text, "").line(h);
            assertTrue(line.startsWith("changed: " + h) || line.startsWith("skipped: " + h), line);
            assertTrue(lab.ntpdPid(h).isPresent(), h + ": ntpd running after the interrupt");
        }
        Run finish = apply(lab);
        assertEquals(Exit.OK.code(), finish.exit(), finish.out() + finish.err());
        assertAppliedEverywhere(lab, expected);
    }

    static String readOrEmpty(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e.getMessage() + ")\n";
        }
    }

    static String keyOf(List<String> knownHosts, String host) {
        return knownHosts.stream().map(l -> l.split(" ")).filter(f -> f.length >= 3 && f[0].equals(host))
                .map(f -> f[1] + " " + f[2]).findFirst().orElseThrow(() -> new AssertionError("no key for " + host));
    }
}

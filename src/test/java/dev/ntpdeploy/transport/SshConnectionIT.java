package dev.ntpdeploy.transport;

import dev.ntpdeploy.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.Logging;
import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.inventory.ConnectionSpec;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.InventoryLoader;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.ops.ChangeUnit;
import dev.ntpdeploy.ops.PutFile;
import dev.ntpdeploy.ops.RunId;
import dev.ntpdeploy.ops.UnitReport;
import dev.ntpdeploy.lab.LabExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The sshj transport against the lab's real sshd: host keys, exec, timeouts, sudo, atomic install, parallel opens. */
@ExtendWith(LabExtension.class)
class SshConnectionIT {

    private static final Duration T = Duration.ofSeconds(20);

    static {
        Logging.configure(false);
    }

    @TempDir
    Path tmp;

    private TransportOptions options(Lab lab, boolean acceptNew) {
        // never the real ~/.ssh/known_hosts: a private "user" file per test
        return TransportOptions.defaults().withKnownHosts(tmp.resolve("home/.ssh/known_hosts"), List.of(lab.knownHosts()))
                .withAcceptNewHostKeys(acceptNew);
    }

    private Credentials credentials(TransportOptions o, Map<String, String> env) throws TransportException {
        return Credentials.resolve(o, env, p -> null, tmp.resolve("home/.ssh"));
    }

    private static ConnectionSpec spec(Lab lab, String host, String user, boolean become) {
        return new ConnectionSpec(lab.address(host), 22, user, Optional.of(lab.clientKey()), become, "root");
    }

    private SshConnection open(Lab lab, String host, String user, boolean become, Map<String, String> env) throws IOException {
        TransportOptions o = options(lab, false);
        return SshConnection.open(host, spec(lab, host, user, become), o, SshDialer.hostKeyPolicy(o), credentials(o, env));
    }

    private SshConnection open(Lab lab, String host) throws IOException {
        return open(lab, host, "root", false, Map.of());
    }

    /** The SHA256 fingerprint of a host's key as OpenSSH computes it from the lab's known_hosts line. */
    private static String labFingerprint(Lab lab, String host) throws Exception {
        for (String line : Files.readAllLines(lab.knownHosts())) {
            String[] f = line.split(" ");
            if (f[0].equals(lab.address(host))) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(f[2]));
                return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
            }
        }
        throw new IllegalStateException("no known_hosts line for " + host);
    }

    @Test
    void strictHostKeyCheckingAcceptsTheRightKey(Lab lab) throws Exception {
        open(lab, lab.master()).close(); // warm up the JVM's crypto so the figure below is a steady one
        long start = System.nanoTime();
        try (SshConnection c = open(lab, lab.master())) {
            long connected = System.nanoTime();
            ExecResult r = c.exec("hostname", null, T);
            System.out.printf("[measure] one host: connect+auth %d ms, exec %d ms%n",
                    (connected - start) / 1_000_000, (System.nanoTime() - connected) / 1_000_000);
            assertEquals(lab.master() + "\n", r.stdout());
        }
    }

    @Test
    void aWrongHostKeyMakesTheHostUnreachableAndNothingRuns(Lab lab) throws Exception {
        String victim = lab.clients().get(0);
        String other = lab.clients().get(1);
        // victim's address listed with another host's key: what a man in the middle would look like
        String otherKey = Files.readAllLines(lab.knownHosts()).stream()
                .filter(l -> l.startsWith(lab.address(other) + " ")).findFirst().orElseThrow();
        Path wrong = tmp.resolve("wrong_known_hosts");
        Files.writeString(wrong, otherKey.replaceFirst("^\\S+", lab.address(victim)) + "\n");
        lab.exec(victim, "rm", "-f", "/root/ntpdeploy-marker");
        TransportOptions o = TransportOptions.defaults().withKnownHosts(tmp.resolve("home/.ssh/known_hosts"), List.of(wrong))
                .withAcceptNewHostKeys(true);
        TransportException e = assertThrows(TransportException.class, () -> SshConnection.open(victim,
                spec(lab, victim, "root", false), o, SshDialer.hostKeyPolicy(o), credentials(o, Map.of()))
                .exec("touch /root/ntpdeploy-marker", null, T));
        assertTrue(e.getMessage().startsWith(victim + ": REMOTE HOST KEY CHANGED for " + lab.address(victim)), e.getMessage());
        assertTrue(e.getMessage().contains(labFingerprint(lab, victim)), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-keygen -R"), e.getMessage());
        assertNotEquals(0, lab.exec(victim, "test", "-e", "/root/ntpdeploy-marker").exitCode(), "nothing ran");
        assertFalse(Files.exists(tmp.resolve("home/.ssh/known_hosts")), "a changed key is never recorded");
    }

    @Test
    void anUnknownHostIsRefusedThenTrustedOnFirstUseWithAHashedLine(Lab lab) throws Exception {
        String host = lab.clients().get(0);
        Path userFile = tmp.resolve("home/.ssh/known_hosts");
        TransportOptions strict = TransportOptions.defaults().withKnownHosts(userFile, List.of());
        TransportException e = assertThrows(TransportException.class, () -> SshConnection.open(host,
                spec(lab, host, "root", false), strict, SshDialer.hostKeyPolicy(strict), credentials(strict, Map.of())));
        assertTrue(e.getMessage().contains("is unknown"), e.getMessage());
        assertTrue(e.getMessage().contains(labFingerprint(lab, host)), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-keyscan -t ed25519 " + lab.address(host)), e.getMessage());

        TransportOptions tofu = strict.withAcceptNewHostKeys(true);
        try (SshConnection c = SshConnection.open(host, spec(lab, host, "root", false), tofu, SshDialer.hostKeyPolicy(tofu),
                credentials(tofu, Map.of()))) {
            assertEquals(0, c.exec("true", null, T).exitCode());
        }
        List<String> lines = Files.readAllLines(userFile);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("|1|") && !lines.get(0).contains(lab.address(host)), lines.get(0));

        try (SshConnection c = SshConnection.open(host, spec(lab, host, "root", false), strict, SshDialer.hostKeyPolicy(strict),
                credentials(strict, Map.of()))) {
            assertEquals(0, c.exec("true", null, T).exitCode(), "strict checking now knows the host");
        }
        assertEquals(0, lab.ssh("root", host, "true", userFile).exitCode(), "OpenSSH reads the recorded line too");
        assertEquals(1, Files.readAllLines(userFile).size(), "nothing appended for a known host");
    }

    @Test
    void execReturnsExitCodeStdoutAndStderr(Lab lab) throws Exception {
        try (SshConnection c = open(lab, lab.master())) {
            ExecResult r = c.exec("echo out; echo err >&2; printf '%s' \"it's $LC_ALL\"; exit 7", null, T);
            assertEquals(new ExecResult(7, "out\nit's C", "err\n"), r);
            assertEquals("a\nb", c.exec("cat", "a\nb".getBytes(StandardCharsets.UTF_8), T).stdout());
        }
    }

    @Test
    void largeOutputOnBothStreamsAtOnceDoesNotHang(Lab lab) throws Exception {
        try (SshConnection c = open(lab, lab.master())) {
            ExecResult r = c.exec("head -c 1048576 /dev/zero | tr '\\0' o & head -c 1048576 /dev/zero | tr '\\0' e >&2; wait",
                    null, T);
            assertEquals(0, r.exitCode());
            assertEquals(1 << 20, r.stdout().length());
            assertEquals(1 << 20, r.stderr().length());
            assertTrue(r.stdout().chars().allMatch(ch -> ch == 'o') && r.stderr().chars().allMatch(ch -> ch == 'e'));
        }
    }

    @Test
    void largeStdinReachesTheCommand(Lab lab) throws Exception {
        byte[] data = new byte[3 << 20];
        ThreadLocalRandom.current().nextBytes(data);
        try (SshConnection c = open(lab, lab.master())) {
            ExecResult r = c.exec("sha256sum", data, T);
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), r.stdout().split(" ")[0]);
        }
    }

    @Test
    void aHungCommandIsKilledAtItsBudgetAndTheConnectionStaysUsable(Lab lab) throws Exception {
        String host = lab.clients().get(0);
        try (SshConnection c = open(lab, host)) {
            // a result (not the watchdog's exception) with timeout's 124 means the remote side killed it at 2 s.
            // Lab hosts share the machine's pid namespace, and other labs run this same test: the sleep's
            // argument is unique to this run, so pgrep cannot see theirs.
            String sleep = "sleep 97." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
            ExecResult r = c.exec(sleep, null, Duration.ofSeconds(2));
            assertEquals(124, r.exitCode(), "timeout's exit code");
            ExecResult left = lab.exec(host, "pgrep", "-af", sleep);
            assertNotEquals(0, left.exitCode(), "the remote sleep is gone: " + left.stdout());
            assertEquals(0, c.exec("true", null, T).exitCode());
        }
    }

    @Test
    void becomeThroughTheSudoUserRunsAsRootWithStdinIntact(Lab lab) throws Exception {
        byte[] payload = "line 1\nit's $(not run) `nor this`\n\u00e9\n".getBytes(StandardCharsets.UTF_8);
        try (SshConnection c = open(lab, lab.master(), Lab.SUDO_USER, true, Map.of())) {
            assertEquals("4242\n", c.exec("id -u", null, T).stdout());
            ExecResult r = c.execPrivileged("id -u; cat", payload, T);
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("0\n" + new String(payload, StandardCharsets.UTF_8), r.stdout());
        }
    }

    @Test
    void aBecomePasswordNeverLeaksIntoStdinWhenSudoNeedsNone(Lab lab) throws Exception {
        // labops has NOPASSWD: the password line must be dropped, not handed to the command
        try (SshConnection c = open(lab, lab.master(), Lab.SUDO_USER, true,
                Map.of(Credentials.ENV_BECOME_PASSWORD, "not-needed-pw"))) {
            ExecResult r = c.execPrivileged("id -u; cat", "payload\n".getBytes(StandardCharsets.UTF_8), T);
            assertEquals("0\npayload\n", r.stdout(), r.stderr());
        }
    }

    @Test
    void becomeWithASudoPasswordOnARealHost(Lab lab) throws Exception {
        String host = lab.clients().get(lab.clients().size() - 1);
        String sudoers = lab.fileContent(host, "/etc/sudoers.d/labops");
        String shadow = lab.fileContent(host, "/etc/shadow");
        try {
            // labops now needs its password for sudo (files rewritten in place: they are bind mounts)
            ExecResult set = lab.exec(host, "sh", "-c",
                    "h=$(openssl passwd -6 'Corr3ct horse') && s=$(sed \"s|^labops:[^:]*:|labops:$h:|\" /etc/shadow)"
                            + " && printf '%s\\n' \"$s\" > /etc/shadow"
                            + " && printf 'labops ALL=(ALL:ALL) ALL\\n' > /etc/sudoers.d/labops");
            assertEquals(0, set.exitCode(), set.stderr());
            byte[] payload = "first\nsecond line, 'quoted'\n".getBytes(StandardCharsets.UTF_8);
            try (SshConnection c = open(lab, host, Lab.SUDO_USER, true, Map.of(Credentials.ENV_BECOME_PASSWORD, "Corr3ct horse"))) {
                ExecResult r = c.execPrivileged("id -u; cat", payload, T);
                assertEquals("0\n" + new String(payload, StandardCharsets.UTF_8), r.stdout(), r.stderr());
                assertFalse(r.stderr().contains("Corr3ct"), "the password is never echoed");
            }
            try (SshConnection c = open(lab, host, Lab.SUDO_USER, true, Map.of(Credentials.ENV_BECOME_PASSWORD, "wrong one"))) {
                BecomeException e = assertThrows(BecomeException.class, () -> c.execPrivileged("id -u", null, T));
                assertTrue(e.getMessage().contains("rejected the become password"), e.getMessage());
                assertFalse(e.getMessage().contains("wrong one"));
            }
            try (SshConnection c = open(lab, host, Lab.SUDO_USER, true, Map.of())) {
                BecomeException e = assertThrows(BecomeException.class, () -> c.execPrivileged("id -u", null, T));
                assertTrue(e.getMessage().contains("needs a password") && e.getMessage().contains("--ask-become-pass"),
                        e.getMessage());
            }
        } finally {
            lab.exec(host, "sh", "-c", "cat > /etc/sudoers.d/labops <<'EOF'\n" + sudoers + "EOF\ncat > /etc/shadow <<'EOF'\n"
                    + shadow + "EOF\n");
        }
        assertEquals(sudoers, lab.fileContent(host, "/etc/sudoers.d/labops"), "host restored");
    }

    @Test
    void privilegedWithoutBecomeSaysToSetIt(Lab lab) throws Exception {
        try (SshConnection c = open(lab, lab.master(), Lab.SUDO_USER, false, Map.of())) {
            BecomeException e = assertThrows(BecomeException.class, () -> c.execPrivileged("id -u", null, T));
            assertTrue(e.getMessage().contains("ansible_become: true"), e.getMessage());
        }
    }

    /** The change unit through sudo: its detached part (setsid) runs as root, the file arrives whole, backups pruned. */
    @Test
    void installsAtomicallyThroughSudoWithModeOwnerAndPrunedBackups(Lab lab) throws Exception {
        String host = lab.clients().get(1);
        String path = "/etc/ntpsec/ntpdeploy-it.conf";
        lab.exec(host, "sh", "-c", "rm -f /etc/ntpsec/ntpdeploy-it.conf*; echo old > " + path
                + "; for t in 20200101T000000 20210101T000000 20220101T000000; do echo $t > " + path + ".ntpdeploy-$t; done");
        try (SshConnection c = open(lab, host, Lab.SUDO_USER, true, Map.of())) {
            byte[] content = "server 10.126.0.1 iburst\n".getBytes(StandardCharsets.UTF_8);
            ChangeUnit unit = new ChangeUnit(path, Optional.of(new PutFile(path, content, "0644", "root", "root",
                    List.of(PutFile.Change.of(PutFile.Reason.CONTENT)))), Sha256.hex("old\n".getBytes(StandardCharsets.UTF_8)),
                    Optional.empty(), 2, RunId.current(), ChangeUnit.Places.HOST);
            ExecResult r = c.execPrivileged(unit.command(), unit.stdin(), ChangeUnit.TIMEOUT);
            UnitReport report = UnitReport.parse(r.stdout());
            assertTrue(report.ended() && report.installed(), r.stdout() + r.stderr());
            Optional<String> backup = report.backup();
            assertTrue(backup.isPresent() && backup.get().startsWith(path + ".ntpdeploy-2"), backup.toString());
            assertEquals("old\n", lab.fileContent(host, backup.get()));
            assertEquals("server 10.126.0.1 iburst\n", lab.fileContent(host, path));
            assertEquals("644 root root\n", lab.exec(host, "stat", "-c", "%a %U %G", path).stdout());
            // this test's files and install's temp files only: other ITs' applies leave ntp.conf backups here
            String left = lab.exec(host, "sh", "-c", "ls -a /etc/ntpsec | grep -E '^(ntpdeploy-it\\.conf|\\.ntpdeploy\\.)'").stdout();
            assertEquals(List.of("ntpdeploy-it.conf", "ntpdeploy-it.conf.ntpdeploy-20220101T000000",
                    backup.get().substring("/etc/ntpsec/".length())), Arrays.asList(left.split("\n")), "2 backups, no temp file");
            assertEquals("", lab.exec(host, "sh", "-c", "ls -A /run/ntpdeploy").stdout(), "no report left behind");
        } finally {
            lab.exec(host, "sh", "-c", "rm -f /etc/ntpsec/ntpdeploy-it.conf*");
        }
    }

    @Test
    void fiftyParallelConnectionsOpenWithoutDrops(Lab lab) throws Exception {
        int perHost = Math.max(1, 50 / lab.hosts().size());
        Map<String, ConnectionSpec> specs = new LinkedHashMap<>();
        for (String h : lab.hosts()) {
            for (int i = 1; i <= perHost; i++) {
                specs.put(h + "#" + i, spec(lab, h, "root", false));
            }
        }
        TransportOptions o = options(lab, false);
        long start = System.nanoTime();
        Connector.Opened fleet = openAll(lab, specs, o);
        try {
            long opened = System.nanoTime();
            assertEquals(Map.of(), fleet.unreachable());
            assertEquals(specs.size(), fleet.connected().size());
            fleet.connected().entrySet().parallelStream().forEach(e -> {
                try {
                    ExecResult r = e.getValue().exec("hostname", null, T);
                    assertEquals(e.getKey().substring(0, e.getKey().indexOf('#')) + "\n", r.stdout());
                } catch (IOException ex) {
                    throw new AssertionError(e.getKey() + ": " + ex.getMessage(), ex);
                }
            });
            System.out.printf("[measure] %d connections: open %d ms, one exec each %d ms%n", specs.size(),
                    (opened - start) / 1_000_000, (System.nanoTime() - opened) / 1_000_000);
        } finally {
            fleet.connected().values().forEach(Connection::close);
        }
    }

    /** Opens every spec at once as a run opens its hosts: engine.Connector on FanOut, --forks at a time. */
    private Connector.Opened openAll(Lab lab, Map<String, ConnectionSpec> specs, TransportOptions o) throws Exception {
        Host template = InventoryLoader.load(lab.inventory()).hosts().get(0);
        List<Host> hosts = specs.entrySet().stream().map(e -> new Host(e.getKey(), template.role(), e.getValue(),
                template.ntp(), template.groups(), template.vars(), template.pos())).toList();
        HostKeyPolicy keys = SshDialer.hostKeyPolicy(o);
        Credentials creds = credentials(o, Map.of());
        Connector connector = new Connector() {
            @Override
            public Dialer prepare() {
                return h -> SshConnection.open(h.name(), h.connection(), o, keys, creds);
            }

            @Override
            public int forks() {
                return o.forks();
            }
        };
        return connector.openAll(hosts);
    }

    @Test
    void unreachableHostsAreResultsNotExceptions(Lab lab) throws Exception {
        Map<String, ConnectionSpec> specs = new LinkedHashMap<>();
        specs.put("good", spec(lab, lab.master(), "root", false));
        // an address in the lab subnet that nobody holds: refused/unreachable, never a throw
        specs.put("nobody", new ConnectionSpec("10.126.0.250", 22, "root", Optional.of(lab.clientKey()), false, "root"));
        specs.put("closed-port", new ConnectionSpec(lab.address(lab.master()), 2, "root", Optional.of(lab.clientKey()), false, "root"));
        TransportOptions o = new TransportOptions(Duration.ofSeconds(3), T, 10, tmp.resolve("home/.ssh/known_hosts"),
                List.of(lab.knownHosts()), false, false, false);
        Connector.Opened fleet = openAll(lab, specs, o);
        try {
            assertEquals(List.of("good"), List.copyOf(fleet.connected().keySet()));
            assertTrue(fleet.unreachable().get("closed-port").contains("connection refused"),
                    fleet.unreachable().toString());
            assertTrue(fleet.unreachable().get("nobody").startsWith("nobody: "), fleet.unreachable().toString());
        } finally {
            fleet.connected().values().forEach(Connection::close);
        }
    }

    @Test
    void aPeerThatGoesSilentIsDroppedByTheWatchdogNotWaitedOnForever(Lab lab) throws Exception {
        String host = lab.clients().get(2 % lab.clients().size());
        try (SshConnection c = open(lab, host)) {
            // the host stops answering mid-session: every packet to and from sshd is dropped
            ExecResult drop = lab.exec(host, "nft", "add table inet ntpdeploy_it; add chain inet ntpdeploy_it in"
                    + " { type filter hook input priority 0; }; add rule inet ntpdeploy_it in tcp dport 22 drop");
            assertEquals(0, drop.exitCode(), drop.stderr());
            try {
                TransportException e = assertThrows(TransportException.class, () -> c.exec("true", null, Duration.ofSeconds(1)));
                assertTrue(e.getMessage().startsWith(host + ": "), e.getMessage());
                TransportException again = assertThrows(TransportException.class, () -> c.exec("true", null, T));
                assertTrue(again.getMessage().startsWith(host + ": "), again.getMessage());
            } finally {
                lab.exec(host, "nft", "delete table inet ntpdeploy_it");
            }
        }
        try (SshConnection c = open(lab, host)) {
            assertEquals(0, c.exec("true", null, T).exitCode(), "host usable again");
        }
    }

    /**
     * Logins signed by a real ssh-agent, one key type at a time, against the lab's OpenSSH 9 (which takes RSA
     * only as rsa-sha2-256/512: SHA-1 ssh-rsa is off by default since 8.8, so an RSA login proves the agent was
     * asked for the algorithm the request announced). No key file anywhere: the agent is the only key.
     */
    @Test
    void logsInWithEd25519EcdsaAndRsaKeysHeldBySshAgent(Lab lab) throws Exception {
        String host = lab.clients().get(0);
        Path dir = Files.createDirectories(tmp.resolve("agent"));
        Path ecdsa = TestKeys.generate(dir, "ec", "ecdsa", "");
        Path rsa = TestKeys.generate(dir, "rsa", "rsa", "");
        String authorized = "/root/.ssh/authorized_keys";
        assertEquals(0, lab.exec(host, "cp", "-p", authorized, authorized + ".before").exitCode());
        try (TestAgent agent = TestAgent.start(dir)) {
            String extra = Files.readString(Path.of(ecdsa + ".pub")).trim() + "\n" + Files.readString(Path.of(rsa + ".pub")).trim();
            assertEquals(0, lab.exec(host, "sh", "-c", "printf '%s\\n' \"$1\" >> " + authorized, "sh", extra).exitCode());
            TransportOptions o = options(lab, false);
            ConnectionSpec spec = new ConnectionSpec(lab.address(host), 22, "root", Optional.empty(), false, "root");
            for (Path key : List.of(lab.clientKey(), ecdsa, rsa)) {
                agent.deleteAll();
                agent.add(key);
                Credentials credentials = Credentials.resolve(o, agent.env(), p -> null, tmp.resolve("home/.ssh"));
                List<ClientKey> offered = credentials.keysFor(Optional.empty());
                assertEquals(1, offered.size(), offered.toString());
                assertTrue(offered.get(0) instanceof AgentKey, offered.toString());

                try (SshConnection c = SshConnection.open(host, spec, o, SshDialer.hostKeyPolicy(o), credentials)) {
                    assertEquals(host + "\n", c.exec("hostname", null, T).stdout(), offered.toString());
                }
            }
        } finally {
            lab.exec(host, "mv", authorized + ".before", authorized);
        }
    }
}

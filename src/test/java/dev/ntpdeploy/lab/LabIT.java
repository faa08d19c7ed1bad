package dev.ntpdeploy.lab;

import dev.ntpdeploy.transport.ExecResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves the lab is what the other ITs rely on: real SSH hosts with their own keys and accounts, ntpd behind systemctl,
 * and no way out. The mixed lab (chrony, dual, timesyncd hosts) is proved by {@link MixedLabIT}.
 */
@ExtendWith(LabExtension.class)
class LabIT {

    static final int CAP_NET_ADMIN = 12;
    static final int CAP_SYS_TIME = 25;
    private static final Set<String> ROUTE_TYPES =
            Set.of("local", "broadcast", "unicast", "multicast", "unreachable", "prohibit", "blackhole", "throw");

    /** A LOCAL-clock master as the lab inventory will render it (minus the managed-by header). */
    private static String masterConf(Lab lab) {
        String[] net = lab.subnet().split("/");
        return String.join("\n",
                "driftfile /var/lib/ntpsec/ntp.drift",
                "server 127.127.1.0",
                "fudge 127.127.1.0 stratum 10",
                "tos orphanwait 1",
                "restrict default kod limited nomodify noquery",
                "restrict " + net[0] + " mask 255.255.0.0 nomodify",
                "restrict 127.0.0.1",
                "restrict ::1", "");
    }

    @Test
    void everyHostAnswersSshAsItselfWithItsOwnHostKey(Lab lab) throws IOException {
        for (String host : lab.hosts()) {
            ExecResult r = lab.ssh(host, "hostname; ntpq --version");
            assertEquals(0, r.exitCode(), host + ": " + r.stderr());
            List<String> lines = r.stdout().lines().collect(Collectors.toList());
            assertEquals(host, lines.get(0), "hostname on " + host);
            assertTrue(lines.get(1).startsWith("ntpq ntpsec-"), host + " ntpq --version: " + r.stdout());
        }
        Set<String> keys = new HashSet<>();
        List<String> entries = Files.readAllLines(lab.knownHosts());
        for (String host : lab.hosts()) {
            String byAddress = keyOf(entries, lab.address(host));
            assertEquals(byAddress, keyOf(entries, host), host + ": same key under its name and its address");
            keys.add(byAddress);
        }
        assertEquals(lab.hosts().size(), keys.size(), "every host has its own host key");
    }

    @Test
    void knownHostsWithAnotherHostsKeyIsRejected(Lab lab, @TempDir Path tmp) throws IOException {
        String victim = lab.clients().get(0);
        List<String> entries = Files.readAllLines(lab.knownHosts());
        String foreignKey = keyOf(entries, lab.master());
        Path wrong = tmp.resolve("known_hosts");
        Files.write(wrong, entries.stream()
                .map(l -> l.startsWith(lab.address(victim) + " ") ? lab.address(victim) + " " + foreignKey : l)
                .collect(Collectors.toList()));

        ExecResult r = lab.ssh("root", victim, "true", wrong);

        assertEquals(255, r.exitCode(), "ssh must refuse a host whose key does not match known_hosts");
        assertTrue(r.stderr().contains("Host key verification failed"), r.stderr());
        assertEquals(0, lab.ssh("root", victim, "true", lab.knownHosts()).exitCode(), "the right known_hosts still works");
    }

    @Test
    void systemctlRestartOverSshStartsNtpdWithoutTheClockCapability(Lab lab) {
        String host = lab.master();
        ExecResult put = lab.ssh(host, "cat > /etc/ntpsec/ntp.conf <<'EOF'\n" + masterConf(lab) + "EOF");
        assertEquals(0, put.exitCode(), put.stderr());
        assertEquals(masterConf(lab), lab.fileContent(host, "/etc/ntpsec/ntp.conf"));

        ExecResult restart = lab.ssh(host, "systemctl restart ntpsec");
        assertEquals(0, restart.exitCode(), restart.stderr());

        ExecResult active = lab.ssh(host, "systemctl is-active ntpsec");
        assertEquals("active", active.stdout().trim());
        assertEquals(0, active.exitCode());
        long pid = lab.ntpdPid(host).orElseThrow(() -> new AssertionError("no ntpd pid on " + host));
        // started means "pid file written": ntpd may still be finishing its start when ntpq first asks
        ExecResult[] peers = new ExecResult[1];
        Eventually.await("ntpq -pn on " + host + " to answer with the local clock peer", Duration.ofMinutes(1))
                .evidence(() -> "last answer (exit " + peers[0].exitCode() + "):\n" + peers[0].stdout() + peers[0].stderr())
                .until(() -> {
                    peers[0] = lab.ssh(host, "ntpq -pn");
                    return peers[0].exitCode() == 0 && peers[0].stdout().contains("remote") && peers[0].stdout().contains("LOCAL(0)");
                });

        String status = lab.fileContent(host, "/proc/" + pid + "/status");
        assertAll(
                () -> assertFalse(hasCap(status, "CapEff", CAP_SYS_TIME), "ntpd CapEff holds cap_sys_time:\n" + status),
                () -> assertFalse(hasCap(status, "CapBnd", CAP_SYS_TIME), "ntpd CapBnd holds cap_sys_time:\n" + status));
        Eventually.await("ntpd[" + pid + "]'s INIT line in " + Lab.NTPD_LOG, Duration.ofMinutes(1))
                .evidence(() -> lab.fileContent(host, Lab.NTPD_LOG))
                .until(() -> lab.fileContent(host, Lab.NTPD_LOG).contains("ntpd[" + pid + "]: INIT: ntpd ntpsec-"));
    }

    @Test
    void serviceShimAnswersLikeSystemctl(Lab lab) {
        String host = lab.clients().get(lab.clients().size() - 1);
        ExecResult stop = lab.ssh(host, "systemctl stop ntpsec.service; systemctl is-active ntp");
        assertEquals("inactive", stop.stdout().trim());
        assertEquals(3, stop.exitCode());
        assertTrue(lab.ntpdPid(host).isEmpty());

        ExecResult unknown = lab.ssh(host, "systemctl restart chronyd");
        assertEquals(5, unknown.exitCode());
        assertEquals("Failed to restart chronyd.service: Unit chronyd.service not found.", unknown.stderr().trim());
        ExecResult unknownStatus = lab.ssh(host, "systemctl status chronyd");
        assertEquals(4, unknownStatus.exitCode());
        assertEquals("Unit chronyd.service could not be found.", unknownStatus.stderr().trim());

        // ntpd that exits during its start (here: NTS with a missing certificate) fails the start, as under systemd
        ExecResult broken = lab.ssh(host, "printf 'restrict 127.0.0.1\\nrestrict ::1\\nnts enable\\n"
                + "nts cert /nonexistent.pem\\nnts key /nonexistent.key\\n' > /etc/ntpsec/ntp.conf;"
                + " systemctl restart ntpsec");
        assertNotEquals(0, broken.exitCode(), "a daemon that dies at start must fail the restart");
        assertTrue(broken.stderr().contains("Job for ntpsec.service failed"), broken.stderr());
        ExecResult status = lab.ssh(host, "systemctl status ntpsec");
        assertEquals(3, status.exitCode());
        assertTrue(status.stdout().contains("Active: failed"), status.stdout());
        assertTrue(status.stdout().contains("can't stat certificate"), "status shows the daemon's own lines:\n" + status.stdout());
        ExecResult failed = lab.ssh(host, "service ntpsec status >/dev/null; systemctl show -p ActiveState --value ntpsec;"
                + " systemctl is-active ntpd");
        assertEquals("failed\nfailed", failed.stdout().trim());
        assertEquals(3, failed.exitCode());
    }

    @Test
    void nonRootUserLogsInByKeyAndBecomesRootWithoutPassword(Lab lab) {
        String host = lab.clients().get(0);
        ExecResult r = lab.ssh(Lab.SUDO_USER, host, "id -un; sudo -n id -un; sudo -n systemctl is-active ntpsec",
                lab.knownHosts());
        List<String> lines = r.stdout().lines().collect(Collectors.toList());
        assertEquals(Lab.SUDO_USER, lines.get(0), r.stderr());
        assertEquals("root", lines.get(1), r.stderr());
        // sudo resets PATH: the shim must still answer, not the real systemctl ("not booted with systemd")
        assertTrue(Set.of("active", "inactive", "failed").contains(lines.get(2)), r.stdout() + r.stderr());
    }

    @Test
    void noHostCanReachOutsideTheLabSubnetNorTouchTheClockOrRoutes(Lab lab) {
        for (String host : lab.hosts()) {
            assertIsolated(lab, host);
        }
        // over SSH (what ntpdeploy gets): neither the clock nor the network may be changed
        ExecResult caps = lab.ssh(lab.clients().get(0), "grep -E '^Cap(Eff|Bnd)' /proc/self/status");
        assertAll(
                () -> assertFalse(hasCap(caps.stdout(), "CapEff", CAP_SYS_TIME), caps.stdout()),
                () -> assertFalse(hasCap(caps.stdout(), "CapBnd", CAP_SYS_TIME), caps.stdout()),
                () -> assertFalse(hasCap(caps.stdout(), "CapEff", CAP_NET_ADMIN), caps.stdout()),
                () -> assertFalse(hasCap(caps.stdout(), "CapBnd", CAP_NET_ADMIN), caps.stdout()));
        ExecResult addDefault = lab.ssh(lab.clients().get(0), "ip route add default dev eth0");
        assertNotEquals(0, addDefault.exitCode(), "root over SSH could add a default route");
    }

    /** No default route, no route off the lab subnet, IPv6 only on lo, and a send outside fails at once. */
    static void assertIsolated(Lab lab, String host) {
        ExecResult routes = lab.exec(host, "ip", "-4", "route", "show", "table", "all");
        assertEquals(0, routes.exitCode(), routes.stderr());
        String labPrefix = lab.subnet().replaceFirst("0\\.0/16$", "");   // "10.123."
        for (String route : routes.stdout().lines().collect(Collectors.toList())) {
            String[] f = route.split(" ");
            String dest = ROUTE_TYPES.contains(f[0]) ? f[1] : f[0];
            assertNotEquals("default", dest, host + " has a default route: " + route);
            assertTrue(dest.startsWith("127.") || dest.startsWith(labPrefix),
                    host + " has a route off the lab subnet: " + route);
        }
        ExecResult v6 = lab.exec(host, "ip", "-6", "route", "show", "table", "main");
        assertTrue(v6.stdout().lines().allMatch(l -> l.contains(" dev lo ")), host + " IPv6 routes: " + v6.stdout());

        // an actual send to an outside address (TEST-NET-1) fails at once
        ExecResult send = lab.exec(host, "bash", "-c", "echo x > /dev/udp/192.0.2.1/123");
        assertNotEquals(0, send.exitCode(), host + " could send to 192.0.2.1");
        assertTrue(send.stderr().contains("Network is unreachable"), host + ": " + send.stderr());
    }

    @Test
    void filesAreReadAsTheHostSeesThem(Lab lab) {
        String a = lab.clients().get(0);
        String b = lab.master();
        assertEquals(a + "\n", lab.fileContent(a, "/etc/hostname"));
        assertEquals(b + "\n", lab.fileContent(b, "/etc/hostname"));
        assertEquals("nameserver 127.0.0.1\n", lab.fileContent(a, "/etc/resolv.conf"));
        ExecResult touch = lab.ssh(a, "touch -d '2001-02-03 04:05:06 UTC' /tmp/lab-mtime");
        assertEquals(0, touch.exitCode(), touch.stderr());
        assertEquals(java.time.Instant.parse("2001-02-03T04:05:06Z"), lab.fileMtime(a, "/tmp/lab-mtime"));
        assertFalse(lab.exec(b, "test", "-e", "/tmp/lab-mtime").ok(), "each host has its own /tmp");
    }

    @Test
    void aHostCanBeMadeUnreachableAndBack(Lab lab) {
        String host = lab.clients().get(0);
        lab.stopSshd(host);
        try {
            ExecResult down = lab.ssh(host, "true");
            assertEquals(255, down.exitCode());
            assertTrue(down.stderr().contains("Connection refused"), down.stderr());
        } finally {
            lab.startSshd(host);
        }
        ExecResult back = lab.ssh(host, "hostname; grep CapBnd /proc/self/status");
        assertEquals(0, back.exitCode(), back.stderr());
        assertFalse(hasCap(back.stdout(), "CapBnd", CAP_SYS_TIME), "restarted sshd keeps the clock capability dropped");
    }

    @Test
    void everyHostMountsWholeDirectoriesOnly(Lab lab) throws IOException {
        // A file mounted over one of the machine's files detaches when the machine replaces that file by a
        // rename (useradd, a package upgrade): the host then silently sees the machine's file. The lab's
        // mounts come after the ones the host's mount namespace copied from the machine; the first is /etc.
        List<String> fileMounts = new ArrayList<>();
        for (String host : lab.hosts()) {
            long holder = lab.holderPid(host);
            List<String> table = Files.readAllLines(Path.of("/proc/" + holder + "/mountinfo"));
            int first = indexOf(table, l -> l.split(" ")[4].equals("/etc") && l.contains(" overlay lab-etc "));
            assertTrue(first >= 0, host + ": /etc is not the lab's overlay:\n" + String.join("\n", table));
            for (String line : table.subList(first, table.size())) {
                String mountPoint = line.split(" ")[4].replace("\\040", " ");
                if (!Files.isDirectory(Path.of("/proc/" + holder + "/root" + mountPoint))) {
                    fileMounts.add(host + ": " + mountPoint);
                }
            }
        }
        assertEquals(List.of(), fileMounts, "mounts over single files");
    }

    @Test
    void theMachineReplacingItsAccountFilesLeavesEveryHostItsOwn(Lab lab) throws IOException {
        // Replace the machine's /etc/passwd and /etc/group the way useradd does (a new file renamed over the
        // old one, under the shadow suite's lock), with the same bytes. Labs that still mount those files one
        // by one (brought up before lab/fleet mounted directories) would lose their accounts: not then.
        List<String> exposed = fileMountsOfAccountFiles();
        assumeTrue(exposed.isEmpty(), "not replacing this machine's /etc/passwd: these processes' mount namespaces"
                + " still mount account files one by one (labs from before this change): " + exposed);
        try (FileChannel lockFile = FileChannel.open(Path.of("/etc/.pwd.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            replaceByRename(Path.of("/etc/passwd"));
            replaceByRename(Path.of("/etc/group"));
        }
        for (String host : lab.hosts()) {
            ExecResult id = lab.exec(host, "id", Lab.SUDO_USER);
            assertEquals(0, id.exitCode(), host + " lost its own accounts: " + id.stderr());
            assertTrue(lab.fileContent(host, "/etc/passwd").contains("\n" + Lab.SUDO_USER + ":"), host);
        }
        ExecResult login = lab.ssh(Lab.SUDO_USER, lab.clients().get(0), "id -un; sudo -n id -un", lab.knownHosts());
        assertEquals(List.of(Lab.SUDO_USER, "root"), login.stdout().lines().collect(Collectors.toList()), login.stderr());
    }

    /** Writes the same bytes, mode and owner to a new file beside {@code f} and renames it over {@code f}. */
    private static void replaceByRename(Path f) throws IOException {
        Path tmp = f.resolveSibling("." + f.getFileName() + ".labit-" + ProcessHandle.current().pid());
        try {
            Files.write(tmp, Files.readAllBytes(f));
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(f));
            Files.setOwner(tmp, Files.getOwner(f));
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Processes (one per mount namespace) whose mount table has a mount on one of the machine's account files. */
    private static List<String> fileMountsOfAccountFiles() throws IOException {
        Set<String> accountFiles = Set.of("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow");
        Set<Object> seen = new HashSet<>();
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (!seen.add(Files.readAttributes(p.resolve("ns/mnt"), BasicFileAttributes.class).fileKey())) {
                        continue;
                    }
                    for (String line : Files.readAllLines(p.resolve("mountinfo"))) {
                        if (accountFiles.contains(line.split(" ")[4])) {
                            found.add(p.getFileName() + " (" + Files.readString(p.resolve("comm")).trim() + ")");
                            break;
                        }
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return found;
    }

    @Test
    void waitingForTheHostsGivesUpAtTheDeadlineNamingTheHostThatDidNotAnswer(Lab lab) {
        String host = lab.clients().get(0);
        lab.stopSshd(host);
        ExecResult gaveUp;
        try {
            ProcessBuilder wait = LabExtension.command(lab.projectDir(), System.getenv().getOrDefault("LAB_ID", ""), "wait");
            wait.environment().put("LAB_UP_TIMEOUT", "1");
            gaveUp = Lab.runProcess(wait, Duration.ofSeconds(60));
        } finally {
            lab.startSshd(host);
        }
        assertEquals(1, gaveUp.exitCode(), gaveUp.stderr());
        assertTrue(gaveUp.stderr().contains("lab/fleet: " + host + " is not ready after 1 s (60 s + 1 s per host"),
                gaveUp.stderr());
        ExecResult ready = lab.run(List.of(lab.fleet().toString(), "wait"), null);
        assertEquals(0, ready.exitCode(), ready.stderr());
        assertTrue(ready.stderr().contains(lab.hosts().size() + " hosts ready; slowest host "), ready.stderr());
    }

    @Test
    void upReportsItsSlowestHostAndTheLoad(Lab lab) {
        Matcher m = Pattern.compile("slowest host (\\S+), \\d+\\.\\d\\d s from its start to ready .*; load average \\d")
                .matcher(lab.upReport());
        assertTrue(m.find(), lab.upReport());
        assertTrue(lab.hosts().contains(m.group(1)), lab.upReport());
    }

    private static int indexOf(List<String> lines, Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String keyOf(List<String> knownHosts, String name) {
        return knownHosts.stream().filter(l -> l.startsWith(name + " "))
                .map(l -> l.substring(name.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no known_hosts entry for " + name));
    }

    static boolean hasCap(String procStatus, String field, int bit) {
        Matcher m = Pattern.compile("(?m)^" + field + ":\\s*([0-9a-f]+)$").matcher(procStatus);
        if (!m.find()) {
            throw new AssertionError("no " + field + " in:\n" + procStatus);
        }
        return (Long.parseUnsignedLong(m.group(1), 16) & (1L << bit)) != 0;
    }
}

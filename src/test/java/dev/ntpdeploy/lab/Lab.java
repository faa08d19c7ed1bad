package dev.ntpdeploy.lab;

import dev.ntpdeploy.transport.ExecResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A running lab fleet (see lab/README.md), handed to integration tests by {@link LabExtension}.
 *
 * <p>Use it as a parameter of a test method or constructor in a class annotated
 * {@code @ExtendWith(LabExtension.class)}; every IT in the JVM shares the same lab (brought up once, on
 * first use; a class annotated {@link LabShape} gets a lab of that shape instead). Hosts are
 * {@code lab-h1..lab-hN} ({@code lab3-h1..} with {@code LAB_ID=3}); the first is the master, the rest are
 * clients; {@link #inventory()} is the generated Ansible-style inventory for them (no {@code ntp_flavor}:
 * apply detects each host's daemon). Tests may change hosts (configs, daemons, firewall) but must leave
 * each host usable for the next test: put back what you break (e.g. start sshd again, flush the nft table
 * you added, switch a dual host back).
 *
 * <ul>
 *   <li>{@link #exec} runs a command inside a host through {@code lab/fleet exec} (root, with CAP_NET_ADMIN
 *       so tests can break the network, never CAP_SYS_TIME), independent of SSH.</li>
 *   <li>{@link #ssh} runs a command over OpenSSH with strict host-key checking against {@link #knownHosts()}:
 *       an observer independent of ntpdeploy's own SSH code.</li>
 *   <li>{@link #fileContent}, {@link #fileMtime}, {@link #ntpdPid}, {@link #chronydPid} and
 *       {@link #processes} read a host's files, pid files and processes directly through {@code /proc}:
 *       cheap, no process started.</li>
 *   <li>{@link #stopSshd}/{@link #startSshd} make a host unreachable and back. To block NTP inside a host:
 *       {@code lab.exec(h, "nft", "add table inet t; add chain inet t o { type filter hook output priority 0; };"
 *       + " add rule inet t o udp dport 123 drop")}, undo with {@code nft delete table inet t}.</li>
 * </ul>
 * What a host runs: ntpsec's ntpd by default; chronyd on {@link #chronyHosts()}; both installed on
 * {@link #dualHosts()} (one enabled and running); the systemd-timesyncd stand-in on {@link #timesyncdHosts()}.
 * A host shows only its own daemons' binaries, unit files and config directories. ntpd: config
 * {@code /etc/ntpsec/ntp.conf}, pid file {@code /run/ntpd.pid}, log {@code /var/log/ntpsec/ntpd.log};
 * chronyd: config {@code /etc/chrony/chrony.conf} (Debian's default), pid file {@code /run/chrony/chronyd.pid},
 * log {@code /var/log/chrony/chronyd.log}, {@code chronyc} as root answers on its socket. sshd: {@code
 * /etc/ssh/sshd_config}, log {@code /run/sshd.log}. {@code systemctl}/{@code service}/{@code journalctl} are
 * lab shims for the units ntpsec (ntp, ntpd), chrony (chronyd) and systemd-timesyncd (lab/README.md, "Inside a host").
 * Users: {@code root} and {@code labops} (passwordless sudo), both log in with {@link #clientKey()}.
 */
public final class Lab {

    /** The non-root user on every host: key login, passwordless sudo. */
    public static final String SUDO_USER = "labops";

    /** ntpd's log inside every host (the shim starts it with {@code -l}; the journalctl shim reads it). */
    public static final String NTPD_LOG = "/var/log/ntpsec/ntpd.log";

    /** chronyd's log inside every chrony host (the shim starts it with {@code -l}; the journalctl shim reads it). */
    public static final String CHRONYD_LOG = "/var/log/chrony/chronyd.log";

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(20);

    private final Path projectDir;
    private final Map<String, String> env;
    private final Map<String, String> addresses;

    private final String upReport;

    Lab(Path projectDir, Map<String, String> env, String upReport) {
        this.projectDir = projectDir;
        this.env = Map.copyOf(env);
        this.upReport = upReport;
        Map<String, String> addr = new LinkedHashMap<>();
        for (String pair : env.getOrDefault("LAB_ADDRESSES", "").split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                addr.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        this.addresses = Map.copyOf(addr);
        if (!addr.keySet().equals(new LinkedHashSet<>(hosts()))) {
            throw new IllegalStateException("lab state is inconsistent: LAB_ADDRESSES names " + addr.keySet()
                    + " but LAB_HOSTS names " + hosts());
        }
    }

    /** The project checkout the lab belongs to (holds {@code lab/}, {@code inventories/}, {@code templates/}). */
    public Path projectDir() {
        return projectDir;
    }

    /** The generated inventory, e.g. {@code inventories/lab.yml}: masters = first host, clients = the rest. */
    public Path inventory() {
        return Path.of(env.get("LAB_INVENTORY"));
    }

    /** known_hosts with every host's key, under its address (as in {@code ansible_host}) and its name. */
    public Path knownHosts() {
        return Path.of(env.get("LAB_KNOWN_HOSTS"));
    }

    /** The private key (ed25519, no passphrase) that root and {@link #SUDO_USER} accept on every host. */
    public Path clientKey() {
        return Path.of(env.get("LAB_KEY"));
    }

    /** The lab subnet, e.g. {@code 10.123.0.0/16}. */
    public String subnet() {
        return env.get("LAB_SUBNET");
    }

    /** All host names, master first. */
    public List<String> hosts() {
        return List.of(env.get("LAB_HOSTS").split(" "));
    }

    /** The master (in group {@code masters} of the inventory). */
    public String master() {
        return hosts().get(0);
    }

    /** The clients (group {@code clients}). */
    public List<String> clients() {
        List<String> h = hosts();
        return h.subList(1, h.size());
    }

    /** Hosts that run chrony ({@code up --chrony}): chronyd enabled and running; ntpsec installed only if dual. */
    public List<String> chronyHosts() {
        return hostList("LAB_CHRONY_HOSTS");
    }

    /** Hosts with both ntpsec and chrony installed ({@code up --dual}): chrony runs if a chrony host, else ntpsec. */
    public List<String> dualHosts() {
        return hostList("LAB_DUAL_HOSTS");
    }

    /** Hosts running the systemd-timesyncd stand-in ({@code up --timesyncd}); alone unless chrony or dual too. */
    public List<String> timesyncdHosts() {
        return hostList("LAB_TIMESYNCD_HOSTS");
    }

    /** Hosts with ntpsec installed: all but the chrony and timesyncd hosts that are not dual. */
    public List<String> ntpsecHosts() {
        return hosts().stream()
                .filter(h -> dualHosts().contains(h) || !(chronyHosts().contains(h) || timesyncdHosts().contains(h)))
                .collect(Collectors.toList());
    }

    private List<String> hostList(String key) {
        String v = env.getOrDefault(key, "").trim();
        return v.isEmpty() ? List.of() : List.of(v.split(" "));
    }

    /** What {@code lab/fleet up} reported: time taken, the slowest host, the load average. */
    public String upReport() {
        return upReport;
    }

    /** The host's IPv4 address on the lab bridge (its {@code ansible_host}). */
    public String address(String host) {
        String a = addresses.get(host);
        if (a == null) {
            throw new IllegalArgumentException("no lab host '" + host + "' (hosts: " + hosts() + ")");
        }
        return a;
    }

    /** Runs {@code cmd} (argv, no shell unless you pass {@code bash -c ...}) as root inside {@code host}. */
    public ExecResult exec(String host, String... cmd) {
        address(host);
        List<String> argv = new ArrayList<>(List.of(fleet().toString(), "exec", host));
        argv.addAll(Arrays.asList(cmd));
        return run(argv, null);
    }

    /** Runs a shell command on {@code host} as root over OpenSSH, strict host-key checking. */
    public ExecResult ssh(String host, String command) {
        return ssh("root", host, command, knownHosts());
    }

    /**
     * Runs a shell command over OpenSSH as {@code user} against {@code knownHosts} (strict checking, batch
     * mode, the lab key). Exit code 255 means SSH itself failed (e.g. host key rejected).
     */
    public ExecResult ssh(String user, String host, String command, Path knownHosts) {
        List<String> argv = List.of("ssh", "-F", "/dev/null", "-i", clientKey().toString(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "KexAlgorithms=curve25519-sha256", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
                user + "@" + address(host), command);
        return run(argv, null);
    }

    /** Stops the host's sshd (it becomes unreachable over SSH; {@link #exec} still works). */
    public void stopSshd(String host) {
        fleetOrFail("sshd", host, "stop");
    }

    /** Starts the host's sshd again (as the lab starts it: without CAP_SYS_TIME and CAP_NET_ADMIN). */
    public void startSshd(String host) {
        fleetOrFail("sshd", host, "start");
    }

    private void fleetOrFail(String... args) {
        List<String> argv = new ArrayList<>(List.of(fleet().toString()));
        argv.addAll(Arrays.asList(args));
        ExecResult r = run(argv, null);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("lab/fleet " + String.join(" ", args) + " failed: " + r.stderr());
        }
    }

    /** The pid of the host's running ntpd (from its {@code /run/ntpd.pid}), empty when none runs. */
    public OptionalLong ntpdPid(String host) {
        return daemonPid(host, "/run/ntpd.pid", "/usr/sbin/ntpd");
    }

    /** The pid of the host's running chronyd (from its {@code /run/chrony/chronyd.pid}), empty when none runs. */
    public OptionalLong chronydPid(String host) {
        return daemonPid(host, "/run/chrony/chronyd.pid", "/usr/sbin/chronyd");
    }

    /** The pid of the host's systemd-timesyncd stand-in, empty when it does not run. */
    public OptionalLong timesyncdPid(String host) {
        return daemonPid(host, "/run/systemd/timesync/lab-standin.pid", "/usr/lib/systemd/systemd-timesyncd");
    }

    private OptionalLong daemonPid(String host, String pidFile, String executable) {
        try {
            String pid = Files.readString(hostPath(host, pidFile)).trim();
            // the executable's path as the host sees it (the kernel prints it relative to the host's mounts)
            Path exe = Files.readSymbolicLink(Path.of("/proc", pid, "exe"));
            return exe.toString().equals(executable) ? OptionalLong.of(Long.parseLong(pid)) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Every process in the host's network namespace, pid to {@code comm} (e.g. {@code ntpd}, {@code chronyd},
     * {@code systemd-timesyn}, {@code sshd}). All lab hosts share the machine's PID namespace, so a search by
     * name sees every lab's daemons: the network namespace tells whose a process is.
     */
    public Map<Long, String> processes(String host) {
        Path netns = Path.of("/run/netns", host);
        Map<Long, String> found = new TreeMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            Object key = Files.readAttributes(netns, BasicFileAttributes.class).fileKey();
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    Object ns = Files.readAttributes(p.resolve("ns/net"),
                            BasicFileAttributes.class).fileKey();
                    if (key.equals(ns)) {
                        found.put(Long.parseLong(name), Files.readString(p.resolve("comm")).trim());
                    }
                } catch (IOException e) {
                    // the process ended meanwhile, or is not ours to see
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list processes of " + host, e);
        }
        return found;
    }

    /** The content of {@code path} as {@code host} sees it (its own /etc/ntpsec, /var/log, ...). */
    public String fileContent(String host, String path) {
        try {
            return Files.readString(hostPath(host, path));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(host + ": no file " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException(host + ": cannot read " + path, e);
        }
    }

    /** The modification time of {@code path} on {@code host}. */
    public Instant fileMtime(String host, String path) {
        try {
            return Files.getLastModifiedTime(hostPath(host, path)).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(host + ": cannot stat " + path, e);
        }
    }

    /**
     * What the lab looks like now, for a failed test's log: {@code lab/fleet status}, then per host its
     * {@code ntpq -pn} and/or {@code chronyc -n sources} and the last {@code logLines} lines of each daemon's
     * log. Bounded in time and size; never throws.
     */
    public String stateReport(int logLines) {
        StringBuilder b = new StringBuilder();
        ExecResult status = run(List.of(fleet().toString(), "status"), REPORT_TIMEOUT);
        b.append("$ lab/fleet status   (LAB_ID=").append(env.getOrDefault("LAB_ID", "")).append(", exit ")
                .append(status.exitCode()).append(")\n").append(status.stdout()).append(status.stderr());
        for (String host : hosts()) {
            // each daemon the host has: ntpsec's peers and log, chrony's sources and log
            List<List<String>> daemons = new ArrayList<>();
            if (ntpsecHosts().contains(host)) {
                daemons.add(List.of(NTPD_LOG, "ntpq", "-pn"));
            }
            if (chronyHosts().contains(host) || dualHosts().contains(host)) {
                daemons.add(List.of(CHRONYD_LOG, "chronyc", "-n", "sources"));
            }
            for (List<String> d : daemons) {
                List<String> argv = new ArrayList<>(List.of(fleet().toString(), "exec", host, "timeout", "8"));
                argv.addAll(d.subList(1, d.size()));
                ExecResult peers = run(argv, REPORT_TIMEOUT);
                b.append("--- ").append(host).append(": ").append(String.join(" ", d.subList(1, d.size())))
                        .append(" (exit ").append(peers.exitCode()).append(")\n").append(peers.stdout()).append(peers.stderr());
                b.append("--- ").append(host).append(": last ").append(logLines).append(" lines of ").append(d.get(0)).append('\n');
                try {
                    List<String> lines = fileContent(host, d.get(0)).lines().toList();
                    lines.subList(Math.max(0, lines.size() - logLines), lines.size()).forEach(l -> b.append(l).append('\n'));
                } catch (RuntimeException e) {
                    b.append("(cannot read it: ").append(e.getMessage()).append(")\n");
                }
            }
        }
        return b.toString();
    }

    /** The lab's own script, {@code lab/fleet}. */
    public Path fleet() {
        return projectDir.resolve("lab/fleet");
    }

    /**
     * {@code path} on {@code host} as seen from outside, through {@code /proc/<holder pid>/root} (follows its
     * mounts): for watching a host's files closely (e.g. a temp file appearing) without starting a process.
     */
    public Path hostPath(String host, String path) {
        return Path.of("/proc", String.valueOf(holderPid(host)), "root").resolve(path.replaceFirst("^/+", ""));
    }

    /** The pid of the host's holder: the first process of its namespaces, in its mount namespace. */
    long holderPid(String host) {
        address(host);
        return Long.parseLong(read(Path.of(env.get("LAB_STATE"), "hosts", host, "holder.pid")).trim());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lab state " + p + " (is the lab up?)", e);
        }
    }

    /** Runs argv with the lab's LAB_ID, no stdin, collecting stdout and stderr. */
    ExecResult run(List<String> argv, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(projectDir.toFile());
        String labId = env.getOrDefault("LAB_ID", "");
        if (labId.isEmpty()) {
            pb.environment().remove("LAB_ID");
        } else {
            pb.environment().put("LAB_ID", labId);
        }
        return runProcess(pb, timeout == null ? EXEC_TIMEOUT : timeout);
    }

    static ExecResult runProcess(ProcessBuilder pb, Duration timeout) {
        try {
            Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return new ExecResult(124, out.join(), err.join() + "\n(killed after " + timeout + ": " + pb.command() + ")");
            }
            return new ExecResult(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + pb.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + pb.command(), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    @Override
    public String toString() {
        return "Lab" + env.getOrDefault("LAB_ID", "") + hosts() + " on " + subnet();
    }
}

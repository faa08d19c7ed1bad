package dev.ntpdeploy.lab;

import dev.ntpdeploy.transport.ExecResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running lab fleet (see lab/README.md), handed to integration tests by {@link LabExtension}.
 *
 * <p>Use it as a parameter of a test method or constructor in a class annotated
 * {@code @ExtendWith(LabExtension.class)}; every IT in the JVM shares the same lab (brought up once, on
 * first use). Hosts are {@code lab-h1..lab-hN} ({@code lab3-h1..} with {@code LAB_ID=3}); the first is the
 * master, the rest are clients; {@link #inventory()} is the generated Ansible-style inventory for them.
 * Tests may change hosts (configs, daemons, firewall) but must leave each host usable for the next test:
 * put back what you break (e.g. start sshd again, flush the nft table you added).
 *
 * <ul>
 *   <li>{@link #exec} runs a command inside a host through {@code lab/fleet exec} (root, with CAP_NET_ADMIN
 *       so tests can break the network, never CAP_SYS_TIME), independent of SSH.</li>
 *   <li>{@link #ssh} runs a command over OpenSSH with strict host-key checking against {@link #knownHosts()}:
 *       an observer independent of ntpdeploy's own SSH code.</li>
 *   <li>{@link #fileContent}, {@link #fileMtime} and {@link #ntpdPid} read a host's files and pid file
 *       directly through {@code /proc/<holder>/root}: cheap, no process started.</li>
 *   <li>{@link #stopSshd}/{@link #startSshd} make a host unreachable and back. To block NTP inside a host:
 *       {@code lab.exec(h, "nft", "add table inet t; add chain inet t o { type filter hook output priority 0; };"
 *       + " add rule inet t o udp dport 123 drop")}, undo with {@code nft delete table inet t}.</li>
 * </ul>
 * Inside every host: ntpd's log is {@code /var/log/ntpsec/ntpd.log}, its pid file {@code /run/ntpd.pid},
 * its config {@code /etc/ntpsec/ntp.conf}, its sshd's {@code /etc/ssh/sshd_config} and log {@code /run/sshd.log};
 * {@code systemctl}/{@code service}/{@code journalctl} are lab shims for the units ntp, ntpd, ntpsec (lab/README.md, "Inside a host"). Users: {@code root} and {@code labops} (passwordless sudo), both log in
 * with {@link #clientKey()}.
 */
public final class Lab {

    /** The non-root user on every host: key login, passwordless sudo. */
    public static final String SUDO_USER = "labops";

    /** ntpd's log inside every host (the shim starts it with {@code -l}; the journalctl shim reads it). */
    public static final String NTPD_LOG = "/var/log/ntpsec/ntpd.log";

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(20);

    private final Path projectDir;
    private final Map<String, String> env;
    private final Map<String, String> addresses;

    Lab(Path projectDir, Map<String, String> env) {
        this.projectDir = projectDir;
        this.env = Map.copyOf(env);
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
        try {
            String pid = Files.readString(hostPath(host, "/run/ntpd.pid")).trim();
            Path exe = Files.readSymbolicLink(Path.of("/proc", pid, "exe"));
            return exe.toString().equals("/usr/sbin/ntpd") ? OptionalLong.of(Long.parseLong(pid)) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
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
     * {@code ntpq -pn} and the last {@code logLines} lines of ntpd's log. Bounded in time and size; never throws.
     */
    public String stateReport(int logLines) {
        StringBuilder b = new StringBuilder();
        ExecResult status = run(List.of(fleet().toString(), "status"), REPORT_TIMEOUT);
        b.append("$ lab/fleet status   (LAB_ID=").append(env.getOrDefault("LAB_ID", "")).append(", exit ")
                .append(status.exitCode()).append(")\n").append(status.stdout()).append(status.stderr());
        for (String host : hosts()) {
            ExecResult peers = run(List.of(fleet().toString(), "exec", host, "timeout", "8", "ntpq", "-pn"), REPORT_TIMEOUT);
            b.append("--- ").append(host).append(": ntpq -pn (exit ").append(peers.exitCode()).append(")\n")
                    .append(peers.stdout()).append(peers.stderr());
            b.append("--- ").append(host).append(": last ").append(logLines).append(" lines of ").append(NTPD_LOG).append('\n');
            try {
                List<String> lines = fileContent(host, NTPD_LOG).lines().toList();
                lines.subList(Math.max(0, lines.size() - logLines), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (RuntimeException e) {
                b.append("(cannot read it: ").append(e.getMessage()).append(")\n");
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
        address(host);
        Path holder = Path.of(env.get("LAB_STATE"), "hosts", host, "holder.pid");
        String pid = read(holder).trim();
        return Path.of("/proc", pid, "root").resolve(path.replaceFirst("^/+", ""));
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

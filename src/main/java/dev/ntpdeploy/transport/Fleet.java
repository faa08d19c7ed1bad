package dev.ntpdeploy.transport;

import dev.ntpdeploy.inventory.ConnectionSpec;
import dev.ntpdeploy.inventory.Host;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open connection per reachable host of a run, opened in parallel ({@code forks} at a time).
 * A host that cannot be reached is that host's result (its one-line reason), never an exception.
 */
public final class Fleet implements AutoCloseable {

    private final Map<String, Connection> connected;
    private final Map<String, String> unreachable;

    private Fleet(Map<String, Connection> connected, Map<String, String> unreachable) {
        this.connected = connected;
        this.unreachable = unreachable;
    }

    /**
     * Opens connections to the given hosts with the user's ~/.ssh keys, the environment's secrets and
     * console prompts (--ask-pass, --ask-become-pass, key passphrases) asked once, before connecting.
     *
     * @throws TransportException when the run itself cannot start (an unreadable --known-hosts file,
     *                            a prompt asked for without a terminal): no host was contacted
     */
    public static Fleet open(List<Host> hosts, TransportOptions options) throws TransportException {
        return dialer(options).openAll(hosts);
    }

    /**
     * What opening any host of a run needs, resolved once: the user's ~/.ssh keys, the environment's secrets,
     * console prompts (--ask-pass, --ask-become-pass, key passphrases) and the host-key policy.
     *
     * @throws TransportException when the run itself cannot start (an unreadable --known-hosts file, a prompt
     *                            asked for without a terminal): no host was contacted
     */
    public static Dialer dialer(TransportOptions options) throws TransportException {
        Path sshDir = Path.of(System.getProperty("user.home"), ".ssh");
        Credentials credentials = Credentials.resolve(options, System.getenv(), Credentials.Prompter.console(),
                sshDir);
        return new Dialer(options, credentials, hostKeyPolicy(options));
    }

    /** Opens hosts with credentials and host keys resolved once (see {@link #dialer}). */
    public static final class Dialer {
        private final TransportOptions options;
        private final Credentials credentials;
        private final HostKeyPolicy hostKeys;
        /** The run's bastion connections, shared by every host this dialer opens behind them. */
        private final JumpHosts<SshConnection> jumps = new JumpHosts<>();

        private Dialer(TransportOptions options, Credentials credentials, HostKeyPolicy hostKeys) {
            this.options = options;
            this.credentials = credentials;
            this.hostKeys = hostKeys;
        }

        /** One host: its connection, or the one-line reason it is unreachable. */
        public Connection open(Host host) throws TransportException {
            try {
                return SshConnection.open(host.name(), host.connection(), options, hostKeys, credentials, jumps);
            } catch (RuntimeException e) {
                throw new TransportException(host.name() + ": internal error while connecting: " + e, e);
            }
        }

        /** Every host in parallel ({@code forks} at a time). */
        public Fleet openAll(List<Host> hosts) {
            return Fleet.open(specs(hosts), options, credentials, hostKeys, jumps);
        }
    }

    /** The host-key policy the options describe. */
    public static HostKeyPolicy hostKeyPolicy(TransportOptions options) throws TransportException {
        try {
            return new HostKeyPolicy(options.userKnownHosts(), options.knownHosts(), options.acceptNewHostKeys());
        } catch (IOException e) {
            throw new TransportException(e.getMessage(), e);
        }
    }

    /** Inventory name -> connection spec, in inventory order. */
    public static Map<String, ConnectionSpec> specs(List<Host> hosts) {
        Map<String, ConnectionSpec> m = new LinkedHashMap<>();
        for (Host h : hosts) {
            m.put(h.name(), h.connection());
        }
        return m;
    }

    /** Opens every host in parallel; returns when each is connected or known unreachable. */
    public static Fleet open(Map<String, ConnectionSpec> hosts, TransportOptions options, Credentials credentials,
                             HostKeyPolicy hostKeys) {
        return open(hosts, options, credentials, hostKeys, new JumpHosts<>());
    }

    private static Fleet open(Map<String, ConnectionSpec> hosts, TransportOptions options, Credentials credentials,
                              HostKeyPolicy hostKeys, JumpHosts<SshConnection> jumps) {
        Map<String, Connection> ok = new ConcurrentHashMap<>();
        Map<String, String> down = new ConcurrentHashMap<>();
        int threads = Math.max(1, Math.min(options.forks(), hosts.size()));
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ntpdeploy-connect-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            hosts.forEach((name, spec) -> jobs.add(pool.submit(() -> {
                try {
                    ok.put(name, SshConnection.open(name, spec, options, hostKeys, credentials, jumps));
                } catch (TransportException e) {
                    down.put(name, e.getMessage());
                } catch (RuntimeException e) {
                    down.put(name, name + ": internal error while connecting: " + e);
                }
            })));
            for (Future<?> f : jobs) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (java.util.concurrent.ExecutionException e) {
                    // each job records its own outcome
                }
            }
        } finally {
            pool.shutdownNow();
            try {
                // a handshake cannot be interrupted: let those in flight finish so none is left open unseen
                pool.awaitTermination(options.connectTimeout().toMillis() * 3, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // keep inventory order for callers that iterate
        Map<String, Connection> orderedOk = new LinkedHashMap<>();
        Map<String, String> orderedDown = new LinkedHashMap<>();
        for (String name : hosts.keySet()) {
            if (ok.containsKey(name)) {
                orderedOk.put(name, ok.get(name));
            } else {
                orderedDown.put(name, down.getOrDefault(name, name + ": not connected (interrupted)"));
            }
        }
        return new Fleet(orderedOk, orderedDown);
    }

    /** Reached hosts, in the order they were given. */
    public Map<String, Connection> connected() {
        return Collections.unmodifiableMap(connected);
    }

    /** Unreached hosts and why, in the order they were given. */
    public Map<String, String> unreachable() {
        return Collections.unmodifiableMap(unreachable);
    }

    @Override
    public void close() {
        connected.values().parallelStream().forEach(Connection::close);
    }
}

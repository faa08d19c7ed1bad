package dev.ntpdeploy.transport;

import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.ChachaPolyCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import dev.ntpdeploy.inventory.ConnectionSpec;
import dev.ntpdeploy.inventory.JumpHost;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.kex.KeyExchange;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthKeyboardInteractive;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.PasswordResponseProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * {@link Connection} over one sshj client: strict host keys, key/password auth, every command wrapped
 * in {@code timeout}, both output streams drained at once, and a local watchdog that drops the
 * connection if the remote side still hangs after its budget.
 */
public final class SshConnection implements Connection, JumpHosts.Link {

    /** Extra wait beyond the remote `timeout -k` before the local watchdog gives up on the connection. */
    static final int WATCHDOG_GRACE_SECONDS = 5;
    /** stdin up to this size is written by the caller's thread: it always fits the server's 2 MiB window. */
    private static final int INLINE_STDIN_MAX = 1 << 20;

    private static final Config CONFIG = sshConfig();
    private static final ExecutorService IO = Executors.newCachedThreadPool(daemon("ntpdeploy-ssh-io"));
    private static final ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(daemon("ntpdeploy-ssh-watchdog"));

    private final String host;
    private final ConnectionSpec spec;
    private final SSHClient client;
    private final Become become;
    /** This host's use of the jump host's connection it is tunnelled through, released with it; null when direct. */
    private final JumpHosts<SshConnection>.Lease jump;
    private volatile String lost;

    private SshConnection(String host, ConnectionSpec spec, SSHClient client, Credentials credentials, JumpHosts<SshConnection>.Lease jump) {
        this.host = host;
        this.spec = spec;
        this.client = client;
        this.become = new Become(host, spec, credentials);
        this.jump = jump;
    }

    /** The shared sshj configuration (key files, ciphers and kex factories are costly to build per host). */
    static Config config() {
        return CONFIG;
    }

    /**
     * Connects, checks the host key and authenticates. A handshake the server drops before its key was
     * seen (sshd's MaxStartups) is retried once after 200-500 ms.
     *
     * @param host inventory name (used in messages)
     * @throws TransportException one line for the operator: unreachable, host key, or authentication
     */
    public static SshConnection open(String host, ConnectionSpec spec, TransportOptions options,
                                     HostKeyPolicy hostKeys, Credentials credentials) throws TransportException {
        return open(host, spec, options, hostKeys, credentials, new JumpHosts<>());
    }

    /** {@link #open} through the run's shared jump-host connections. */
    static SshConnection open(String host, ConnectionSpec spec, TransportOptions options, HostKeyPolicy hostKeys,
                              Credentials credentials, JumpHosts<SshConnection> jumps) throws TransportException {
        List<ClientKey> keys;
        try {
            keys = credentials.keysFor(spec.keyFile(), spec.identitiesOnly());
        } catch (TransportException e) {
            throw new TransportException(host + ": " + e.getMessage(), e);
        }
        JumpHosts<SshConnection>.Lease jump = null;
        if (spec.jump().isPresent()) {
            // the jump host is a hop of its own: its host key checked, its login authenticated, its errors named
            JumpHost j = spec.jump().get();
            ConnectionSpec hop = new ConnectionSpec(j.address(), j.port(), j.user().orElse(System.getProperty("user.name")),
                    spec.keyFile(), false, "root", Optional.empty(), spec.identitiesOnly());
            try {
                jump = jumps.acquire(JumpHosts.Hop.of(hop), h -> open("jump host " + j, hop, options, hostKeys, credentials,
                        credentials.keysFor(hop.keyFile(), hop.identitiesOnly()), null));
            } catch (TransportException e) {
                throw new TransportException(host + ": " + e.getMessage(), e);
            }
        }
        try {
            return open(host, spec, options, hostKeys, credentials, keys, jump);
        } catch (TransportException | RuntimeException e) {
            if (jump != null) {
                jump.release();
            }
            throw e;
        }
    }

    private static SshConnection open(String host, ConnectionSpec spec, TransportOptions options, HostKeyPolicy hostKeys,
                                      Credentials credentials, List<ClientKey> keys, JumpHosts<SshConnection>.Lease jump)
            throws TransportException {
        for (int attempt = 1; ; attempt++) {
            HostKeyPolicy.Check check = hostKeys.newCheck();
            SSHClient client = newClient(options.connectTimeout(), check);
            try {
                if (jump == null) {
                    client.connect(spec.address(), spec.port());
                } else {
                    // through the jump host's connection (direct-tcpip); the host key is checked for this host's name
                    client.connectVia(jump.connection().client.newDirectConnection(spec.address(), spec.port()),
                            spec.address(), spec.port());
                }
            } catch (IOException e) {
                closeQuietly(client);
                if (check.rejection() != null) {
                    throw new TransportException(host + ": " + check.rejection().message());
                }
                if (attempt == 1 && !check.consulted() && isDroppedHandshake(e)) {
                    sleepBackoff();
                    continue;
                }
                throw new TransportException(host + ": " + unreachable(spec, options.connectTimeout(), e), e);
            }
            try {
                client.auth(spec.user(), authMethods(keys, credentials));
            } catch (UserAuthException e) {
                closeQuietly(client);
                if (timedOut(e)) {
                    // sshj reports a server that never answered as a failed method: not a key problem
                    throw new TransportException(host + ": " + spec.address() + ":" + spec.port()
                            + " did not answer authentication within " + options.connectTimeout().toSeconds()
                            + " s (an overloaded host? --timeout)", e);
                }
                throw new TransportException(host + ": authentication as " + spec.user() + "@" + spec.address()
                        + " failed (tried: " + describe(keys, credentials) + "); check ansible_user,"
                        + " ansible_ssh_private_key_file, the keys in ssh-agent (ssh-add -l) and the host's authorized_keys", e);
            } catch (IOException e) {
                closeQuietly(client);
                throw new TransportException(host + ": connection lost during authentication: " + rootMessage(e), e);
            }
            return new SshConnection(host, spec, client, credentials, jump);
        }
    }

    private static SSHClient newClient(Duration connectTimeout, HostKeyPolicy.Check check) {
        int ms = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        SSHClient c = new NoDelayClient(CONFIG);
        c.setConnectTimeout(ms);
        c.setTimeout(ms); // SO_TIMEOUT: a server that accepts but never sends its banner
        c.getTransport().setTimeoutMs(ms);
        c.getConnection().setTimeoutMs(ms); // its own copy: else close() may wait 30 s
        c.addHostKeyVerifier(check);
        // keepalive@openssh.com every max(5 s, timeout); 3 unanswered = dead peer. sshj starts this thread
        // on connect only if the interval is already set.
        KeepAlive keepAlive = c.getConnection().getKeepAlive();
        if (keepAlive instanceof KeepAliveRunner runner) {
            runner.setMaxAliveCount(3);
        }
        keepAlive.setKeepAliveInterval((int) Math.max(5, connectTimeout.toSeconds()));
        return c;
    }

    private static List<AuthMethod> authMethods(List<ClientKey> keys, Credentials credentials) {
        List<AuthMethod> methods = new ArrayList<>();
        for (ClientKey k : keys) {
            methods.add(k.authMethod());
        }
        if (credentials.hasSshPassword()) {
            PasswordFinder finder = new PasswordFinder() {
                @Override
                public char[] reqPassword(Resource<?> resource) {
                    return credentials.sshPassword();
                }

                @Override
                public boolean shouldRetry(Resource<?> resource) {
                    return false;
                }
            };
            methods.add(new AuthPassword(finder));
            methods.add(new AuthKeyboardInteractive(new PasswordResponseProvider(finder)));
        }
        return methods;
    }

    /** What a login offered, without key material: "1 key from ssh-agent, 1 key file, password". */
    static String describe(List<ClientKey> keys, Credentials credentials) {
        List<String> parts = new ArrayList<>();
        long agent = keys.stream().filter(k -> k instanceof AgentKey).count();
        long files = keys.size() - agent;
        if (agent > 0) {
            parts.add(agent + " key" + (agent == 1 ? "" : "s") + " from ssh-agent");
        }
        if (files > 0) {
            parts.add(files + " key file" + (files == 1 ? "" : "s"));
        }
        credentials.agentTrouble().ifPresent(parts::add);
        if (credentials.hasSshPassword()) {
            parts.add("password");
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
        return run(RemoteCommand.withTimeout(command, timeout), stdin, timeout);
    }

    @Override
    public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) throws IOException {
        return become.exec((cmd, in, t) -> run(RemoteCommand.withTimeout(cmd, t), in, t), command, stdin, timeout);
    }

    private ExecResult run(String full, byte[] stdin, Duration timeout) throws IOException {
        String why = lost;
        if (why != null) {
            throw new TransportException(host + ": " + why);
        }
        long budget = RemoteCommand.budgetSeconds(timeout) + RemoteCommand.KILL_AFTER_SECONDS + WATCHDOG_GRACE_SECONDS;
        AtomicBoolean hung = new AtomicBoolean();
        AtomicBoolean started = new AtomicBoolean();
        Session session = null;
        ScheduledFuture<?> dog = WATCHDOG.schedule(() -> {
            hung.set(true);
            drop(watchdogMessage(started.get(), budget));
        }, budget, TimeUnit.SECONDS);
        try {
            session = client.startSession();
            Session.Command cmd = session.exec(full);
            started.set(true); // sshd accepted the exec request: the remote `timeout` now bounds the command
            Future<byte[]> err = IO.submit(() -> readAll(cmd.getErrorStream()));
            Future<?> writer = null;
            if (stdin != null && stdin.length > INLINE_STDIN_MAX) {
                writer = IO.submit(() -> {
                    writeAndClose(cmd.getOutputStream(), stdin);
                    return null;
                });
            } else {
                writeAndClose(cmd.getOutputStream(), stdin);
            }
            byte[] out = readAll(cmd.getInputStream());
            byte[] errBytes = err.get();
            if (writer != null) {
                writer.get();
            }
            cmd.join(budget, TimeUnit.SECONDS);
            return new ExecResult(exitCode(cmd), new String(out, StandardCharsets.UTF_8),
                    new String(errBytes, StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            throw lostDuring(hung.get(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(host + ": interrupted");
        } catch (IOException e) {
            throw lostDuring(hung.get(), e);
        } finally {
            dog.cancel(false);
            if (session != null) {
                try {
                    session.close();
                } catch (IOException ignored) {
                    // the channel is gone with the connection
                }
            }
        }
    }

    /**
     * Why the watchdog dropped the connection: the remote {@code timeout} kills only a command that started, so
     * "although killed remotely" is said only then; otherwise the host never opened a session or ran the command.
     */
    static String watchdogMessage(boolean commandStarted, long budgetSeconds) {
        return commandStarted
                ? "a command did not finish within " + budgetSeconds + " s although killed remotely; connection closed"
                : "the host did not start a command within " + budgetSeconds + " s (no answer to the session or exec"
                + " request: the host hangs after login?); connection closed";
    }

    private TransportException lostDuring(boolean hung, Throwable e) {
        if (e instanceof TransportException te && te.getMessage().startsWith(host + ":")) {
            return te;
        }
        String why = hung ? lost : "connection lost: " + rootMessage(e);
        drop(why);
        return new TransportException(host + ": " + why, e);
    }

    private static int exitCode(Session.Command cmd) {
        Integer status = cmd.getExitStatus();
        if (status != null) {
            return status;
        }
        Signal sig = cmd.getExitSignal();
        if (sig == null) {
            return 255;
        }
        return switch (sig) {
            case HUP -> 129;
            case INT -> 130;
            case KILL -> 137;
            case PIPE -> 141;
            case TERM -> 143;
            default -> 255;
        };
    }

    private static void writeAndClose(OutputStream os, byte[] data) throws IOException {
        try (os) {
            if (data != null && data.length > 0) {
                os.write(data);
                os.flush();
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private void drop(String why) {
        if (lost == null) {
            lost = why;
        }
        closeQuietly(client);
    }

    @Override
    public void close() {
        if (lost == null) {
            lost = "connection already closed";
        }
        closeQuietly(client);
        if (jump != null) {
            jump.release();
        }
    }

    /** Connected, logged in and not given up on (a jump host's connection is shared only while it is). */
    @Override
    public boolean isUsable() {
        return lost == null && client.isConnected() && client.isAuthenticated();
    }

    @Override
    public String toString() {
        return "SshConnection[" + host + " " + spec.user() + "@" + spec.address() + ":" + spec.port() + "]";
    }

    // ---- connect failures -------------------------------------------------------------------------

    /** sshd drops handshakes beyond MaxStartups by closing the socket: EOF or reset before any key arrived. */
    static boolean isDroppedHandshake(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketTimeoutException || t instanceof UnknownHostException) {
                return false;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof EOFException || m.contains("connection reset") || m.contains("broken pipe")
                    || m.contains("encountered eof") || m.contains("closed connection") || m.contains("connection closed")) {
                return true;
            }
        }
        return false;
    }

    static String unreachable(ConnectionSpec spec, Duration timeout, Throwable e) {
        String where = spec.address() + ":" + spec.port();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "cannot resolve " + spec.address() + " (check ansible_host)";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to " + where;
            }
            if (t instanceof ConnectException) {
                return "connection refused by " + where + " (is sshd running there, on that port?)";
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer from " + where + " within " + timeout.toSeconds() + " s (--timeout)";
            }
        }
        if (timedOut(e)) {
            return "the SSH handshake with " + where + " did not finish within " + timeout.toSeconds()
                    + " s (an overloaded host? --timeout)";
        }
        return "cannot connect to " + where + ": " + rootMessage(e);
    }

    /**
     * Whether sshj gave up waiting for the server: its promises (key exchange, the answer to an authentication
     * request) throw {@code TimeoutException("Timeout expired: ...")} wrapped in their own exception, and
     * {@code SSHClient.auth} wraps that once more as "Exhausted available authentication methods".
     */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static void sleepBackoff() throws TransportException {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(200, 501));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted");
        }
    }

    private static void closeQuietly(SSHClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing left to save
        }
    }

    private static Config sshConfig() {
        // BouncyCastle stays the provider (sshj registers it): its registration costs ~0.17 CPU-s per run, but
        // its X25519 + Ed25519 take 0.5-1.2 ms CPU per handshake against 2.2-3.3 ms for Java 17's own
        // (bench: docs/benchmarks.md), so it is cheaper from ~50 hosts on
        DefaultConfig c = new ModernCiphersConfig();
        // curve25519 first: cheapest key exchange on both ends; keep every other factory (incl. strict-kex markers)
        List<Factory.Named<KeyExchange>> kex = new ArrayList<>(c.getKeyExchangeFactories());
        kex.sort((a, b) -> Boolean.compare(!a.getName().startsWith("curve25519"), !b.getName().startsWith("curve25519")));
        c.setKeyExchangeFactories(kex);
        c.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        return c;
    }

    /**
     * OpenSSH's own default ciphers, in its order: no CBC, RC4, 3DES, Blowfish and the like. DefaultConfig
     * instantiates and initialises all 33 of its ciphers at start to probe for a limited JCE policy, which
     * Java 17 no longer has: ~0.3 CPU-s per run (bench/profile-jvm).
     */
    private static final class ModernCiphersConfig extends DefaultConfig {
        @Override
        protected void initCipherFactories() {
            setCipherFactories(List.of(ChachaPolyCiphers.CHACHA_POLY_OPENSSH(),
                    BlockCiphers.AES128CTR(), BlockCiphers.AES192CTR(), BlockCiphers.AES256CTR(),
                    GcmCiphers.AES128GCM(), GcmCiphers.AES256GCM()));
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** sshj never sets TCP_NODELAY; set before the first byte, so handshake packets are not held back by Nagle. */
    private static final class NoDelayClient extends SSHClient {
        NoDelayClient(Config config) {
            super(config);
        }

        @Override
        protected void onConnect() throws IOException {
            if (getSocket() != null) { // none through a jump host: the bytes ride the jump host's socket
                getSocket().setTcpNoDelay(true);
            }
            super.onConnect();
        }
    }
}

package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.Logging;
import dev.ntpdeploy.inventory.ConnectionSpec;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConnectionTest {

    static {
        Logging.configure(false);
    }

    @Test
    void retriesOnlyHandshakesTheServerDropped() {
        assertTrue(SshConnection.isDroppedHandshake(new SocketException("Connection reset")));
        assertTrue(SshConnection.isDroppedHandshake(new net.schmizz.sshj.transport.TransportException("Broken transport; encountered EOF")));
        assertTrue(SshConnection.isDroppedHandshake(new java.io.IOException("x", new EOFException())));
        assertFalse(SshConnection.isDroppedHandshake(new ConnectException("Connection refused")));
        assertFalse(SshConnection.isDroppedHandshake(new SocketTimeoutException("connect timed out")));
    }

    @Test
    void unreachableMessagesNameTheAddressAndTheLikelyFix() {
        ConnectionSpec spec = new ConnectionSpec("10.77.0.9", 2222, "root", Optional.empty(), false, "root");
        assertEquals("connection refused by 10.77.0.9:2222 (is sshd running there, on that port?)",
                SshConnection.unreachable(spec, Duration.ofSeconds(10), new ConnectException("Connection refused")));
        assertEquals("no answer from 10.77.0.9:2222 within 10 s (--timeout)",
                SshConnection.unreachable(spec, Duration.ofSeconds(10), new SocketTimeoutException("connect timed out")));
        assertTrue(SshConnection.unreachable(spec, Duration.ofSeconds(10), new java.net.UnknownHostException("x"))
                .contains("ansible_host"));
    }

    @TempDir
    Path tmp;

    /** A loopback listener standing in for an overloaded sshd; handles every connection with {@code onAccept}. */
    private static ServerSocket listener(AtomicInteger accepted, java.util.function.Consumer<Socket> onAccept) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    onAccept.accept(s);
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private SshConnection openAgainst(ServerSocket server, Duration timeout) throws Exception {
        Path key = TestKeys.generate(tmp, "id_ed25519", "ed25519", "");
        TransportOptions o = new TransportOptions(timeout, timeout, 1, tmp.resolve("known_hosts"), List.of(), false, false, false);
        ConnectionSpec spec = new ConnectionSpec("127.0.0.1", server.getLocalPort(), "root", Optional.of(key), false, "root");
        return SshConnection.open("busy", spec, o, SshDialer.hostKeyPolicy(o), Credentials.resolve(o, Map.of(), p -> null, tmp));
    }

    @Test
    void aHandshakeDroppedBeforeTheBannerIsRetriedOnce() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        // like sshd over MaxStartups: accept, then close at once
        try (ServerSocket server = listener(accepted, s -> {
            try {
                s.close();
            } catch (java.io.IOException ignored) {
                // closing is the point
            }
        })) {
            TransportException e = assertThrows(TransportException.class, () -> openAgainst(server, Duration.ofSeconds(5)));
            assertTrue(e.getMessage().startsWith("busy: cannot connect to 127.0.0.1:"), e.getMessage());
            assertEquals(2, accepted.get(), "one retry, no more");
        }
    }

    @Test
    void aServerThatNeverSendsItsBannerTimesOut() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocket server = listener(accepted, held::add)) {
            TransportException e = assertThrows(TransportException.class, () -> openAgainst(server, Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
            assertEquals(1, accepted.get(), "a silent server is not retried");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aServerThatStallsAfterItsBannerIsAnOverloadedHostNotAKeyProblem() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        // like an sshd starved of CPU: the banner comes, the key exchange never does
        try (ServerSocket server = listener(accepted, s -> {
            held.add(s);
            try {
                s.getOutputStream().write("SSH-2.0-OpenSSH_9.2p1\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (java.io.IOException ignored) {
                // the client has gone: the test fails on its own assertion
            }
        })) {
            TransportException e = assertThrows(TransportException.class, () -> openAgainst(server, Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("did not finish within 1 s (an overloaded host? --timeout)"), e.getMessage());
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void anAuthenticationNobodyAnsweredIsATimeoutNotAFailedKey() {
        // the chain SSHClient.auth throws when UserAuthImpl's promise expired (sshj 0.40: Promise.retrieve)
        var expired = new net.schmizz.sshj.userauth.UserAuthException("Exhausted available authentication methods",
                new net.schmizz.sshj.userauth.UserAuthException(new java.util.concurrent.TimeoutException(
                        "Timeout expired: 10000 MILLISECONDS")));
        assertTrue(SshConnection.timedOut(expired));
        assertFalse(SshConnection.timedOut(new net.schmizz.sshj.userauth.UserAuthException(
                "Exhausted available authentication methods")), "a refused key is a key problem");
    }

    @Test
    void theWatchdogSaysKilledRemotelyOnlyForACommandThatStarted() {
        assertTrue(SshConnection.watchdogMessage(true, 70).contains("although killed remotely"));
        String never = SshConnection.watchdogMessage(false, 70);
        assertFalse(never.contains("killed remotely"), never);
        assertTrue(never.contains("did not start a command within 70 s"), never);
    }
}

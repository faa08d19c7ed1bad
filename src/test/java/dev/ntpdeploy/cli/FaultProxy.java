package dev.ntpdeploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between the controller and one lab host's sshd, on 127.0.0.1 (the kernel here has no netem): it
 * widens windows (a delay per forwarded chunk, a slow upload), cuts every open connection on demand, or
 * blackholes (accepts, then never answers). Test code only; every socket closes with {@link #close()}.
 */
final class FaultProxy implements AutoCloseable {

    enum Mode {
        /** Forward both ways (with {@link #delayMs} per chunk, and {@link #upstreamBytesPerChunk} towards sshd). */
        PASS,
        /** Accept, read and discard, never answer: a host that hangs. */
        BLACKHOLE
    }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    volatile Mode mode = Mode.PASS;
    /** Pause after each forwarded chunk, both directions (0: none). */
    volatile long delayMs;
    /** Largest chunk forwarded towards sshd at once (with {@link #delayMs}: a slow upload); 0: no limit. */
    volatile int upstreamBytesPerChunk;

    FaultProxy(String host, int port) throws IOException {
        upstream = new InetSocketAddress(host, port);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fault-proxy-" + host);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Back to plain forwarding. */
    void reset() {
        mode = Mode.PASS;
        delayMs = 0;
        upstreamBytesPerChunk = 0;
    }

    /** Drops every open connection at once (both sides see it closed), as a broken link or a dead peer would. */
    void cut() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(client);
            if (mode == Mode.BLACKHOLE) {
                start(() -> discard(client));
                continue;
            }
            start(() -> {
                Socket up = new Socket();
                try {
                    up.connect(upstream, 10_000);
                    open.add(up);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(up);
                    return;
                }
                start(() -> pump(up, client, false));
                pump(client, up, true);
            });
        }
    }

    private void pump(Socket from, Socket to, boolean towardsSshd) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int limit = towardsSshd && upstreamBytesPerChunk > 0 ? Math.min(buf.length, upstreamBytesPerChunk) : buf.length;
                int n = in.read(buf, 0, limit);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
                if (delayMs > 0) {
                    Thread.sleep(delayMs);
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed by cut() or by the other side
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private void discard(Socket s) {
        byte[] buf = new byte[4096];
        try (InputStream in = s.getInputStream()) {
            while (in.read(buf) >= 0) {
                // never answer
            }
        } catch (IOException e) {
            // closed
        } finally {
            closeQuietly(s);
            open.remove(s);
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        cut();
    }
}

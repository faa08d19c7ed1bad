package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.SshDialer;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.transport.TransportOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens the one connection per host a run uses; a host it cannot reach is that host's result. Credentials and
 * host keys are resolved once ({@link #prepare()}), before any host is contacted; then each host is opened on its
 * own, on {@link FanOut} ({@link #forks()} at a time), so a host that does not answer holds up nobody else.
 */
public interface Connector {

    /**
     * @param connected   open connections by inventory name, in the order asked
     * @param unreachable one-line reason by inventory name (fingerprint and fix for host-key problems), in that order
     */
    record Opened(Map<String, Connection> connected, Map<String, String> unreachable) {
    }

    /** Opens one host. */
    @FunctionalInterface
    interface Dialer {
        /** @throws TransportException this host is unreachable: the one-line reason */
        Connection open(Host host) throws TransportException;
    }

    /** @throws TransportException when the run cannot start at all (unreadable --known-hosts, ...): nothing contacted */
    Dialer prepare() throws TransportException;

    /** How many hosts {@link #openAll} opens at once. */
    default int forks() {
        return 1;
    }

    /** Opens every host, {@link #forks()} at a time; returns when each is connected or known unreachable. */
    default Opened openAll(List<Host> hosts) throws TransportException {
        Dialer d = prepare();
        // each host's handshake is bounded by its own connect timeout; nothing cancels opening
        Map<String, Opened> each = FanOut.each("ntpdeploy-connect", forks(), hosts, () -> false,
                h -> new Opened(Map.of(h.name(), d.open(h)), Map.of()),
                (h, e) -> new Opened(Map.of(), Map.of(h.name(),
                        e instanceof TransportException && e.getMessage() != null ? e.getMessage()
                                : h.name() + ": internal error while connecting: " + e)),
                h -> new Opened(Map.of(), Map.of(h.name(), h.name() + ": not connected (interrupted)")));
        Map<String, Connection> ok = new LinkedHashMap<>();
        Map<String, String> down = new LinkedHashMap<>();
        each.values().forEach(o -> {
            ok.putAll(o.connected());
            down.putAll(o.unreachable());
        });
        return new Opened(ok, down);
    }

    /**
     * Over SSH: the user's keys, the environment's secrets, prompts (--ask-pass...) and the host-key policy are
     * resolved on first use and kept for the run (so a prompt is asked once, however many times hosts are opened);
     * {@link #openAll} opens hosts {@code --forks} at a time.
     */
    static Connector ssh(TransportOptions options) {
        return new Connector() {
            private SshDialer dialer;

            private synchronized SshDialer dialer() throws TransportException {
                if (dialer == null) {
                    dialer = SshDialer.prepare(options);
                }
                return dialer;
            }

            @Override
            public Dialer prepare() throws TransportException {
                SshDialer d = dialer();
                return d::open;
            }

            @Override
            public int forks() {
                return options.forks();
            }
        };
    }
}

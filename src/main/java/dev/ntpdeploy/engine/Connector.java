package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.Fleet;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.transport.TransportOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens the one connection per host a run uses; a host it cannot reach is that host's result. Credentials and
 * host keys are resolved once ({@link #prepare()}), before any host is contacted; then each host is opened on its
 * own, so a host that does not answer holds up nobody else.
 */
public interface Connector {

    /**
     * @param connected   open connections by inventory name
     * @param unreachable one-line reason by inventory name (fingerprint and fix for host-key problems)
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

    /** Opens every host (one after the other here; implementations open them in parallel). */
    default Opened openAll(List<Host> hosts) throws TransportException {
        Dialer d = prepare();
        Map<String, Connection> ok = new LinkedHashMap<>();
        Map<String, String> down = new LinkedHashMap<>();
        for (Host h : hosts) {
            try {
                ok.put(h.name(), d.open(h));
            } catch (TransportException e) {
                down.put(h.name(), e.getMessage());
            }
        }
        return new Opened(ok, down);
    }

    /**
     * Over SSH: the user's keys, the environment's secrets, prompts (--ask-pass...) and the host-key policy are
     * resolved on first use and kept for the run (so a prompt is asked once, however many times hosts are opened);
     * {@link #openAll} opens hosts in parallel, {@code --forks} at a time.
     */
    static Connector ssh(TransportOptions options) {
        return new Connector() {
            private Fleet.Dialer dialer;

            private synchronized Fleet.Dialer dialer() throws TransportException {
                if (dialer == null) {
                    dialer = Fleet.dialer(options);
                }
                return dialer;
            }

            @Override
            public Dialer prepare() throws TransportException {
                Fleet.Dialer d = dialer();
                return d::open;
            }

            @Override
            public Opened openAll(List<Host> hosts) throws TransportException {
                Fleet fleet = dialer().openAll(hosts);
                return new Opened(fleet.connected(), fleet.unreachable());
            }
        };
    }
}

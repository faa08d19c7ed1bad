package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.TransportException;
import java.util.List;
import java.util.Map;

/** Opens the one connection per host a run uses (in parallel); a host it cannot reach is that host's result. */
@FunctionalInterface
public interface Connector {

    /**
     * @param connected   open connections by inventory name
     * @param unreachable one-line reason by inventory name (fingerprint and fix for host-key problems)
     */
    record Opened(Map<String, Connection> connected, Map<String, String> unreachable) {
    }

    /** @throws TransportException when the run cannot start at all (unreadable --known-hosts, ...): nothing contacted */
    Opened openAll(List<Host> hosts) throws TransportException;
}

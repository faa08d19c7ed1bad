package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.transport.Connection;
import java.io.IOException;

/** Opens the one connection a run uses for a host; a failure makes that host unreachable. */
@FunctionalInterface
public interface Connector {

    Connection open(Host host) throws IOException;
}

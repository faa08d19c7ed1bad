package dev.ntpdeploy.watch;

import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.engine.VerifyJob;
import dev.ntpdeploy.engine.VerifyRequest;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.inventory.InventoryException;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.render.RenderException;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.transport.TransportOptions;
import dev.ntpdeploy.verify.VerifyResult;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One watch round = what {@code ntpdeploy verify} does once ({@link VerifyJob}: connect to the hosts of --limit and
 * their masters, one probe per host, no waiting for sync, the whole topology judged, close). Connections are opened
 * per round and closed at its end: a long-running watch then survives reboots and re-keyed hosts and holds no sockets
 * between rounds (a handshake per host per round is cheap at minute intervals). The limit, the templates, passwords
 * and the host-key policy are checked and resolved once, before the first round, so --ask-pass prompts once.
 */
public final class VerifyRound implements VerificationRound {

    private final VerifyJob job;
    private final VerifyJob.Selection selection;
    private final Inventory inventory;
    /** The connections of the round in progress, so {@link #close()} can unblock it. */
    private final Set<Connection> current = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param request its connector opens each round's connections (SSH in {@link #open}; in-memory hosts in tests) */
    VerifyRound(VerifyRequest request, Consumer<String> progress) throws InventoryException, RenderException {
        this.job = VerifyJob.of(new VerifyRequest(request.inventory(), request.renderer(), request.limit(),
                request.settings(), tracking(request.connector())), progress, () -> closed);
        this.selection = job.select();
        this.inventory = request.inventory();
    }

    /**
     * @param progress verify's progress lines (stderr); a single round prints none unless it waits
     * @throws InventoryException --limit is invalid or matches nothing
     * @throws RenderException    a template does not render for a selected host
     * @throws TransportException no host could be opened at all (an unreadable --known-hosts, a prompt without a
     *                            terminal)
     */
    public static VerifyRound open(Inventory inventory, ConfigRenderer renderer, String limit, TransportOptions options,
                                   Consumer<String> progress)
            throws InventoryException, RenderException, TransportException {
        Connector ssh = Connector.ssh(options);
        VerifyRound round = new VerifyRound(new VerifyRequest(inventory, renderer, limit,
                VerifyRequest.Settings.once(options.commandTimeout(), options.forks()), ssh), progress);
        ssh.prepare(); // credentials, prompts and host keys, now rather than in the first round
        return round;
    }

    @Override
    public OptionalDouble offsetLimitMs(String host) {
        return inventory.maxOffsetMs(host);
    }

    /** The hosts each round reports (--limit). */
    public List<Host> reported() {
        return selection.reported();
    }

    @Override
    public VerifyResult run() throws Exception {
        if (closed) {
            throw new InterruptedException("watch is stopping");
        }
        try {
            return job.run(selection);
        } finally {
            current.clear(); // the job closed them
        }
    }

    /** Remembers what each round opened; a round that opens after {@link #close()} gives it all back. */
    private Connector tracking(Connector connector) {
        return new Connector() {
            @Override
            public Dialer prepare() throws TransportException {
                return connector.prepare();
            }

            @Override
            public Opened openAll(List<Host> hosts) throws TransportException {
                Opened opened = connector.openAll(hosts);
                current.addAll(opened.connected().values());
                if (closed) {
                    opened.connected().values().forEach(Connection::close);
                    throw new TransportException("watch is stopping");
                }
                return opened;
            }
        };
    }

    /** Closes the connections of a running round, which unblocks it; later rounds do not start. */
    @Override
    public void close() {
        closed = true;
        current.forEach(Connection::close);
    }
}

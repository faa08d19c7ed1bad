package dev.ntpdeploy.watch;

import dev.ntpdeploy.engine.Connector;
import dev.ntpdeploy.engine.VerifyJob;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.transport.Fleet;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.transport.TransportOptions;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One watch round = what {@code ntpdeploy verify} does once: connect to every host, run {@link VerifyJob} (one
 * probe per host, no waiting for sync, the whole topology judged), close. Connections are opened per round and
 * closed at its end: a long-running watch then survives reboots and re-keyed hosts and holds no sockets between
 * rounds (a handshake per host per round is cheap at minute intervals). Passwords and the host-key policy are
 * resolved once, before the first round, so --ask-pass prompts once.
 */
public final class VerifyRound implements VerificationRound {

    private final Inventory inventory;
    private final Connector connector;
    private final VerifyJob job;
    private volatile Connector.Opened current;
    private volatile boolean closed;

    /** @param connector opens the round's connections (SSH in {@link #open}; in-memory hosts in tests) */
    VerifyRound(Inventory inventory, ConfigRenderer renderer, Connector connector, Duration commandTimeout, int forks,
                Consumer<String> progress) {
        this.inventory = inventory;
        this.connector = connector;
        VerifyJob.Settings once = new VerifyJob.Settings(commandTimeout, forks, false, Duration.ZERO,
                VerifyJob.POLL_INTERVAL);
        this.job = VerifyJob.standard(inventory, renderer, once, progress, () -> closed);
    }

    /** @param progress verify's progress lines (stderr); a single round prints none unless it waits */
    public static VerifyRound open(Inventory inventory, ConfigRenderer renderer, TransportOptions options,
                                   Consumer<String> progress) throws TransportException {
        Fleet.Dialer ssh = Fleet.dialer(options); // passwords and host keys once, before the first round
        Connector connector = new Connector() {
            @Override
            public Dialer prepare() {
                return ssh::open;
            }

            @Override
            public Opened openAll(List<Host> hosts) {
                Fleet fleet = ssh.openAll(hosts);
                return new Opened(fleet.connected(), fleet.unreachable());
            }
        };
        return new VerifyRound(inventory, renderer, connector, options.commandTimeout(), options.forks(), progress);
    }

    @Override
    public FleetState run() throws Exception {
        Connector.Opened fleet = connector.openAll(inventory.hosts());
        current = fleet;
        try {
            if (closed) {
                throw new InterruptedException("watch is stopping");
            }
            VerifyResult result = job.run(inventory.hosts(), fleet.connected(), fleet.unreachable());
            return VerifyResults.toFleetState(result, driftChecked(result, fleet));
        } finally {
            current = null;
            closeAll(fleet);
        }
    }

    /**
     * Hosts whose config hash verify compared: every reached host, except an auto-flavor host without a running
     * ntpd (verify cannot tell which file it would read, so drift is unknown there).
     */
    private Set<String> driftChecked(VerifyResult result, Connector.Opened fleet) {
        return result.hosts().stream()
                .filter(v -> fleet.connected().containsKey(v.host()))
                .filter(v -> v.verdict() != Verdict.NTPD_DOWN || inventory.host(v.host()).map(Host::ntp)
                        .map(n -> n.flavor().isPresent()).orElse(false))
                .map(v -> v.host()).collect(Collectors.toSet());
    }

    /** Closes the connections of a running round, which unblocks it; later rounds do not start. */
    @Override
    public void close() {
        closed = true;
        Connector.Opened f = current;
        if (f != null) {
            closeAll(f);
        }
    }

    private static void closeAll(Connector.Opened fleet) {
        fleet.connected().values().parallelStream().forEach(Connection::close);
    }
}

package dev.ntpdeploy.watch;

import dev.ntpdeploy.engine.VerifyJob;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.transport.Credentials;
import dev.ntpdeploy.transport.Fleet;
import dev.ntpdeploy.transport.HostKeyPolicy;
import dev.ntpdeploy.transport.TransportException;
import dev.ntpdeploy.transport.TransportOptions;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;

import java.nio.file.Path;
import java.time.Duration;
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
    private final TransportOptions options;
    private final Credentials credentials;
    private final HostKeyPolicy hostKeys;
    private final VerifyJob job;
    private volatile Fleet current;
    private volatile boolean closed;

    private VerifyRound(Inventory inventory, ConfigRenderer renderer, TransportOptions options,
                        Credentials credentials, HostKeyPolicy hostKeys, Consumer<String> progress) {
        this.inventory = inventory;
        this.options = options;
        this.credentials = credentials;
        this.hostKeys = hostKeys;
        VerifyJob.Settings once = new VerifyJob.Settings(options.commandTimeout(), options.forks(), false,
                Duration.ZERO, VerifyJob.POLL_INTERVAL);
        this.job = VerifyJob.standard(inventory, renderer, once, progress, () -> closed);
    }

    /** @param progress verify's progress lines (stderr); a single round prints none unless it waits */
    public static VerifyRound open(Inventory inventory, ConfigRenderer renderer, TransportOptions options,
                                   Consumer<String> progress) throws TransportException {
        Credentials credentials = Credentials.resolve(options, System.getenv(), Credentials.Prompter.console(),
                Path.of(System.getProperty("user.home"), ".ssh"));
        return new VerifyRound(inventory, renderer, options, credentials, Fleet.hostKeyPolicy(options), progress);
    }

    @Override
    public FleetState run() throws Exception {
        Fleet fleet = Fleet.open(Fleet.specs(inventory.hosts()), options, credentials, hostKeys);
        current = fleet;
        try {
            if (closed) {
                throw new InterruptedException("watch is stopping");
            }
            VerifyResult result = job.run(inventory.hosts(), fleet.connected(), fleet.unreachable());
            return VerifyResults.toFleetState(result, driftChecked(result, fleet));
        } finally {
            current = null;
            fleet.close();
        }
    }

    /**
     * Hosts whose config hash verify compared: every reached host, except an auto-flavor host without a running
     * ntpd (verify cannot tell which file it would read, so drift is unknown there).
     */
    private Set<String> driftChecked(VerifyResult result, Fleet fleet) {
        return result.hosts().stream()
                .filter(v -> fleet.connected().containsKey(v.host()))
                .filter(v -> v.verdict() != Verdict.NTPD_DOWN || inventory.host(v.host()).map(Host::ntp)
                        .map(n -> n.flavor() != null && n.flavor() != Flavor.AUTO).orElse(false))
                .map(v -> v.host()).collect(Collectors.toSet());
    }

    /** Closes the connections of a running round, which unblocks it; later rounds do not start. */
    @Override
    public void close() {
        closed = true;
        Fleet f = current;
        if (f != null) {
            f.close();
        }
    }
}

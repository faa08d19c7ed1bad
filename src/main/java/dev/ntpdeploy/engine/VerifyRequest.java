package dev.ntpdeploy.engine;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.render.ConfigRenderer;
import dev.ntpdeploy.transport.Connection;
import java.time.Duration;
import java.util.Map;

/**
 * One verification, as {@code verify}, apply's closing verification and each {@code watch} round ask for it: see
 * {@link VerifyJob#run()}.
 *
 * @param limit        the --limit pattern of the hosts to report ("all" when not given)
 * @param connector    opens the hosts not lent
 * @param lent         connections the caller already holds (apply's, watch's kept ones), by host name: used, never
 *                     closed here
 * @param unreachable  hosts the caller already found unreachable, with their reason: not tried again
 * @param knownDaemons daemons the caller already resolved (apply's, or an earlier watch round's:
 *                     {@link VerifyJob#resolvedDaemons()}): not resolved again
 */
public record VerifyRequest(Inventory inventory, ConfigRenderer renderer, String limit, Settings settings,
                            Connector connector, Map<String, Connection> lent, Map<String, String> unreachable,
                            Map<String, Daemon> knownDaemons) {

    /** How often pending hosts are probed again: a client at minpoll 4 changes state every 16 s at most. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(3);

    /**
     * @param waitForSync  re-probe pending hosts until in sync or {@code syncTimeout}; false: one round
     * @param pollInterval time between rounds while waiting
     */
    public record Settings(Duration commandTimeout, int forks, boolean waitForSync, Duration syncTimeout,
                           Duration pollInterval) {

        /** One round, no waiting (a watch round). */
        public static Settings once(Duration commandTimeout, int forks) {
            return new Settings(commandTimeout, forks, false, Duration.ZERO, POLL_INTERVAL);
        }

        /** @param waitForSync whether to wait up to {@code syncTimeout} for pending hosts */
        public static Settings of(Duration commandTimeout, int forks, boolean waitForSync, Duration syncTimeout) {
            return new Settings(commandTimeout, forks, waitForSync, syncTimeout, POLL_INTERVAL);
        }
    }

    public VerifyRequest {
        lent = Map.copyOf(lent);
        unreachable = Map.copyOf(unreachable);
        knownDaemons = Map.copyOf(knownDaemons);
    }

    /** Verification of its own: every host is opened through {@code connector}. */
    public VerifyRequest(Inventory inventory, ConfigRenderer renderer, String limit, Settings settings,
                         Connector connector) {
        this(inventory, renderer, limit, settings, connector, Map.of(), Map.of(), Map.of());
    }
}

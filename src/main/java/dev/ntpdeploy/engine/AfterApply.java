package dev.ntpdeploy.engine;

import dev.ntpdeploy.facts.Daemon;
import dev.ntpdeploy.inventory.Inventory;
import dev.ntpdeploy.transport.Connection;
import dev.ntpdeploy.verify.VerifyResult;
import java.util.Map;
import java.util.Optional;

/**
 * What runs at the end of a real (not dry) apply while the run's connections are still open:
 * verification plugs in here, reusing them (one connection per host per run).
 */
@FunctionalInterface
public interface AfterApply {

    AfterApply NONE = (outcome, inventory, connections, daemons) -> Optional.empty();

    /**
     * @param outcome     every selected host's apply result (only called for a real, uninterrupted run)
     * @param inventory   the loaded inventory (roles, masters, ntp settings of every host, also those not selected)
     * @param connections the open connection of every reachable host, by inventory name (do not close)
     * @param daemons     the daemon apply resolved for each planned host (declared, or detected on the host),
     *                    so the hook need not resolve it again
     * @return the verification of the applied hosts, carried in the outcome; empty when none ran
     */
    Optional<VerifyResult> run(ApplyOutcome outcome, Inventory inventory, Map<String, Connection> connections,
               Map<String, Daemon> daemons);
}

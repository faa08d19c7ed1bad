package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.ClientLog;
import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.Inventory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fleet as one host's rules see it while the topology is judged: the inventory, the other hosts' observations,
 * the masters' verdicts (judged first), and whether grace windows are still open.
 */
final class Topology {

    private final Inventory inventory;
    private final Map<String, HostInput> inputs;
    /** Set when a wait for sync ran out: grace windows are closed, nothing is pending any more. */
    private final Duration waited;
    private final Map<String, HostVerdict> masterVerdicts = new HashMap<>();

    Topology(Inventory inventory, Map<String, HostInput> inputs, Duration waited) {
        this.inventory = inventory;
        this.inputs = inputs;
        this.waited = waited;
    }

    List<Host> masters() {
        return inventory.masters();
    }

    /** True while the host is inside a grace window, unless the wait for sync has run out. */
    boolean grace(boolean withinWindow) {
        return withinWindow && waited == null;
    }

    void judged(Host master, HostVerdict v) {
        masterVerdicts.put(master.name(), v);
    }

    /** A master's verdict; null when it is not judged (outside --limit, no input). */
    HostVerdict verdict(Host master) {
        return masterVerdicts.get(master.name());
    }

    /** The master is judged and serving. */
    boolean serving(Host master) {
        HostVerdict v = verdict(master);
        return v != null && v.verdict() == Verdict.SERVING;
    }

    /** Whether the host's config file differs from its rendering; empty when not reached or not compared. */
    Optional<Boolean> configDrift(Host h) {
        return inputs.get(h.name()) instanceof HostInput.Reached r ? r.configDrift() : Optional.empty();
    }

    /** Seconds since the host's daemon started, as its own probe saw it (MAX_VALUE when unknown). */
    long uptime(Host h) {
        return inputs.get(h.name()) instanceof HostInput.Reached r
                ? r.observation().uptimeSeconds(r.daemon().flavor()).orElse(Long.MAX_VALUE) : Long.MAX_VALUE;
    }

    /** The daemon family of a host: as resolved for this run when it was reached, else as declared, else NTPsec. */
    Flavor flavor(Host h) {
        return inputs.get(h.name()) instanceof HostInput.Reached r ? r.daemon().flavor()
                : h.ntp().flavor().orElse(Flavor.NTPSEC);
    }

    /**
     * The master's own record of the hosts whose requests it received (the check from both ends): empty when it was
     * not read (the master not reached, its daemon not answering, outside --limit).
     */
    Optional<ClientLog> clientLog(Host master) {
        return inputs.get(master.name()) instanceof HostInput.Reached r ? r.observation().clientLog() : Optional.empty();
    }

    /** Every inventory host, judged or not (outside --limit too). */
    List<Host> hosts() {
        return inventory.hosts();
    }

    /** Does the source denote this master (by the address clients use, its SSH address or its name)? */
    static boolean isMaster(Host master, Source s) {
        for (String id : new String[] {master.ntp().serverAddress(), master.connection().address(), master.name()}) {
            if (id != null && !id.isEmpty() && s.isAddress(id)) {
                return true;
            }
        }
        return false;
    }

    /** Clients (judged or not) whose daemon has this master as a fresh selected source. */
    List<String> clientsSelecting(Host master) {
        List<String> out = new ArrayList<>();
        for (Host cl : inventory.clients()) {
            if (inputs.get(cl.name()) instanceof HostInput.Reached r) {
                SyncState.of(r.observation()).selected().filter(s -> s.fresh() && isMaster(master, s))
                        .ifPresent(s -> out.add(cl.name()));
            }
        }
        return out;
    }

    /** "m1 is UNSYNCED, m2 is DAEMON_DOWN (chronyd)": the judged masters that do not serve. */
    String mastersNotServing() {
        return masters().stream().filter(m -> verdict(m) != null && !serving(m))
                .map(m -> m.name() + " is " + verdict(m).verdictText()).collect(Collectors.joining(", "));
    }

    /** The addresses clients poll the masters at, as a message lists them. */
    String masterAddresses() {
        return masters().stream().map(m -> m.ntp().serverAddress()).collect(Collectors.joining(", "));
    }
}

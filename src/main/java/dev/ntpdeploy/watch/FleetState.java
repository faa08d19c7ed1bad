package dev.ntpdeploy.watch;

import dev.ntpdeploy.verify.Status;

import java.util.List;

/** What one verification of the whole fleet returned: the overall status and each host's result, in inventory order. */
public record FleetState(Status status, List<HostResult> hosts) {

    public FleetState {
        hosts = List.copyOf(hosts);
    }
}

package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.Flavor;
import java.util.Optional;

/**
 * The daemon-specific half of judging a host: is the daemon there, alone, and does its query tool read it? When
 * not, the verdict is made here; otherwise the topology rules judge the daemon's account ({@link SyncState}).
 * One rule set per daemon family, chosen by the host's resolved flavor.
 */
interface DaemonRules {

    /** The host's verdict when its daemon cannot be judged by the topology rules, else empty. */
    Optional<HostVerdict> diagnose(HostContext c, Topology t);

    static DaemonRules of(Flavor flavor) {
        return flavor == Flavor.CHRONY ? ChronydRules.RULES : NtpdRules.RULES;
    }
}

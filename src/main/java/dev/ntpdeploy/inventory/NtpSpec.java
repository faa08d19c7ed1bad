package dev.ntpdeploy.inventory;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The NTP variables of one host after merging all -> groups -> host, validated and defaulted.
 * Names match the inventory variables documented in docs/inventory.md.
 */
public record NtpSpec(
        List<String> upstream,          // ntp_upstream (masters); empty = isolated
        boolean localClock,             // ntp_local_clock (default: upstream.isEmpty())
        int localStratum,               // ntp_local_stratum (default 10)
        OptionalInt orphanStratum,      // ntp_orphan_stratum -> "tos orphan N"
        OptionalInt orphanWait,         // ntp_orphan_wait -> "tos orphanwait S"
        List<Cidr> allow,               // ntp_allow: networks (IPv4 or IPv6), host bits zero, no duplicates
        boolean serveOthers,            // ntp_serve_others (default true): false = "restrict default ignore"
        Optional<Flavor> flavor,        // ntp_flavor; empty = auto (the default): detected on the host
        String serverAddress,           // ntp_server_address: how clients reach this host if it is a master
        boolean iburst,                 // ntp_iburst (default true)
        OptionalInt minpoll,            // ntp_minpoll
        OptionalInt maxpoll,            // ntp_maxpoll
        Optional<String> confPath,      // ntp_conf_path (overrides the flavor's)
        Optional<String> service,       // ntp_service (overrides the flavor's)
        List<String> extra,             // ntp_extra: lines appended verbatim (validated)
        double maxOffsetMs,             // ntp_max_offset_ms (default 128)
        boolean disableCompetitors      // ntp_disable_competitors (default true): apply stops and disables the
                                        // host's other time daemons (facts.TimeDaemon.competitorsOf)
) {

    /** The config file to write for this flavor: ntp_conf_path, else the flavor's (Debian's when the OS is unknown). */
    public String confPathFor(Flavor flavor) {
        return confPath.orElseGet(flavor::confPath);
    }

    /** As {@link #confPathFor(Flavor)} on a host of OS family {@code osId} (ID and ID_LIKE of /etc/os-release). */
    public String confPathFor(Flavor flavor, List<String> osId) {
        return confPath.orElseGet(() -> flavor.confPath(osId));
    }

    /** The flavors this host may be rendered for: the declared one, or every one when it is detected (auto). */
    public List<Flavor> candidateFlavors() {
        return flavor.map(List::of).orElseGet(() -> List.of(Flavor.values()));
    }
}

package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.Role;
import java.util.List;

/**
 * The judged state of one host.
 *
 * @param peer     the selected peer as ntpq printed it ("LOCAL(0)", an address, "orphan"), null when none
 * @param stratum  the host's own stratum (what it serves at), null when unknown
 * @param offsetMs offset of the selected peer in ms (null when none)
 * @param jitterMs jitter of the selected peer in ms (null when none)
 * @param reach    reach register of the selected peer, else of the master/upstream/local-clock row the findings are
 *                 about (e.g. 0 for an unanswered master), null when none
 * @param unknown  the host's state could not be established (SSH, unreadable output): counts as UNKNOWN
 */
public record HostVerdict(String host, Role role, Verdict verdict, String peer, Integer stratum, Double offsetMs,
                          Double jitterMs, Integer reach, List<Finding> findings, boolean unknown) {

    public HostVerdict {
        findings = List.copyOf(findings);
    }

    /** This host's contribution to the overall status. */
    public Status status() {
        Status s = switch (verdict) {
            case SERVING, SYNCED -> Status.OK;
            case STARTING, SYNCING -> Status.WARNING;
            case UNREACHABLE -> Status.UNKNOWN;
            case UNSYNCED, NTPD_DOWN -> unknown ? Status.UNKNOWN : Status.CRITICAL;
        };
        if (unknown) {
            s = s.worst(Status.UNKNOWN);
        }
        for (Finding f : findings) {
            s = s.worst(Status.of(f.severity()));
        }
        return s;
    }
}

package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.Role;
import java.util.List;
import java.util.Optional;

/**
 * The judged state of one host: what verify prints, apply reports after applying, and each watch round exports,
 * records and compares. A value that is not known is null or empty, never a made-up 0.
 *
 * @param peer        the selected peer as ntpq printed it ("LOCAL(0)", an address, "orphan"), null when none
 * @param stratum     the host's own stratum (what it serves at), null when unknown
 * @param offsetMs    offset of the selected peer in ms (null when none)
 * @param jitterMs    jitter of the selected peer in ms (null when none)
 * @param reach       reach register of the selected peer, else of the master/upstream/local-clock row the findings are
 *                    about (e.g. 0 for an unanswered master), null when none
 * @param findings    what is wrong; a finding's code is its identity across watch rounds
 * @param unknown     the host's state could not be established (SSH, unreadable output): counts as UNKNOWN
 * @param configDrift whether the config file on the host differs from the rendered one (missing counts as differing);
 *                    empty when it was not compared (the host not reached, an auto host without a daemon to tell
 *                    which file it reads)
 */
public record HostVerdict(String host, Role role, Verdict verdict, String peer, Integer stratum, Double offsetMs,
                          Double jitterMs, Integer reach, List<Finding> findings, boolean unknown,
                          Optional<Boolean> configDrift) {

    public HostVerdict {
        findings = List.copyOf(findings);
    }

    /** A verdict whose config file was not compared (the judge adds the comparison with {@link #withConfigDrift}). */
    public HostVerdict(String host, Role role, Verdict verdict, String peer, Integer stratum, Double offsetMs,
                       Double jitterMs, Integer reach, List<Finding> findings, boolean unknown) {
        this(host, role, verdict, peer, stratum, offsetMs, jitterMs, reach, findings, unknown, Optional.empty());
    }

    public HostVerdict withConfigDrift(Optional<Boolean> drift) {
        return new HostVerdict(host, role, verdict, peer, stratum, offsetMs, jitterMs, reach, findings, unknown, drift);
    }

    /** False when SSH failed: the host's time state is then unknown, not bad. */
    public boolean reached() {
        return verdict != Verdict.UNREACHABLE;
    }

    /** Serving (master) or synced (client); empty when the host's state is unknown. */
    public Optional<Boolean> synced() {
        return unknown || !reached() ? Optional.empty() : Optional.of(verdict.inSync());
    }

    /** This host's contribution to the overall status. */
    public Status status() {
        Status s = switch (verdict) {
            case SERVING, SYNCED -> Status.OK;
            case STARTING, SYNCING -> Status.WARNING;
            case UNKNOWN, UNREACHABLE -> Status.UNKNOWN;
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

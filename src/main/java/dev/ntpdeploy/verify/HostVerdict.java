package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.Flavor;
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
 * @param daemon      the daemon family the host was judged as: the resolved one when reached (for an auto host
 *                    where no daemon was found, the one verify assumed to look for), the declared one when not
 *                    reached; empty when not known (an auto host not reached)
 */
public record HostVerdict(String host, Role role, Verdict verdict, String peer, Integer stratum, Double offsetMs,
                          Double jitterMs, Integer reach, List<Finding> findings, boolean unknown,
                          Optional<Boolean> configDrift, Optional<Flavor> daemon) {

    public HostVerdict {
        findings = List.copyOf(findings);
    }

    /** A verdict whose config file was not compared and whose daemon is not known. */
    public HostVerdict(String host, Role role, Verdict verdict, String peer, Integer stratum, Double offsetMs,
                       Double jitterMs, Integer reach, List<Finding> findings, boolean unknown) {
        this(host, role, verdict, peer, stratum, offsetMs, jitterMs, reach, findings, unknown, Optional.empty(),
                Optional.empty());
    }

    /** The judge adds the comparison of the config file. */
    public HostVerdict withConfigDrift(Optional<Boolean> drift) {
        return new HostVerdict(host, role, verdict, peer, stratum, offsetMs, jitterMs, reach, findings, unknown, drift,
                daemon);
    }

    /** The same verdict of a host whose daemon family is {@code d}. */
    public HostVerdict withDaemon(Optional<Flavor> d) {
        return new HostVerdict(host, role, verdict, peer, stratum, offsetMs, jitterMs, reach, findings, unknown,
                configDrift, d);
    }

    /** The verdict as people read it: {@code DAEMON_DOWN (chronyd)} names the daemon ({@link Verdict#text}). */
    public String verdictText() {
        return verdict.text(daemon);
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
            case UNSYNCED, DAEMON_DOWN -> unknown ? Status.UNKNOWN : Status.CRITICAL;
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

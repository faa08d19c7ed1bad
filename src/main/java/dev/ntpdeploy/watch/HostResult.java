package dev.ntpdeploy.watch;

import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.Finding;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What one round observed on one host: the part of verify's per-host verdict that watch exports,
 * records and compares. Empty optionals mean "not known this round" (never a made-up 0).
 *
 * @param host        inventory name
 * @param role        master or client
 * @param verdict     verify's verdict word: SYNCED, SYNCING, SERVING, STARTING, UNSYNCED, NTPD_DOWN, UNREACHABLE
 * @param peer        the selected peer, if any
 * @param stratum     the host's own stratum, if ntpd answered
 * @param offsetMs    offset to the selected peer in milliseconds
 * @param jitterMs    jitter of the selected peer in milliseconds
 * @param reach       reach register of the selected peer (0..255, ntpq prints it in octal: 377 = 255)
 * @param configDrift whether the file on the host differs from the rendered one, if that was checked
 * @param findings    what verify found wrong; a finding's code is its identity across rounds
 * @param unknown     the host's state could not be established (SSH failed, ntpq unreadable): its sync is unknown
 */
public record HostResult(String host, Role role, String verdict, Optional<String> peer, OptionalInt stratum,
                         OptionalDouble offsetMs, OptionalDouble jitterMs, OptionalInt reach,
                         Optional<Boolean> configDrift, List<Finding> findings, boolean unknown) {

    public static final String UNREACHABLE = "UNREACHABLE";

    public HostResult {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(verdict, "verdict");
        findings = List.copyOf(findings);
    }

    /** A host that could not be reached over SSH this round: nothing about its time is known. */
    public static HostResult unreachable(String host, Role role, List<Finding> findings) {
        return new HostResult(host, role, UNREACHABLE, Optional.empty(), OptionalInt.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalInt.empty(), Optional.empty(), findings, true);
    }

    /** False when SSH failed: the host's time state is then unknown, not bad. */
    public boolean reached() {
        return !UNREACHABLE.equals(verdict);
    }

    /** Serving (master) or synced (client); empty when the host's state is unknown. */
    public Optional<Boolean> synced() {
        if (unknown || !reached()) {
            return Optional.empty();
        }
        return Optional.of(role == Role.MASTER ? "SERVING".equals(verdict) : "SYNCED".equals(verdict));
    }
}

package dev.ntpdeploy.watch;

import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.VerifyResult;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/** Turns verify's judgement of the fleet into what watch exports and compares. */
public final class VerifyResults {

    /** Findings that mean the file on the host is not the rendered one. */
    static final Set<String> DRIFT_CODES = Set.of("CONFIG_DRIFT", "CONFIG_MISSING");

    private VerifyResults() {
    }

    /**
     * @param driftChecked the hosts for which the round gave the judge the rendered config's hash; for the others
     *                     config drift is unknown (no series) unless a drift finding says otherwise
     */
    public static FleetState toFleetState(VerifyResult result, Set<String> driftChecked) {
        return new FleetState(result.status(),
                result.hosts().stream().map(v -> toHostResult(v, driftChecked.contains(v.host()))).toList());
    }

    static HostResult toHostResult(HostVerdict v, boolean driftChecked) {
        boolean drifted = v.findings().stream().anyMatch(f -> DRIFT_CODES.contains(f.code()));
        Optional<Boolean> drift = drifted ? Optional.of(true)
                : driftChecked && !v.unknown() ? Optional.of(false) : Optional.empty();
        return new HostResult(v.host(), v.role(), v.verdict().name(), Optional.ofNullable(v.peer()),
                v.stratum() == null ? OptionalInt.empty() : OptionalInt.of(v.stratum()),
                v.offsetMs() == null ? OptionalDouble.empty() : OptionalDouble.of(v.offsetMs()),
                v.jitterMs() == null ? OptionalDouble.empty() : OptionalDouble.of(v.jitterMs()),
                v.reach() == null ? OptionalInt.empty() : OptionalInt.of(v.reach()),
                drift, v.findings(), v.unknown());
    }
}

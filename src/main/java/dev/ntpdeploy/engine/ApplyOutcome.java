package dev.ntpdeploy.engine;

import dev.ntpdeploy.verify.VerifyResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A finished run: every selected host's result in inventory order.
 *
 * @param interrupted the run was cut short by Ctrl-C (some hosts skipped)
 * @param verified    the closing verification of the applied hosts; empty after a dry run, an interrupted run or
 *                    with --no-verify
 */
public record ApplyOutcome(List<HostResult> results, boolean dryRun, boolean interrupted,
                           Optional<VerifyResult> verified) {

    public ApplyOutcome {
        results = List.copyOf(results);
    }

    /** Not verified (yet). */
    public ApplyOutcome(List<HostResult> results, boolean dryRun, boolean interrupted) {
        this(results, dryRun, interrupted, Optional.empty());
    }

    public ApplyOutcome withVerified(Optional<VerifyResult> result) {
        return new ApplyOutcome(results, dryRun, interrupted, result);
    }

    public Map<HostStatus, Long> counts() {
        Map<HostStatus, Long> m = results.stream()
                .collect(Collectors.groupingBy(HostResult::status, Collectors.counting()));
        for (HostStatus s : HostStatus.values()) {
            m.putIfAbsent(s, 0L);
        }
        return m;
    }

    public long count(HostStatus s) {
        return counts().get(s);
    }

    public Map<String, HostResult> byHost() {
        return results.stream().collect(Collectors.toMap(HostResult::host, Function.identity()));
    }
}

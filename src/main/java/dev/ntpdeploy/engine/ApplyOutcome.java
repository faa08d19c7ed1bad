package dev.ntpdeploy.engine;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A finished run: every selected host's result in inventory order.
 *
 * @param interrupted the run was cut short by Ctrl-C (some hosts skipped)
 * @param afterApply  what the after-apply hook returned (verification), or null
 */
public record ApplyOutcome(List<HostResult> results, boolean dryRun, boolean interrupted, Object afterApply) {

    public ApplyOutcome {
        results = List.copyOf(results);
    }

    public ApplyOutcome withAfterApply(Object value) {
        return new ApplyOutcome(results, dryRun, interrupted, value);
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

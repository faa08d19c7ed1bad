package dev.ntpdeploy.watch;

import dev.ntpdeploy.verify.Finding;
import dev.ntpdeploy.verify.HostVerdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Compares each round with the last one that judged the fleet and reports what changed per host: sync lost
 * or regained, findings appeared or cleared. The first round is the baseline (nothing to compare with);
 * a round that failed as a whole says nothing about hosts and is skipped.
 */
public final class StateChanges implements RoundListener {

    private final Consumer<String> log;
    private final Consumer<StateChange> onChange;
    private RoundResult baseline;

    /** @param onChange called for each change after it is logged (the hook); its failure is logged, not fatal */
    public StateChanges(Consumer<String> log, Consumer<StateChange> onChange) {
        this.log = log;
        this.onChange = onChange;
    }

    @Override
    public void onRound(RoundResult round) {
        if (round.failed()) {
            return;
        }
        List<StateChange> changes = baseline == null ? List.of() : diff(baseline, round);
        baseline = round;
        for (StateChange c : changes) {
            log.accept(c.logLine());
            try {
                onChange.accept(c);
            } catch (RuntimeException e) {
                log.accept("watch: on-change hook for " + c.host() + ": " + WatchLoop.oneLine(e));
            }
        }
    }

    /** What changed from {@code before} to {@code after}, per host in {@code after}'s order. */
    public static List<StateChange> diff(RoundResult before, RoundResult after) {
        Map<String, HostVerdict> old = new LinkedHashMap<>();
        before.hosts().forEach(h -> old.put(h.host(), h));
        List<StateChange> out = new ArrayList<>();
        for (HostVerdict now : after.hosts()) {
            HostVerdict was = old.get(now.host());
            if (was == null) {
                continue;
            }
            boolean wasOk = was.synced().orElse(false);
            boolean isOk = now.synced().orElse(false);
            if (wasOk != isOk) {
                out.add(change(after, now, isOk ? StateChange.Kind.REGAINED_SYNC : StateChange.Kind.LOST_SYNC,
                        was.verdict().name(), now.verdict().name(), Optional.empty()));
            }
            Map<String, Finding> wasF = byCode(was);
            Map<String, Finding> nowF = byCode(now);
            nowF.forEach((code, f) -> {
                if (!wasF.containsKey(code)) {
                    out.add(change(after, now, StateChange.Kind.FINDING_APPEARED, "absent", "present", Optional.of(f)));
                }
            });
            wasF.forEach((code, f) -> {
                if (!nowF.containsKey(code)) {
                    out.add(change(after, now, StateChange.Kind.FINDING_CLEARED, "present", "absent", Optional.of(f)));
                }
            });
        }
        return out;
    }

    private static Map<String, Finding> byCode(HostVerdict h) {
        Map<String, Finding> m = new LinkedHashMap<>();
        h.findings().forEach(f -> m.putIfAbsent(f.code(), f));
        return m;
    }

    private static StateChange change(RoundResult round, HostVerdict h, StateChange.Kind kind, String from, String to,
                                      Optional<Finding> finding) {
        return new StateChange(round.finishedAt(), round.number(), h.host(), h.role(), kind, from, to, finding,
                h.daemon());
    }
}

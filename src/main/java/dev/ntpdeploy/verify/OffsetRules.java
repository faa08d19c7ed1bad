package dev.ntpdeploy.verify;

import java.util.List;

/**
 * How far the clock is from its source: warning above half of ntp_max_offset_ms, critical above it, panic; and the
 * daemon's own error bound against the same limit.
 */
final class OffsetRules {

    private OffsetRules() {
    }

    /** Judges the offset to the source the host follows. @return true when it rules out being in sync */
    static boolean check(HostContext c, Source s) {
        double limit = c.ntp().maxOffsetMs();
        double abs = Math.abs(s.offsetMs());
        if (beyondPanic(c, abs)) {
            panic(c, s);
            return true;
        }
        if (abs > limit) {
            c.add(FindingCode.OFFSET_CRITICAL, List.of(s.evidence()), "truncated", s.offsetTruncated(),
                    "offset", Phrase.number(abs), "peer", s.address(), "limit", Phrase.number(limit));
            return true;
        }
        if (abs > limit / 2) {
            c.add(FindingCode.OFFSET_WARNING, List.of(s.evidence()), "truncated", s.offsetTruncated(),
                    "offset", Phrase.number(abs), "peer", s.address(), "limit", Phrase.number(limit));
        }
        errorBound(c, s, limit);
        return false;
    }

    /**
     * The daemon's own bound on its clock's error ({@link ErrorBound}, every daemon family) beyond the offset limit:
     * the offset to its source is within the limit, but the chain above it does not prove the clock is. Judged once
     * the source's reach register is full (eight answered polls): before that ntpd's dispersion still counts its
     * empty filter stages at 16 s each (the lab's ntpsec client read 937 ms at reach 1, a few ms at 377).
     */
    private static void errorBound(HostContext c, Source s, double limit) {
        if ((s.reach() & 0xff) != 0xff) {
            return;
        }
        c.state.errorBound().filter(b -> b.ms() > limit).ifPresent(b -> c.add(FindingCode.ERROR_BOUND_HIGH,
                List.of(b.evidence()), "bound", b.shown(), "limit", Phrase.number(limit),
                "parts", b.evidence()));
    }

    /** With nothing selected, a source that answers from beyond the panic threshold explains why. */
    static void panicWithoutSelection(HostContext c) {
        if (c.state.selected().isEmpty()) {
            c.state.sources().stream().filter(s -> s.reach() != 0 && beyondPanic(c, Math.abs(s.offsetMs()))).findFirst()
                    .ifPresent(s -> panic(c, s));
        }
    }

    /** Beyond the offset the host's daemon refuses to correct (ntpd's panic threshold; chrony has none). */
    private static boolean beyondPanic(HostContext c, double absMs) {
        var t = c.daemon.flavor().panicThresholdMs();
        return t.isPresent() && absMs >= t.getAsDouble();
    }

    private static void panic(HostContext c, Source s) {
        c.add(FindingCode.OFFSET_PANIC, List.of(s.evidence()), "truncated", s.offsetTruncated(),
                "offset", Phrase.number(Math.abs(s.offsetMs())), "peer", s.address());
    }
}

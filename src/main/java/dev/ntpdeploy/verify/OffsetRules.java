package dev.ntpdeploy.verify;

import java.util.List;

/** How far the clock is from its source: warning above half of ntp_max_offset_ms, critical above it, panic. */
final class OffsetRules {

    /** ntpd refuses to correct more than this without -g (its panic threshold, 1000 s). */
    static final double PANIC_MS = 1_000_000;

    private OffsetRules() {
    }

    /** Judges the offset to the source the host follows. @return true when it rules out being in sync */
    static boolean check(HostContext c, Source s) {
        double limit = c.ntp().maxOffsetMs();
        double abs = Math.abs(s.offsetMs());
        if (abs >= PANIC_MS) {
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
        return false;
    }

    /** With nothing selected, a source that answers from beyond the panic threshold explains why. */
    static void panicWithoutSelection(HostContext c) {
        if (c.state.selected().isEmpty()) {
            c.state.sources().stream().filter(s -> s.reach() != 0 && Math.abs(s.offsetMs()) >= PANIC_MS).findFirst()
                    .ifPresent(s -> panic(c, s));
        }
    }

    private static void panic(HostContext c, Source s) {
        c.add(FindingCode.OFFSET_PANIC, List.of(s.evidence()), "truncated", s.offsetTruncated(),
                "offset", Phrase.number(Math.abs(s.offsetMs())), "peer", s.address());
    }
}

package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.inventory.NtpSpec;
import java.util.OptionalInt;

/** The strata the inventory implies, each rule written once. */
final class Strata {

    private Strata() {
    }

    /** A server's clients run one stratum below it (the number one higher). */
    static int below(int stratum) {
        return stratum + 1;
    }

    /** The local clock driver with {@code fudge ... stratum N} serves at N+1. */
    static int localClock(NtpSpec n) {
        return below(n.localStratum());
    }

    /** {@code tos orphan N} serves at N. */
    static OptionalInt orphan(NtpSpec n) {
        return n.orphanStratum();
    }

    /** A master without upstreams serves its own clock: the local clock, else orphan mode; empty with upstreams. */
    static OptionalInt ownClock(Host master) {
        NtpSpec n = master.ntp();
        if (!n.upstream().isEmpty()) {
            return OptionalInt.empty();
        }
        return n.localClock() ? OptionalInt.of(localClock(n)) : orphan(n);
    }

    /**
     * What a serving master should be at, given what it serves from: the local clock, or orphan mode (no source
     * selected); empty when it serves an upstream (the upstream's stratum decides).
     */
    static OptionalInt serving(NtpSpec n, Source selected, boolean orphanParent) {
        if (selected != null && selected.localClock()) {
            return OptionalInt.of(localClock(n));
        }
        return selected == null && orphanParent ? orphan(n) : OptionalInt.empty();
    }
}

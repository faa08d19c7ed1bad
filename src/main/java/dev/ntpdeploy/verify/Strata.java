package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.Flavor;
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

    /** A master serving its local clock at ntp_local_stratum N: ntpd's LOCAL fudge at N+1, chrony's local at N. */
    static int localClock(NtpSpec n, Flavor f) {
        return f.localClockServes(n.localStratum());
    }

    /** {@code tos orphan N} serves at N. */
    static OptionalInt orphan(NtpSpec n) {
        return n.orphanStratum();
    }

    /** A master without upstreams serves its own clock: the local clock, else orphan mode; empty with upstreams. */
    static OptionalInt ownClock(Host master, Flavor f) {
        NtpSpec n = master.ntp();
        return n.upstream().isEmpty() ? f.ownClockStratum(n) : OptionalInt.empty();
    }

    /**
     * What a serving master should be at, given what it serves from: the local clock, or orphan mode (no source
     * selected); empty when it serves an upstream (the upstream's stratum decides).
     */
    static OptionalInt serving(NtpSpec n, Flavor f, Source selected, boolean orphanParent) {
        if (selected != null && selected.localClock()) {
            return OptionalInt.of(localClock(n, f));
        }
        return selected == null && orphanParent ? f.sourcelessStratum(n) : OptionalInt.empty();
    }
}

package dev.ntpdeploy.verify;

import java.util.List;

/**
 * One time source as the host's daemon reports it, in the words the topology rules use: the selected peer, its
 * stratum, reach, offset, when it last answered. The rules never read a daemon's own output; an adapter per daemon
 * makes these ({@link NtpqReading} from ntpq's billboard; chronyc's sources would be another), so a rule holds for
 * every daemon whose meaning is the same.
 */
interface Source {

    /** The address or name as the daemon prints it (may be shortened: see {@link #isAddress}). */
    String address();

    /** The source's own reference id as printed (".INIT.", ".LOCL.", an address), may be empty. */
    String refid();

    /** The source's stratum (16: not synchronised). */
    int stratum();

    int pollSeconds();

    /** Seconds since the last packet from it, null when none arrived yet. */
    Integer lastReplySeconds();

    /** The 8-bit reach register: bit 0 is the latest poll. */
    int reach();

    double offsetMs();

    /** The offset was printed cut short: only a lower bound of its magnitude is known. */
    boolean offsetTruncated();

    double jitterMs();

    /** The daemon's system peer: the source it synchronises to. */
    boolean selected();

    /** Why the daemon's selection leaves this source out, when the daemon says why ({@link Rejection}). */
    Rejection rejection();

    /** Rejected by the daemon's selection because it disagrees with the other sources. */
    default boolean falseticker() {
        return rejection() == Rejection.FALSETICKER;
    }

    /** A reference clock driver (the local clock, GPS, PPS...) rather than a server over the network. */
    boolean refclock();

    /** The undisciplined local clock ({@code LOCAL(0)}), or a source that says it serves one. */
    boolean localClock();

    /** A pool entry that only spawns servers: never selectable itself. */
    boolean poolPrototype();

    /** What the daemon says about this source beyond its numbers. */
    Signal signal();

    /** Does the daemon's name for this source denote {@code id} (an address or host name from the inventory)? */
    boolean isAddress(String id);

    /** The source as evidence: the daemon's own line for it. */
    String evidence();

    /** The latest poll got a valid reply. */
    boolean latestAnswered();

    /** Nothing heard for more than two polls. */
    boolean overdue();

    /** Polls missed since the first success still in the reach register. */
    int missedSinceFirstSuccess();

    /** The reach register as the daemon prints it (octal). */
    String reachOctal();

    /** The sources as evidence, one line each. */
    static List<String> evidence(List<Source> sources) {
        return sources.stream().map(Source::evidence).toList();
    }

    /** Answering now: the latest poll answered and nothing overdue. A kept selection alone is not freshness. */
    default boolean fresh() {
        return latestAnswered() && !overdue();
    }

    /**
     * The daemon's own reason for leaving a source out of its selection, in words every daemon family shares: ntpq's
     * tally {@code x} and chronyc's state {@code x} are FALSETICKER; chronyc's {@code ~} TOO_VARIABLE and {@code ?}
     * UNUSABLE (ntpq has no such codes: its rows are NONE unless {@code x}).
     */
    enum Rejection {
        NONE,
        /** Disagrees with the other sources (no majority agrees with it). */
        FALSETICKER,
        /** Its samples vary too much (chrony: beyond {@code maxjitter}). */
        TOO_VARIABLE,
        /** Not usable: too few samples, not synchronised itself, or too far away ({@code maxdistance}). */
        UNUSABLE
    }

    /** A kiss-of-death, a clock step or a name that never resolved: each is its own diagnosis. */
    enum Signal {
        NONE,
        /** The server refuses this client (ntpd's kiss codes DENY, RSTR). */
        DENIED,
        /** The server rate-limits this client (kiss code RATE). */
        RATE_LIMITED,
        /** The client has just stepped its clock: its associations restart. */
        STEPPED,
        /** The source's name did not resolve. */
        UNRESOLVED
    }
}

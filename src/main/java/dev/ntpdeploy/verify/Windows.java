package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.NtpSpec;

/**
 * How long a silence is normal after a daemon starts, before the judge calls it a failure: each grace window
 * written once. Poll intervals are the source's own, as the daemon reports it.
 */
final class Windows {

    /** The poll interval assumed when the daemon lists no source to read it from. */
    static final int DEFAULT_POLL_S = 64;

    private Windows() {
    }

    /** How long the daemon waits before serving its own clock: orphanwait (configured or default) for ntpd. */
    static int orphanWait(NtpSpec n, Flavor f) {
        return f.ownClockWaitSeconds(n.orphanWait());
    }

    /** orphanwait delays only the local clock and orphan mode: does this master have either? */
    static boolean waitsForOrphanwait(NtpSpec n) {
        return n.localClock() || n.orphanStratum().isPresent();
    }

    /**
     * A restarted master: orphanwait + 2 polls when it may serve its own clock; upstreams alone are selected
     * within a few polls (iburst): 2 polls + 60 s.
     */
    static long masterStart(NtpSpec n, Flavor f, int pollSeconds) {
        return waitsForOrphanwait(n) ? orphanWait(n, f) + 2L * pollSeconds : 2L * pollSeconds + 60;
    }

    /** A fresh client selects a peer: iburst needs seconds, without it about 4 polls. */
    static long clientSync(int pollSeconds) {
        return 4L * pollSeconds + 60;
    }

    /** A client has not heard its master yet: normal for the first 2 polls of either side. */
    static long firstPolls(int pollSeconds) {
        return 2L * pollSeconds;
    }

    /** A master heard a client recently: a request within its last 3 polls (and 10 s of slack). */
    static long heardRecently(int pollSeconds) {
        return 3L * pollSeconds + 10;
    }

    /** The longest poll a client is expected to use (ntpd's and chronyd's default maxpoll, 2^10 s). */
    static final int LONGEST_POLL_S = 1024;

    /**
     * Requests a master logged that surely come from a daemon started {@code uptime} seconds ago: no older than
     * {@code uptime} - 2. Both ages are whole seconds (chronyd truncates its log's, ntpq rounds, ps truncates, the
     * judge ages in whole seconds), so a request sent just before a restart can read as a second or two younger than
     * the new daemon.
     */
    static long sinceStart(long uptime) {
        return uptime - 2;
    }

    /** The reach register remembers 8 polls: losses older than a master's restart have left it after this. */
    static long reachRegister(int pollSeconds) {
        return 8L * pollSeconds;
    }
}

package dev.ntpdeploy.verify;

/** One host's state in the words an operator uses: masters serve, clients sync. */
public enum Verdict {
    /** Master: synchronised (upstream, local clock or orphan) and answering clients. */
    SERVING,
    /** Master: restarted recently, within orphanwait + 2 polls: not failed yet. */
    STARTING,
    /** Client: a fresh system peer that is one of its masters, offset within the limit. */
    SYNCED,
    /** Client: replies arriving (or its master starting), no peer selected yet, within the window after start. */
    SYNCING,
    /** Not in sync, and not within a grace window: the findings say why. */
    UNSYNCED,
    /** ntpd is not running (or not listening on UDP 123). */
    NTPD_DOWN,
    /** The host could not be reached over SSH: its state is unknown. */
    UNREACHABLE;

    /** Still converging: a waiting loop keeps polling these. */
    public boolean pending() {
        return this == STARTING || this == SYNCING;
    }
}

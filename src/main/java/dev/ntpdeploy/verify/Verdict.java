package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.Flavor;
import dev.ntpdeploy.inventory.Role;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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
    /**
     * The host's time daemon (ntpd or chronyd) is not running, not listening on UDP 123, or not installed: daemon-
     * neutral (called NTPD_DOWN before chrony was a flavor); reports name the daemon with it ({@link #text}).
     */
    DAEMON_DOWN,
    /**
     * Reached, but what its daemon says could not be read (output no rule reads, ntpq timing out with nothing on the
     * host to show why, ntpq missing, a refused or partial reply): its state is unknown, neither in sync nor proven
     * out of it. The findings hold what the host printed.
     */
    UNKNOWN,
    /** The host could not be reached over SSH: its state is unknown. */
    UNREACHABLE;

    /** Still converging: a waiting loop keeps polling these. */
    public boolean pending() {
        return this == STARTING || this == SYNCING;
    }

    /** Where the host should be: a master serving, a client synced to a master. */
    public boolean inSync() {
        return this == SERVING || this == SYNCED;
    }

    /** Whether a host of this role can get this verdict (SERVING and STARTING are a master's, SYNCED and SYNCING a client's). */
    public boolean appliesTo(Role role) {
        return switch (this) {
            case SERVING, STARTING -> role == Role.MASTER;
            case SYNCED, SYNCING -> role == Role.CLIENT;
            case UNSYNCED, DAEMON_DOWN, UNKNOWN, UNREACHABLE -> true;
        };
    }

    /**
     * The verdict as people read it (tables, progress and log lines, finding texts): {@code DAEMON_DOWN (chronyd)}
     * names the daemon that is down; every other verdict, and DAEMON_DOWN of a host whose daemon is not known, is
     * its name. Machine forms (JSON, metrics labels, exit status) carry the name and the daemon apart.
     */
    public String text(Optional<Flavor> daemon) {
        return this == DAEMON_DOWN && daemon.isPresent() ? name() + " (" + daemon.get().binary() + ")" : name();
    }

    /** The verdicts a host of this role can get, in declaration order. */
    public static List<Verdict> of(Role role) {
        return Stream.of(values()).filter(v -> v.appliesTo(role)).toList();
    }
}

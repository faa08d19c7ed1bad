package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.HostObservation;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a host's daemon says about its own synchronisation, in the words the topology rules use. Made by the
 * daemon's adapter ({@link NtpqReading}, {@link ChronyReading}) once its query tool answered in a form it reads.
 */
interface SyncState {

    /**
     * The host's daemon's account as its probe read it: the one place that picks the adapter, by what the probe
     * returned (chronyc's account when the probe asked chronyc, else ntpq's).
     */
    static SyncState of(HostObservation o) {
        return o.chronyc().isPresent() ? ChronyReading.of(o.chronyc().get()) : NtpqReading.of(o);
    }

    /** Every source the daemon lists, in its order. */
    List<Source> sources();

    /** The evidence when the daemon lists no source at all ("polls nobody"), empty otherwise. */
    Optional<String> noSources();

    /** The stratum the daemon reports for itself, when it was read. */
    OptionalInt reportedStratum();

    /** The daemon's own word on whether it is synchronised, when it was read. */
    Optional<Boolean> synced();

    /** Serving its own clock in orphan mode with no source selected. */
    boolean orphanParent();

    /** The daemon's own system state for a message ("(leap 3, stratum 16, refid INIT)"), "" when not read. */
    String system();

    /** The parts of the daemon's bound on its clock's error, when it reported them all. */
    Optional<ErrorBound> errorBound();

    default Optional<Source> selected() {
        return sources().stream().filter(Source::selected).findFirst();
    }

    /** The host's stratum: its own report, else one below the source it selected; null when neither is known. */
    default Integer stratum() {
        OptionalInt s = reportedStratum();
        if (s.isPresent()) {
            return s.getAsInt();
        }
        return selected().map(p -> Strata.below(p.stratum())).orElse(null);
    }
}

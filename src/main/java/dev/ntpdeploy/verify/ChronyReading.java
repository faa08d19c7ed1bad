package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.Chronyc;
import dev.ntpdeploy.facts.ChronycSource;
import dev.ntpdeploy.facts.ChronycSourceStats;
import dev.ntpdeploy.facts.ChronycTracking;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * chronyc's account of a host ({@code -c tracking}, {@code -c sources}, {@code -c sourcestats}) in the words the
 * topology rules use: the one place those rules meet chrony's state characters and reference ids. chrony prints no
 * kiss codes, so a refusal shows as reach 0 and is told from the master's {@code allow} by the client rules. When
 * chronyc failed, {@link ChronydRules} has judged the host before this is read; the state is then empty.
 */
record ChronyReading(List<Source> sources, Optional<ChronycTracking> tracking) implements SyncState {

    static ChronyReading of(Chronyc c) {
        if (!(c instanceof Chronyc.Report r)) {
            return new ChronyReading(List.of(), Optional.empty());
        }
        List<Source> sources = r.sources().stream()
                .<Source>map(s -> new ChronySource(s, r.statsOf(s.address()))).toList();
        return new ChronyReading(sources, Optional.of(r.tracking()));
    }

    @Override
    public Optional<String> noSources() {
        return tracking.isPresent() && sources.isEmpty() ? Optional.of(Chronyc.SOURCES + ": no source")
                : Optional.empty();
    }

    /** The tracking stratum; 16 while chronyd is not synchronised (it prints 0 then), as ntpd reports it. */
    @Override
    public OptionalInt reportedStratum() {
        return tracking.map(t -> OptionalInt.of(t.synced() ? t.stratum() : 16)).orElse(OptionalInt.empty());
    }

    @Override
    public Optional<Boolean> synced() {
        return tracking.map(ChronycTracking::synced);
    }

    /**
     * Serving its {@code local stratum} clock (reference 7F7F0101, nothing selected): the counterpart of ntpd's
     * orphan parent. {@code chronyc waitsync} never succeeds here; it is serving, not unsynchronised.
     */
    @Override
    public boolean orphanParent() {
        return tracking.map(ChronycTracking::localReference).orElse(false) && selected().isEmpty();
    }

    @Override
    public String system() {
        return tracking.map(t -> String.format(Locale.ROOT, "(%s, stratum %d, refid %s%s)", t.leap(), t.stratum(),
                t.refid(), t.address().isEmpty() ? "" : " " + t.address())).orElse("");
    }

    /** From tracking's system time offset, root delay and root dispersion (chronyc prints seconds). */
    @Override
    public Optional<ErrorBound> errorBound() {
        return tracking.map(t -> new ErrorBound(t.systemOffsetS() * 1000, t.rootDelayS() * 1000,
                t.rootDispersionS() * 1000));
    }

    /** One {@code chronyc -c sources} line, with its sourcestats line when there is one. */
    record ChronySource(ChronycSource s, Optional<ChronycSourceStats> stats) implements Source {

        @Override
        public String address() {
            return s.address();
        }

        /** chronyc's sources list no reference id. */
        @Override
        public String refid() {
            return "";
        }

        @Override
        public int stratum() {
            return s.stratum();
        }

        @Override
        public int pollSeconds() {
            return s.pollSeconds();
        }

        @Override
        public Integer lastReplySeconds() {
            Long rx = s.lastRxS();
            return rx == null ? null : (int) Math.min(rx, Integer.MAX_VALUE);
        }

        @Override
        public int reach() {
            return s.reach();
        }

        @Override
        public double offsetMs() {
            return s.offsetS() * 1000;
        }

        @Override
        public boolean offsetTruncated() {
            return false;
        }

        /** The samples' standard deviation (sourcestats), NaN when it was not listed. */
        @Override
        public double jitterMs() {
            return stats.map(st -> st.stdDevS() * 1000).orElse(Double.NaN);
        }

        @Override
        public boolean selected() {
            return s.state() == '*';
        }

        @Override
        public Rejection rejection() {
            return switch (s.state()) {
                case 'x' -> Rejection.FALSETICKER;
                case '~' -> Rejection.TOO_VARIABLE;
                case '?' -> Rejection.UNUSABLE;
                default -> Rejection.NONE;
            };
        }

        @Override
        public boolean refclock() {
            return s.refclock();
        }

        /** chrony's own clock is its {@code local} directive, never a source (see {@link #orphanParent()}). */
        @Override
        public boolean localClock() {
            return false;
        }

        /** chrony lists the servers a pool gave, never the pool itself. */
        @Override
        public boolean poolPrototype() {
            return false;
        }

        /** No kiss codes; a name that never resolved stays listed as the name. */
        @Override
        public Signal signal() {
            return s.reach() == 0 && s.lastRxS() == null && !s.address().matches("[0-9.]+|[0-9a-fA-F:]+")
                    ? Signal.UNRESOLVED : Signal.NONE;
        }

        /** With -n chronyc prints the whole address (no 15-character cut). */
        @Override
        public boolean isAddress(String id) {
            return s.address().equals(id);
        }

        @Override
        public String evidence() {
            return String.format(Locale.ROOT, "%c%c %-27s %2d %4d %4s %6s %s %s", s.mode(), s.state(), s.address(),
                    s.stratum(), s.pollLog2(), s.reachOctal(), s.lastRxS() == null ? "-" : s.lastRxS(),
                    Phrase.number(offsetMs()) + " ms", "+/- " + Phrase.number(s.errorS() * 1000) + " ms");
        }

        @Override
        public boolean latestAnswered() {
            return (s.reach() & 1) != 0;
        }

        /** Nothing received for more than two polls. */
        @Override
        public boolean overdue() {
            return s.lastRxS() != null && s.lastRxS() > 2L * s.pollSeconds();
        }

        @Override
        public int missedSinceFirstSuccess() {
            int r = s.reach() & 0xff;
            if (r == 0) {
                return 0;
            }
            int span = 32 - Integer.numberOfLeadingZeros(r);
            return span - Integer.bitCount(r);
        }

        @Override
        public String reachOctal() {
            return s.reachOctal();
        }
    }
}

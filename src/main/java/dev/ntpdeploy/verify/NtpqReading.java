package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.NtpqPeers;
import dev.ntpdeploy.facts.Peer;
import dev.ntpdeploy.facts.SystemVars;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * ntpq's account of a host (the billboard {@code ntpq -pn} and the system variables {@code ntpq -c rv}) in the
 * words the topology rules use: the one place those rules meet ntpq's columns, tally codes and refids. When ntpq
 * failed or printed something unreadable, {@link NtpdRules} has judged the host before this is read; the state is
 * then empty.
 */
record NtpqReading(List<Source> sources, Optional<String> noSources, Optional<SystemVars> rv) implements SyncState {

    static NtpqReading of(HostObservation o) {
        List<Source> sources = o.peers() instanceof NtpqPeers.Table t
                ? t.peers().stream().<Source>map(NtpqSource::new).toList() : List.of();
        Optional<String> none = o.peers() instanceof NtpqPeers.NoAssociations n ? Optional.of(n.evidence())
                : Optional.empty();
        return new NtpqReading(sources, none, o.systemVars() instanceof SystemVars v ? Optional.of(v) : Optional.empty());
    }

    @Override
    public OptionalInt reportedStratum() {
        return rv.map(SystemVars::stratum).orElse(OptionalInt.empty());
    }

    @Override
    public Optional<Boolean> synced() {
        return rv.map(SystemVars::synced);
    }

    @Override
    public boolean orphanParent() {
        return rv.map(SystemVars::isOrphanParent).orElse(false);
    }

    @Override
    public String system() {
        return rv.map(v -> Phrase.SYSTEM.render("leap", v.leap().orElse(-1), "stratum", v.stratum().orElse(-1),
                "refid", v.refid().orElse("?"))).orElse("");
    }

    /** From the system variables {@code offset}, {@code rootdelay} and {@code rootdisp} (ms), when ntpq printed them. */
    @Override
    public Optional<ErrorBound> errorBound() {
        return rv.flatMap(v -> v.offsetMs().isPresent() && v.rootDelayMs().isPresent() && v.rootDispMs().isPresent()
                ? Optional.of(new ErrorBound(v.offsetMs().getAsDouble(), v.rootDelayMs().getAsDouble(),
                        v.rootDispMs().getAsDouble()))
                : Optional.empty());
    }

    /** One billboard row. */
    record NtpqSource(Peer peer) implements Source {

        @Override
        public String address() {
            return peer.remote();
        }

        @Override
        public String refid() {
            return peer.refid();
        }

        @Override
        public int stratum() {
            return peer.stratum();
        }

        @Override
        public int pollSeconds() {
            return peer.pollSeconds();
        }

        @Override
        public Integer lastReplySeconds() {
            return peer.whenSeconds();
        }

        @Override
        public int reach() {
            return peer.reach();
        }

        @Override
        public double offsetMs() {
            return peer.offsetMs();
        }

        @Override
        public boolean offsetTruncated() {
            return peer.offsetTruncated();
        }

        @Override
        public double jitterMs() {
            return peer.jitterMs();
        }

        @Override
        public boolean selected() {
            return peer.isSystemPeer();
        }

        /** ntpq's tally names only the falseticker ({@code x}) among the reasons. */
        @Override
        public Rejection rejection() {
            return peer.tally() == 'x' ? Rejection.FALSETICKER : Rejection.NONE;
        }

        @Override
        public boolean refclock() {
            return peer.isRefclock();
        }

        @Override
        public boolean localClock() {
            return peer.isLocalClock();
        }

        @Override
        public boolean poolPrototype() {
            return peer.isPoolPrototype();
        }

        /** ntpd shows kiss codes, steps and unresolved names in the refid column. */
        @Override
        public Signal signal() {
            String r = peer.refid();
            if (r.equals(".DENY.") || r.equals(".RSTR.")) {
                return Signal.DENIED;
            }
            if (r.equals(".RATE.")) {
                return Signal.RATE_LIMITED;
            }
            if (r.equals(".STEP.")) {
                return Signal.STEPPED;
            }
            return r.startsWith(".DNS") ? Signal.UNRESOLVED : Signal.NONE;
        }

        /** -n prints addresses cut to 15 characters; classic 4.2.8 may append " (name". */
        @Override
        public boolean isAddress(String id) {
            String remote = peer.remote();
            return remote.equals(id) || remote.length() == 15 && id.startsWith(remote) || remote.startsWith(id + " (");
        }

        @Override
        public String evidence() {
            Peer p = peer;
            return String.format(Locale.ROOT, "%c%-15s %-15s %2d %c %4s %4d %4s %9s %9s %9s", p.tally(), p.remote(),
                    p.refid(), p.stratum(), p.type(), p.whenSeconds() == null ? "-" : p.whenSeconds(), p.pollSeconds(),
                    p.reachOctal(), Phrase.number(p.delayMs()), Phrase.number(p.offsetMs()),
                    Phrase.number(p.jitterMs()));
        }

        @Override
        public boolean latestAnswered() {
            return peer.latestAnswered();
        }

        @Override
        public boolean overdue() {
            return peer.overdue();
        }

        @Override
        public int missedSinceFirstSuccess() {
            return peer.missedSinceFirstSuccess();
        }

        @Override
        public String reachOctal() {
            return peer.reachOctal();
        }
    }
}

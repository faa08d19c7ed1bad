package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.NtpSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A master serves (synchronised to an upstream, its local clock or orphan mode) at the stratum the inventory
 * implies; when it does not, why: upstreams unreachable or rejected, the local clock missing, no source at all,
 * or simply still inside its start window.
 */
final class MasterRules {

    private MasterRules() {
    }

    static HostVerdict judge(HostContext c, Topology t) {
        NtpSpec ntp = c.ntp();
        SyncState st = c.state;
        Optional<Source> selected = st.selected();
        List<Source> upstreamSources = st.sources().stream().filter(s -> !s.refclock() && !s.poolPrototype()).toList();
        // the daemon's own word when it was read; else a fresh selected source
        boolean serving = st.synced().orElse(selected.map(Source::fresh).orElse(false));
        if (serving) {
            return serving(c, selected.orElse(null), upstreamSources);
        }
        return notServing(c, t, selected, upstreamSources);
    }

    private static HostVerdict serving(HostContext c, Source p, List<Source> upstreamSources) {
        NtpSpec ntp = c.ntp();
        boolean upstreams = !ntp.upstream().isEmpty();
        boolean orphanParent = c.state.orphanParent();
        if (p != null && p.localClock() && upstreams) {
            c.add(FindingCode.LOCAL_CLOCK_FALLBACK, Source.evidence(upstreamSources),
                    "upstreamRows", Phrase.sources(upstreamSources, ntp.upstream()),
                    "upstreams", String.join(", ", ntp.upstream()));
        } else if (p == null && orphanParent && upstreams && c.daemon.flavor().sourcelessMode(ntp).equals("local")) {
            // chrony's `local stratum N` (no orphan option) is its local clock, serving since no upstream is selectable
            c.add(FindingCode.LOCAL_CLOCK_FALLBACK, Source.evidence(upstreamSources),
                    "upstreamRows", Phrase.sources(upstreamSources, ntp.upstream()),
                    "upstreams", String.join(", ", ntp.upstream()));
        } else if (p == null && orphanParent && upstreams) {
            c.add(FindingCode.ORPHAN_FALLBACK, Source.evidence(upstreamSources),
                    "upstreamRows", Phrase.sources(upstreamSources, ntp.upstream()),
                    "upstreams", String.join(", ", ntp.upstream()));
        } else if (p != null && !p.refclock() && !p.fresh()) {
            c.add(FindingCode.UPSTREAM_STALE, List.of(p.evidence()), "peer", p.address(),
                    "freshness", Phrase.freshness(p));
        }
        if (p != null && !p.refclock()) {
            OffsetRules.check(c, p);
        }
        OptionalInt expected = Strata.serving(ntp, c.daemon.flavor(), p, orphanParent);
        Integer actual = c.state.stratum();
        if (expected.isPresent() && actual != null && actual != expected.getAsInt()) {
            c.add(FindingCode.STRATUM_UNEXPECTED, "master", List.of(), "actual", actual,
                    "expected", expected.getAsInt(), "localClock", p != null && p.localClock(),
                    "fudge", ntp.localStratum());
        }
        return p == null && orphanParent ? c.servingAs(c.daemon.flavor().sourcelessMode(ntp)) : c.verdict(Verdict.SERVING, p);
    }

    private static HostVerdict notServing(HostContext c, Topology t, Optional<Source> selected,
                                          List<Source> upstreamSources) {
        NtpSpec ntp = c.ntp();
        boolean upstreams = !ntp.upstream().isEmpty();
        Optional<Source> local = c.state.sources().stream().filter(Source::localClock).findFirst();
        Source shown = local.or(() -> selected).or(() -> upstreamSources.stream().findFirst()).orElse(null);
        long window = Windows.masterStart(ntp, c.daemon.flavor(), shown == null ? Windows.DEFAULT_POLL_S : shown.pollSeconds());
        List<Finding> why = new ArrayList<>();
        List<Source> answering = upstreamSources.stream().filter(s -> s.reach() != 0 && s.stratum() < 16).toList();
        if (upstreams && answering.isEmpty()) {
            boolean dns = upstreamSources.isEmpty()
                    || upstreamSources.stream().anyMatch(s -> s.signal() == Source.Signal.UNRESOLVED);
            why.add(c.finding(FindingCode.MASTER_UPSTREAM_UNREACHABLE, Source.evidence(upstreamSources), "dns", dns,
                    "upstreamRows", Phrase.sources(upstreamSources, ntp.upstream()),
                    "upstreams", String.join(", ", ntp.upstream())));
        } else if (upstreams) {
            why.add(c.finding(FindingCode.UPSTREAM_NOT_SELECTED, Source.evidence(answering),
                    "upstreamRows", Phrase.sources(answering, ntp.upstream())));
        } else if (ntp.localClock() && local.isEmpty()) {
            why.add(c.finding(FindingCode.LOCAL_CLOCK_NOT_CONFIGURED, Source.evidence(c.state.sources())));
        } else if (!ntp.localClock() && ntp.orphanStratum().isEmpty() && c.state.noSources().isPresent()) {
            why.add(c.finding(FindingCode.MASTER_NO_SOURCES, List.of()));
        } else {
            why.add(c.finding(FindingCode.MASTER_UNSYNCED, Source.evidence(c.state.sources()),
                    "system", c.state.system(), "orphanWait", Windows.orphanWait(ntp, c.daemon.flavor())));
        }
        if (t.grace(c.uptime() < window)) {
            c.add(FindingCode.STARTING, List.of(), "ownClock", Windows.waitsForOrphanwait(ntp), "window", window);
            why.forEach(f -> c.findings.add(Downgrade.MASTER_STARTING.apply(f)));
            return c.verdict(Verdict.STARTING, shown);
        }
        c.findings.addAll(why);
        return c.verdict(Verdict.UNSYNCED, shown);
    }
}

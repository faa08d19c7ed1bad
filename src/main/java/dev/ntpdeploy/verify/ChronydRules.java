package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.ChronycFailed;
import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.Unparseable;
import dev.ntpdeploy.inventory.Flavor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Is chronyd there, alone on UDP 123, and does chronyc read it? chrony's counterpart of {@link NtpdRules}: when the
 * answer is no, the verdict is made here from chronyc's error, the processes and the daemon's log; otherwise the
 * topology rules judge what chronyc read ({@link ChronyReading}).
 */
final class ChronydRules implements DaemonRules {

    static final ChronydRules RULES = new ChronydRules();

    private ChronydRules() {
    }

    @Override
    public Optional<HostVerdict> diagnose(HostContext c, Topology t) {
        HostObservation o = c.obs;
        boolean chronyd = chronydRunning(o);
        // an ntpd that owns a UDP 123 socket of this host: a process list alone may count another namespace's ntpd
        // that exited while ps read it (its namespace unreadable), which a shared lab's restarts make common
        if (chronyd && o.udp123Owners().stream().anyMatch(s -> s.startsWith("ntpd"))) {
            c.add(FindingCode.TWO_DAEMONS, o.udp123Owners(), "owners", String.join(", ", o.udp123Owners()),
                    "other", "ntpd");
        }
        if (o.chronyc().isEmpty()) {
            c.add(FindingCode.UNPARSEABLE_OUTPUT, "chronyc", List.of(), "reason", "the probe did not ask chronyc");
            return Optional.of(c.verdict(Verdict.UNKNOWN, null));
        }
        if (o.chronyc().get() instanceof ChronycFailed f) {
            return Optional.of(failed(c, f, chronyd));
        }
        if (o.chronyc().get() instanceof Unparseable u) {
            c.add(FindingCode.UNPARSEABLE_OUTPUT, "chronyc", u.raw().lines().toList(), "reason", u.reason());
            return Optional.of(c.verdict(Verdict.UNKNOWN, null));
        }
        if (!o.complete()) {
            c.add(FindingCode.PROBE_INCOMPLETE, List.of());
        }
        return Optional.empty();
    }

    /** chronyc printed an error instead of a report: its cause decides (a new cause must be judged: no default). */
    private static HostVerdict failed(HostContext c, ChronycFailed f, boolean chronyd) {
        List<String> ev = new ArrayList<>();
        ev.add(f.evidence());
        return switch (f.cause()) {
            case NO_DAEMON -> {
                if (chronyd) {
                    c.add(FindingCode.CHRONYC_NO_ANSWER, ev, "evidence", f.evidence());
                    yield c.verdict(Verdict.UNKNOWN, null);
                }
                ev.addAll(c.obs.logLines());
                ev.addAll(c.obs.udp123Owners().stream().map(s -> "UDP 123 owned by " + s).toList());
                c.add(FindingCode.CHRONYD_NOT_RUNNING, ev, "evidence", f.evidence());
                yield c.verdict(Verdict.DAEMON_DOWN, null);
            }
            case CHRONYC_MISSING -> {
                if (chronyd) {
                    c.add(FindingCode.CHRONYC_MISSING, ev);
                    yield c.verdict(Verdict.UNKNOWN, null);
                }
                c.add(FindingCode.CHRONY_NOT_INSTALLED, ev);
                yield c.verdict(Verdict.DAEMON_DOWN, null);
            }
            case NOT_AUTHORISED, ERROR -> {
                c.add(FindingCode.CHRONYC_ERROR, ev, "evidence", f.evidence());
                yield c.verdict(Verdict.UNKNOWN, null);
            }
        };
    }

    private static boolean chronydRunning(HostObservation o) {
        return o.uptimeSeconds(Flavor.CHRONY).isPresent() || o.chronydRunning();
    }
}

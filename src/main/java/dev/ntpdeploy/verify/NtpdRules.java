package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.HostObservation;
import dev.ntpdeploy.facts.NtpqFailed;
import dev.ntpdeploy.facts.Unparseable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Is ntpd there, alone on UDP 123, and does ntpq read it? The daemon-specific half of judging a host: when the
 * answer is no, the verdict is made here from ntpq's error, the processes and the daemon's log; otherwise the
 * topology rules judge what ntpq read ({@link NtpqReading}). {@link ChronydRules} is chrony's counterpart.
 */
final class NtpdRules implements DaemonRules {

    static final NtpdRules RULES = new NtpdRules();

    private NtpdRules() {
    }

    @Override
    public Optional<HostVerdict> diagnose(HostContext c, Topology t) {
        HostObservation o = c.obs;
        if (o.chronydRunning() || o.udp123Owners().stream().anyMatch(s -> s.startsWith("chrony"))) {
            if (!o.ntpdRunning()) {
                c.add(FindingCode.CHRONY_UNSUPPORTED, o.udp123Owners());
                return Optional.of(c.verdict(Verdict.DAEMON_DOWN, null));
            }
            c.add(FindingCode.TWO_DAEMONS, o.udp123Owners(), "owners", owners(o), "other", "chronyd");
        }
        if (o.peers() instanceof NtpqFailed f) {
            return Optional.of(ntpqFailed(c, t, f));
        }
        if (o.peers() instanceof Unparseable u) {
            // the whole text: the rows that matter may come late (the text form shows the first lines only)
            c.add(FindingCode.UNPARSEABLE_OUTPUT, "ntpq", u.raw().lines().toList(), "reason", u.reason());
            return Optional.of(c.verdict(Verdict.UNKNOWN, null));
        }
        if (!o.complete()) {
            c.add(FindingCode.PROBE_INCOMPLETE, List.of());
        }
        return Optional.empty();
    }

    /** ntpq printed an error instead of a billboard: its cause decides (a new cause must be judged: no default). */
    private static HostVerdict ntpqFailed(HostContext c, Topology t, NtpqFailed f) {
        List<String> ev = new ArrayList<>();
        ev.add(f.evidence());
        return switch (f.error()) {
            case NOT_LISTENING -> notListening(c, ev);
            case NTPQ_MISSING -> ntpqMissing(c, ev);
            case NO_REPLY -> noReply(c, t, ev);
            case LOOKUP_FAILED -> stateUnknown(c, FindingCode.NTPQ_LOOKUP_FAILED, f, ev);
            case INCOMPLETE -> stateUnknown(c, FindingCode.NTPQ_INCOMPLETE, f, ev);
            case SERVER_ERROR -> stateUnknown(c, FindingCode.NTPQ_SERVER_ERROR, f, ev);
        };
    }

    /** Nothing listens on UDP 123: ntpd stopped (its log may say it panicked), or runs without listening. */
    private static HostVerdict notListening(HostContext c, List<String> ev) {
        HostObservation o = c.obs;
        ev.addAll(o.logLines());
        if (o.logLines().stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).contains("panic"))) {
            c.add(FindingCode.NTPD_PANIC_EXIT, ev);
        } else if (o.ntpdRunning()) {
            c.add(FindingCode.NTPD_NOT_LISTENING, ev);
        } else {
            c.add(FindingCode.NTPD_NOT_RUNNING, "refused", ev);
        }
        return c.verdict(Verdict.DAEMON_DOWN, null);
    }

    private static HostVerdict ntpqMissing(HostContext c, List<String> ev) {
        if (!c.obs.ntpdRunning()) {
            c.add(FindingCode.NTP_NOT_INSTALLED, ev);
            return c.verdict(Verdict.DAEMON_DOWN, null);
        }
        c.add(FindingCode.NTPQ_MISSING, ev);
        return c.verdict(Verdict.UNKNOWN, null);
    }

    /** ntpq timed out: no ntpd, or one that refuses queries; it still serves when clients are synced to it. */
    private static HostVerdict noReply(HostContext c, Topology t, List<String> ev) {
        HostObservation o = c.obs;
        if (!o.ntpdRunning()) {
            c.add(FindingCode.NTPD_NOT_RUNNING, "silent", ev, "owners", owners(o));
            return c.verdict(Verdict.DAEMON_DOWN, null);
        }
        String otherOwner = o.udp123Owners().stream().filter(s -> !s.startsWith("ntpd")).findFirst().orElse("");
        List<String> served = t.clientsSelecting(c.host);
        boolean configDiffers = c.configDiffers.orElse(false);
        if (otherOwner.isEmpty() && !configDiffers && served.isEmpty()) {
            // nothing shows the cause: the state is unknown, not unsynced (a wedged daemon, a firewall on lo)
            c.add(FindingCode.NTPQ_TIMED_OUT, ev, "compared", c.configDiffers.isPresent());
            return c.verdict(Verdict.UNKNOWN, null);
        }
        String clients = String.join(", ", served);
        Finding noAnswer = !otherOwner.isEmpty()
                ? c.finding(FindingCode.NTPQ_NO_ANSWER, "owner", ev, "otherOwner", otherOwner, "served", clients)
                : c.finding(FindingCode.NTPQ_NO_ANSWER, configDiffers ? "config" : "served", ev, "served", clients);
        if (!served.isEmpty()) {
            c.findings.add(Downgrade.SERVES_SYNCED_CLIENTS.apply(noAnswer));
            return c.verdict(Verdict.SERVING, null);
        }
        c.findings.add(noAnswer);
        return c.verdict(Verdict.UNSYNCED, null);
    }

    private static HostVerdict stateUnknown(HostContext c, FindingCode code, NtpqFailed f, List<String> ev) {
        c.add(code, ev, "error", f.evidence());
        return c.verdict(Verdict.UNKNOWN, null);
    }

    private static String owners(HostObservation o) {
        return String.join(", ", o.udp123Owners());
    }
}

package dev.ntpdeploy.verify;

import dev.ntpdeploy.inventory.Cidr;
import dev.ntpdeploy.inventory.Host;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A client is synced: its selected source is one of the inventory masters, fresh, one stratum below it, within
 * the offset limit. When it selects nothing, each master it polls is diagnosed with that master's own verdict in
 * hand: from a client an unsynchronised master looks exactly like an unreachable one.
 */
final class ClientRules {

    private ClientRules() {
    }

    static HostVerdict judge(HostContext c, Topology t) {
        if (c.state.noSources().isPresent()) {
            c.add(FindingCode.CLIENT_NO_SERVERS, List.of(c.state.noSources().get()));
            return c.verdict(Verdict.UNSYNCED, null);
        }
        Optional<Source> selected = c.state.selected();
        return selected.isPresent() ? withSelected(c, t, selected.get()) : withoutSelected(c, t);
    }

    private static HostVerdict withSelected(HostContext c, Topology t, Source sys) {
        List<String> ev = List.of(sys.evidence());
        if (sys.refclock()) {
            c.add(FindingCode.CLIENT_ON_LOCAL_CLOCK, Source.evidence(c.state.sources()), "peer", sys.address(),
                    "mastersDown", t.mastersNotServing());
            return c.verdict(Verdict.UNSYNCED, sys);
        }
        Optional<Host> master = t.masters().stream().filter(m -> Topology.isMaster(m, sys)).findFirst();
        if (master.isEmpty()) {
            c.add(FindingCode.SYNCED_TO_FOREIGN_PEER, ev, "peer", sys.address(), "stratum", sys.stratum(),
                    "masters", t.masterAddresses());
            return c.verdict(Verdict.UNSYNCED, sys);
        }
        Host m = master.get();
        if (!sys.fresh()) {
            // a restarted master leaves its clients' `*` stale until their next polls are answered
            if (t.serving(m) && t.grace(t.uptime(m) < Windows.clientSync(sys.pollSeconds()))) {
                c.add(FindingCode.SYNCING, "master restarted", ev, "master", m.name(), "masterUptime", t.uptime(m),
                        "freshness", Phrase.freshness(sys));
                return c.verdict(Verdict.SYNCING, sys);
            }
            HostVerdict mv = t.verdict(m);
            if (mv != null && mv.verdict() != Verdict.SERVING) {
                c.add(FindingCode.PEER_STALE, "master not serving", ev, "peer", sys.address(), "master", m.name(),
                        "freshness", Phrase.freshness(sys), "masterVerdict", mv.verdictText());
            } else {
                c.add(FindingCode.PEER_STALE, "replies stopped", ev, "peer", sys.address(), "master", m.name(),
                        "freshness", Phrase.freshness(sys));
            }
            return c.verdict(Verdict.UNSYNCED, sys);
        }
        if (c.state.synced().isPresent() && !c.state.synced().get()) {
            if (t.grace(c.uptime() < Windows.clientSync(sys.pollSeconds()))) {
                c.add(FindingCode.SYNCING, "clock not set", List.of(), "master", m.name(), "system", c.state.system());
                return c.verdict(Verdict.SYNCING, sys);
            }
            c.add(FindingCode.CLIENT_NOT_SYNCHRONISED, ev, "master", m.name(), "system", c.state.system());
            return c.verdict(Verdict.UNSYNCED, sys);
        }
        boolean offsetBad = OffsetRules.check(c, sys);
        // polls lost while the master restarted (apply restarts it) are no sign of a lossy path
        if (sys.missedSinceFirstSuccess() >= 2 && t.uptime(m) >= Windows.reachRegister(sys.pollSeconds())) {
            c.add(FindingCode.PEER_LOSSY, ev, "master", m.name(), "reach", sys.reachOctal(),
                    "missed", sys.missedSinceFirstSuccess());
        }
        // the master's actual stratum when it serves, else the one its inventory implies
        OptionalInt served = t.serving(m) && t.verdict(m).stratum() != null ? OptionalInt.of(t.verdict(m).stratum())
                : Strata.ownClock(m, t.flavor(m));
        Integer actual = c.state.stratum();
        if (served.isPresent() && actual != null && actual != Strata.below(served.getAsInt())) {
            c.add(FindingCode.STRATUM_UNEXPECTED, "client", ev, "actual", actual,
                    "expected", Strata.below(served.getAsInt()), "master", m.name(), "served", served.getAsInt());
        }
        BothEnds.client(c, t, m, sys, true).ifPresent(c.findings::add);
        return c.verdict(offsetBad ? Verdict.UNSYNCED : Verdict.SYNCED, sys);
    }

    /** Nothing selected: why not, master by master. Waiting only when every reason is a grace window. */
    private static HostVerdict withoutSelected(HostContext c, Topology t) {
        Map<Host, Source> polled = new LinkedHashMap<>();
        for (Host m : t.masters()) {
            c.state.sources().stream().filter(s -> Topology.isMaster(m, s)).findFirst().ifPresent(s -> polled.put(m, s));
        }
        if (polled.isEmpty()) {
            c.add(FindingCode.CLIENT_MASTER_NOT_CONFIGURED, Source.evidence(c.state.sources()),
                    "masters", t.masterAddresses());
            return c.verdict(Verdict.UNSYNCED, null);
        }
        List<Finding> why = new ArrayList<>();
        boolean waiting = false;
        for (Map.Entry<Host, Source> e : polled.entrySet()) {
            Host m = e.getKey();
            Source p = e.getValue();
            List<String> ev = List.of(p.evidence());
            HostVerdict mv = t.verdict(m);
            switch (p.signal()) {
                case DENIED -> why.add(denied(c, m, p, p.refid()));
                case RATE_LIMITED -> why.add(c.finding(FindingCode.RATE_LIMITED, ev, "master", m.name()));
                case STEPPED -> {
                    waiting = t.grace(true);
                    why.add(c.finding(FindingCode.SYNCING, "stepped", ev));
                }
                case UNRESOLVED -> why.add(c.finding(FindingCode.MASTER_NAME_UNRESOLVED, ev, "master", m.name(),
                        "peer", p.address()));
                case NONE -> {
                    if (p.reach() == 0) {
                        if (mv != null && mv.verdict() == Verdict.STARTING) {
                            waiting = true;
                            why.add(c.finding(FindingCode.WAITING_FOR_MASTER, ev, "master", m.name()));
                        } else if (mv != null && mv.verdict() != Verdict.SERVING && mv.verdict() != Verdict.UNREACHABLE
                                && mv.verdict() != Verdict.UNKNOWN) {
                            why.add(c.finding(FindingCode.MASTER_NOT_SERVING, "silent", ev, "master", m.name(),
                                    "masterVerdict", mv.verdictText()));
                        } else if (mv == null || mv.verdict() == Verdict.UNREACHABLE
                                || mv.verdict() == Verdict.UNKNOWN) {
                            why.add(c.finding(FindingCode.MASTER_STATE_UNKNOWN, ev, "master", m.name(),
                                    "peer", p.address(), "why", mv == null ? "not verified"
                                            : mv.verdict() == Verdict.UNKNOWN ? "its daemon's account could not be read"
                                            : "SSH unreachable"));
                        } else if (t.grace(c.uptime() < Windows.firstPolls(p.pollSeconds())
                                || t.uptime(m) < Windows.firstPolls(p.pollSeconds()))) {
                            waiting = true;
                            why.add(c.finding(FindingCode.SYNCING, "first polls", ev, "master", m.name(),
                                    "masterRestarted", t.uptime(m) < c.uptime(), "masterUptime", t.uptime(m),
                                    "poll", p.pollSeconds()));
                        } else {
                            Finding none = noReplies(c, t, m, p);
                            why.add(none);
                            if (none.code().equals(FindingCode.CLIENT_NO_REPLIES.code())) { // not refused: which way
                                BothEnds.client(c, t, m, p, false).ifPresent(why::add);
                            }
                        }
                    } else if (p.stratum() >= 16) {
                        why.add(c.finding(FindingCode.MASTER_NOT_SERVING, "stratum 16", ev, "master", m.name()));
                    } else if (t.grace(p.latestAnswered()
                            && Math.min(c.uptime(), t.uptime(m)) < Windows.clientSync(p.pollSeconds()))) {
                        waiting = true;
                        why.add(c.finding(FindingCode.SYNCING, "hears", ev, "master", m.name(), "reach", p.reachOctal()));
                    } else if (p.rejection() == Source.Rejection.UNUSABLE && mv != null
                            && mv.verdict() == Verdict.STARTING) {
                        waiting = true;
                        why.add(c.finding(FindingCode.WAITING_FOR_MASTER, ev, "master", m.name()));
                    } else if (p.rejection() == Source.Rejection.UNUSABLE && mv != null && !mv.verdict().inSync()
                            && mv.verdict() != Verdict.UNREACHABLE && mv.verdict() != Verdict.UNKNOWN) {
                        // an unsynchronised master's replies are unusable before its reach decays to 0: blame it
                        why.add(c.finding(FindingCode.MASTER_NOT_SERVING, "silent", ev, "master", m.name(),
                                "masterVerdict", mv.verdictText()));
                    } else if (p.rejection() != Source.Rejection.NONE) {
                        why.add(rejected(c, m, p));
                    } else {
                        why.add(c.finding(FindingCode.MASTER_NOT_SELECTED, ev, "master", m.name(),
                                "reach", p.reachOctal(), "freshness", Phrase.freshness(p)));
                    }
                }
            }
        }
        c.findings.addAll(why);
        boolean anyCritical = why.stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
        return c.verdict(waiting && !anyCritical ? Verdict.SYNCING : Verdict.UNSYNCED, polled.values().iterator().next());
    }

    /** The client's daemon says why it leaves its master out: the finding of that reason. */
    private static Finding rejected(HostContext c, Host m, Source p) {
        List<String> ev = Source.evidence(c.state.sources());
        return switch (p.rejection()) {
            case FALSETICKER -> c.finding(FindingCode.MASTER_FALSETICKER, ev, "master", m.name());
            case TOO_VARIABLE -> c.finding(FindingCode.MASTER_TOO_VARIABLE, ev, "master", m.name(),
                    "reach", p.reachOctal(), "jitter", Double.isFinite(p.jitterMs()) ? Phrase.number(p.jitterMs()) : "");
            case UNUSABLE -> c.finding(FindingCode.MASTER_UNUSABLE, ev, "master", m.name(), "reach", p.reachOctal(),
                    "freshness", Phrase.freshness(p));
            case NONE -> throw new IllegalArgumentException("not rejected: " + p.evidence());
        };
    }

    /**
     * A serving master sends nothing. Its rendered restrict lines decide which cause comes first: they leave the
     * client out (CLIENT_NOT_ALLOWED); they cannot be checked against the client (a name, not an address) or the
     * master's file is not its rendering, so its restrict lines are the likelier cause; else they allow the client
     * and the path drops UDP 123.
     */
    private static Finding noReplies(HostContext c, Topology t, Host m, Source p) {
        String addr = c.host.connection().address();
        Optional<Boolean> allowed = m.ntp().serveOthers() ? Optional.of(true)
                : m.ntp().allow().isEmpty() ? Optional.of(false) : Cidr.anyContains(m.ntp().allow(), addr);
        if (allowed.isPresent() && !allowed.get()) {
            return denied(c, m, p, "");
        }
        Optional<Boolean> drift = t.configDrift(m);
        List<String> ev = List.of(p.evidence());
        if (drift.orElse(false) || allowed.isEmpty()) {
            return c.finding(FindingCode.CLIENT_NO_REPLIES, "restrict", ev, "master", m.name(), "peer", p.address(),
                    "address", addr, "drift", drift.orElse(false), "allow", String.valueOf(m.ntp().allow()));
        }
        return c.finding(FindingCode.CLIENT_NO_REPLIES, "path", ev, "master", m.name(), "peer", p.address(),
                "address", addr, "compared", drift.isPresent());
    }

    /**
     * The master's restrict lines refuse this client: name the ntp_allow entry that renders the missing line.
     *
     * @param kiss the kiss-of-death code the master answered with, "" when it stays silent
     */
    private static Finding denied(HostContext c, Host m, Source p, String kiss) {
        String addr = c.host.connection().address();
        return c.finding(FindingCode.CLIENT_NOT_ALLOWED, List.of(p.evidence()), "master", m.name(), "peer", p.address(),
                "kiss", kiss, "address", addr, "allow", String.valueOf(m.ntp().allow()),
                "add", Cidr.around(addr).map(Cidr::toString).orElse(addr));
    }
}

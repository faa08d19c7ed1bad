package dev.ntpdeploy.verify;

import dev.ntpdeploy.facts.ClientLog;
import dev.ntpdeploy.inventory.Host;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The check from both ends: a master's own record of the hosts whose NTP requests it received ({@link ClientLog}:
 * chronyd's {@code clients}, ntpd's MRU list) set against what its clients say. A client says what it hears; only
 * the master can say whether its requests arrive, which tells a path cut on the way out from one cut on the way
 * back, and a synced client the master never heard from (another path). Where the master keeps no such list, its
 * verdict says the check was not possible, and nothing is claimed for its clients.
 */
final class BothEnds {

    private BothEnds() {
    }

    /**
     * The master's end of one client's check: UNHEARD_BY_MASTER when the master logged no request from it within
     * its last polls and since its daemon started, or (the client gets no replies) when it did. Empty when the
     * master's list is not there to read, or the client is not known by an address the list can hold.
     */
    static Optional<Finding> client(HostContext c, Topology t, Host m, Source p, boolean synced) {
        Optional<ClientLog> log = t.clientLog(m);
        String addr = c.host.connection().address();
        if (log.isEmpty() || !(log.get() instanceof ClientLog.Kept kept) || !isAddress(addr)) {
            return Optional.empty(); // a name is not what the list holds: no guess
        }
        // the list outlives a path that broke since: only requests within the last polls count, and none older
        // than the client's daemon (its polls before a restart say nothing of the path now)
        long window = Math.min(Windows.heardRecently(p.pollSeconds()), Windows.sinceStart(c.uptime()));
        Optional<ClientLog.Heard> seen = kept.of(addr);
        Optional<ClientLog.Heard> recent = seen.filter(h -> h.lastSeconds() <= window);
        if (recent.isEmpty()) {
            String was = seen.map(h -> h.requests() + " requests, the last " + h.lastSeconds() + " s ago")
                    .orElse("no request logged");
            return Optional.of(c.finding(FindingCode.UNHEARD_BY_MASTER, "never",
                    List.of(m.name() + ": " + addr + ": " + was), "master", m.name(), "address", addr,
                    "synced", synced, "window", Math.max(0, window)));
        }
        if (synced) {
            return Optional.empty();
        }
        ClientLog.Heard h = recent.get();
        return Optional.of(c.finding(FindingCode.UNHEARD_BY_MASTER, "replies lost",
                List.of(m.name() + ": " + addr + ": " + h.requests() + " requests, the last " + h.lastSeconds()
                        + " s ago"),
                "master", m.name(), "address", addr, "requests", h.requests(), "last", h.lastSeconds()));
    }

    /**
     * The master's own findings from its list: that the check was not possible (INFO, with the reason), or how
     * many hosts it served recently that the inventory does not list (INFO: they may be legitimate).
     */
    static void master(HostContext c, Topology t) {
        Optional<ClientLog> log = c.obs.clientLog();
        if (log.isEmpty()) {
            return;
        }
        if (log.get() instanceof ClientLog.Unavailable u) {
            c.add(FindingCode.BOTH_ENDS_UNCHECKED, u.evidence(), "reason", u.reason());
            return;
        }
        Set<String> known = new HashSet<>();
        for (Host h : t.hosts()) {
            known.add(h.connection().address());
            known.add(h.ntp().serverAddress());
            known.add(h.name());
        }
        long window = Windows.heardRecently(Windows.LONGEST_POLL_S);
        List<String> unlisted = new ArrayList<>();
        for (ClientLog.Heard h : ((ClientLog.Kept) log.get()).hosts()) {
            if (h.lastSeconds() <= window && !known.contains(h.address()) && !loopback(h.address())) {
                unlisted.add(h.address() + " (" + h.requests() + " requests, the last " + h.lastSeconds() + " s ago)");
            }
        }
        if (!unlisted.isEmpty()) {
            c.add(FindingCode.CLIENTS_NOT_IN_INVENTORY, unlisted.stream().limit(20).toList(), "count", unlisted.size(),
                    "window", window, "some", String.join(", ", unlisted.stream().limit(3)
                            .map(s -> s.substring(0, s.indexOf(' '))).toList()) + (unlisted.size() > 3 ? ", ..." : ""));
        }
    }

    /** An IP literal (v4 or v6), what a daemon's list holds; a DNS name is not compared. */
    private static boolean isAddress(String s) {
        return s != null && (s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.contains(":") && s.matches("[0-9A-Fa-f:.]+"));
    }

    private static boolean loopback(String address) {
        return address.startsWith("127.") || address.equals("::1");
    }
}

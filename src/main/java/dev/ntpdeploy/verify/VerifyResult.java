package dev.ntpdeploy.verify;

import java.util.Collection;
import java.util.List;

/** The verdict on the whole topology: every judged host, in inventory order, and the overall status. */
public record VerifyResult(List<HostVerdict> hosts, Status status) {

    public VerifyResult {
        hosts = List.copyOf(hosts);
    }

    static VerifyResult of(List<HostVerdict> hosts) {
        Status s = Status.OK;
        for (HostVerdict h : hosts) {
            s = s.worst(h.status());
        }
        return new VerifyResult(hosts, s);
    }

    /** Only the named hosts (e.g. --limit; the others were probed as context for the topology), status recomputed. */
    public VerifyResult only(Collection<String> names) {
        return of(hosts.stream().filter(h -> names.contains(h.host())).toList());
    }

    /** Every host serves (masters) or is synced (clients): what apply's NOT_IN_SYNC exit code asks. */
    public boolean inSync() {
        return hosts.stream().allMatch(h -> h.verdict().inSync());
    }

    /** Hosts still converging (STARTING/SYNCING): what a wait-for-sync loop polls again. */
    public List<HostVerdict> pending() {
        return hosts.stream().filter(h -> h.verdict().pending()).toList();
    }
}

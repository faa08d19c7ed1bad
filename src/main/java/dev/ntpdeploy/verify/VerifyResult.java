package dev.ntpdeploy.verify;

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

    /** Hosts still converging (STARTING/SYNCING): what a wait-for-sync loop polls again. */
    public List<HostVerdict> pending() {
        return hosts.stream().filter(h -> h.verdict().pending()).toList();
    }
}

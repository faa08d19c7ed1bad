package dev.ntpdeploy.engine;

import dev.ntpdeploy.playbook.BatchSize;
import java.util.ArrayList;
import java.util.List;

/**
 * A play's hosts cut into batches by its {@code serial}, with Ansible's arithmetic exactly
 * ({@code PlaybookExecutor._get_serialized_batches} and {@code ansible.utils.helpers.pct_to_int}): each item of the
 * list sizes one batch and the last item repeats until no host is left; a percentage is of all the play's hosts
 * (not of those left), computed in floating point and truncated, and never less than 1 (so 29% of 100 hosts is 28,
 * as in Ansible, and 1% of 10 is 1); a size of 0 takes every remaining host; no serial is one batch of every host.
 */
public final class Batches {

    private Batches() {
    }

    /** @return the batches in order, every host in exactly one; empty when there is no host */
    public static <T> List<List<T>> of(List<T> hosts, List<BatchSize> serial) {
        List<BatchSize> sizes = serial.isEmpty() ? List.of(BatchSize.hosts(0)) : serial;
        List<List<T>> out = new ArrayList<>();
        int next = 0;
        int item = 0;
        while (next < hosts.size()) {
            long size = size(sizes.get(item), hosts.size());
            if (size <= 0) {
                out.add(List.copyOf(hosts.subList(next, hosts.size())));
                break;
            }
            int end = (int) Math.min(hosts.size(), next + size);
            out.add(List.copyOf(hosts.subList(next, end)));
            next = end;
            item = Math.min(item + 1, sizes.size() - 1);
        }
        return out;
    }

    /** pct_to_int: {@code int((pct / 100.0) * hosts) or 1} for a percentage, the number itself otherwise. */
    static long size(BatchSize s, int playHosts) {
        if (!s.percent()) {
            return s.value();
        }
        long n = (long) ((s.value() / 100.0) * playHosts);
        return n == 0 ? 1 : n;
    }
}

package dev.ntpdeploy.engine;

import java.util.List;
import java.util.Optional;

/**
 * A finished playbook run.
 *
 * @param recap       every host the run selected, with its task counts, in the order they were first met
 * @param stopped     why the run stopped before its end (a failure budget exceeded, Ctrl-C), if it did
 * @param notReached  hosts the run selected but did not take through their tasks because it stopped: never
 *                    started, or in a batch stopped before its last task
 * @param check       --check: nothing was changed
 * @param interrupted Ctrl-C or SIGTERM
 */
public record PlayOutcome(List<HostTally> recap, Optional<String> stopped, List<String> notReached, boolean check,
                          boolean interrupted) {

    public PlayOutcome {
        recap = List.copyOf(recap);
        notReached = List.copyOf(notReached);
    }

    /** One host's counts in Ansible's words (a changed task also counts as ok). */
    public record HostTally(String host, int ok, int changed, int failed, int unreachable, int skipped) {
        public boolean bad() {
            return failed > 0 || unreachable > 0;
        }
    }

    /** Hosts that failed or were unreachable. */
    public List<String> failed() {
        return recap.stream().filter(HostTally::bad).map(HostTally::host).toList();
    }

    /** What a retry must cover to finish the run: the failed and unreachable hosts and those not reached, sorted. */
    public List<String> retry() {
        java.util.TreeSet<String> out = new java.util.TreeSet<>(failed());
        out.addAll(notReached);
        return List.copyOf(out);
    }

    public boolean ok() {
        return stopped.isEmpty() && !interrupted && failed().isEmpty();
    }
}

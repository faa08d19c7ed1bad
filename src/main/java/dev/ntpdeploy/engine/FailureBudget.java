package dev.ntpdeploy.engine;

import java.util.OptionalDouble;

/**
 * When a batch's failures stop the play, as Ansible decides it (linear strategy and {@code PlaybookExecutor}):
 * <ul>
 *   <li>{@code any_errors_fatal}: any failed host;</li>
 *   <li>{@code max_fail_percentage}: {@code failed / batch > max / 100.0} in floating point, strictly greater (10%
 *       of a batch of 10 tolerates 1 failed host and stops at 2);</li>
 *   <li>always: every host of the batch failed.</li>
 * </ul>
 * One difference from Ansible, on purpose: an unreachable host counts as failed here (Ansible's percentage counts
 * failed hosts only). A host a time rollout could not reach is a host it did not change or verify; the budget is
 * for hosts that did not end in the wanted state.
 *
 * @param maxFailPercentage empty when the play does not set one
 */
public record FailureBudget(OptionalDouble maxFailPercentage, boolean anyErrorsFatal) {

    /**
     * @param failed    hosts of the batch that failed (unreachable, failed a task, or not in sync at a gate)
     * @param batchSize hosts in the batch
     */
    public boolean exceeded(int failed, int batchSize) {
        if (failed <= 0 || batchSize <= 0) {
            return false;
        }
        if (anyErrorsFatal || failed >= batchSize) {
            return true;
        }
        return maxFailPercentage.isPresent() && (double) failed / batchSize > maxFailPercentage.getAsDouble() / 100.0;
    }
}

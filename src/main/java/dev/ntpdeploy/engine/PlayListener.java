package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Host;
import dev.ntpdeploy.playbook.Play;
import dev.ntpdeploy.playbook.Task;
import dev.ntpdeploy.verify.VerifyResult;
import java.util.List;
import java.util.Map;

/** Progress of a playbook run, for the operator; {@code ntp_config} tasks report through the apply listener methods. */
public interface PlayListener extends ApplyListener {

    /** A play starts: its hosts (after --limit) cut into batches; none when no host matched. */
    default void play(Play play, List<List<Host>> batches) {
    }

    /** A batch of a play starts ({@code number} counts from 1). */
    default void batch(Play play, int number, int of, List<Host> hosts) {
    }

    /** A task starts on the hosts of the batch still in the play. */
    default void task(Task task, List<Host> hosts) {
    }

    /** A pause starts (ends early on Ctrl-C); {@code skipped} in check mode. */
    default void pause(Task.Pause task, boolean skipped) {
    }

    /** A gate was not run (check mode), for these hosts. */
    default void gateSkipped(Task.Verify task, List<Host> hosts, String why) {
    }

    /** A gate's judgement; {@code failed} names the hosts it failed, with why. */
    default void gate(Task.Verify task, VerifyResult result, Map<String, String> failed) {
    }
}

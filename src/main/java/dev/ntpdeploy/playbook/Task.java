package dev.ntpdeploy.playbook;

import dev.ntpdeploy.inventory.SourcePos;
import java.time.Duration;

/** One task of a play: one of ntpdeploy's own modules (nothing runs arbitrary commands from a playbook). */
public sealed interface Task {

    /** The task's name, or its module's when it has none. */
    String name();

    SourcePos pos();

    /** The module's name as written in a playbook. */
    String module();

    /** {@code ntp_config: {}}: render, push and restart on change, what {@code apply} does to a host. */
    record NtpConfig(String name, SourcePos pos) implements Task {
        public static final String MODULE = "ntp_config";

        @Override
        public String module() {
            return MODULE;
        }
    }

    /**
     * {@code verify: {wait: true, timeout: 5m}}: the gate. Judges the batch's hosts with the whole topology in hand;
     * a host not in sync (after waiting up to {@code timeout} when {@code wait}) has failed this task.
     */
    record Verify(String name, SourcePos pos, boolean waitForSync, Duration timeout) implements Task {
        public static final String MODULE = "verify";
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

        @Override
        public String module() {
            return MODULE;
        }
    }

    /**
     * {@code pause: {minutes: 10}}: a soak time, once per batch after the tasks before it (Ansible's pause without
     * its prompt: nothing here waits for a keyboard). Ctrl-C ends it early and stops the run.
     */
    record Pause(String name, SourcePos pos, Duration duration) implements Task {
        public static final String MODULE = "pause";

        @Override
        public String module() {
            return MODULE;
        }
    }
}

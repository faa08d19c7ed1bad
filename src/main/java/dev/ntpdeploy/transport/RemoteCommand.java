package dev.ntpdeploy.transport;

import java.time.Duration;

/**
 * Builds the exact shell text sent over SSH: POSIX single-quoting and the {@code timeout} wrapper (the sudo
 * wrapper is {@link Become}'s). Pure string work, so every quoting rule is unit-tested without a host.
 */
public final class RemoteCommand {

    /** Seconds `timeout -k` waits after TERM before it sends KILL. */
    static final int KILL_AFTER_SECONDS = 5;

    private RemoteCommand() {
    }

    /** Quotes a string as one POSIX shell word: {@code 'it'\''s'}; safe for any content, newlines included. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Whole seconds of budget for the remote `timeout` (at least 1, rounded up). */
    static long budgetSeconds(Duration timeout) {
        long ms = Math.max(1, timeout.toMillis());
        return Math.max(1, (ms + 999) / 1000);
    }

    /** {@code LC_ALL=C timeout -k 5 N sh -c '<command>'}: the remote side kills the command at its budget. */
    public static String withTimeout(String command, Duration timeout) {
        return "LC_ALL=C timeout -k " + KILL_AFTER_SECONDS + " " + budgetSeconds(timeout) + " sh -c " + quote(command);
    }
}

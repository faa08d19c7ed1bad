package dev.ntpdeploy.transport;

import java.time.Duration;

/**
 * Builds the exact shell text sent over SSH: POSIX single-quoting, the {@code timeout} wrapper and
 * the sudo wrapper. Pure string work, so every quoting rule is unit-tested without a host.
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

    /**
     * Runs {@code inner} (shell text) as {@code becomeUser} through sudo without a PTY.
     *
     * <p>With a password, the caller sends it as the first stdin line. sudo only reads it when it
     * actually prompts, so a NOPASSWD rule or cached credentials would otherwise hand that line to the
     * command (and e.g. write it into an installed file). The wrapper asks {@code sudo -n true} first and,
     * when no password is needed, discards the first line itself before running the command; else
     * {@code sudo -S -p ''} reads it (byte by byte, leaving the rest of stdin to the command).
     * Without a password, {@code sudo -n} fails fast with "a password is required" instead of waiting.
     */
    public static String sudo(String inner, String becomeUser, boolean withPassword) {
        String u = quote(becomeUser);
        // sudo's env_reset may drop LC_ALL: set it again on the far side
        String run = " -u " + u + " -- sh -c " + quote("LC_ALL=C; export LC_ALL; " + inner);
        if (!withPassword) {
            return "sudo -n" + run;
        }
        return "if sudo -n -u " + u + " true 2>/dev/null; then IFS= read -r ntpdeploy_pw || :; unset ntpdeploy_pw; exec sudo -n" + run
                + "; else exec sudo -S -p ''" + run + "; fi";
    }
}

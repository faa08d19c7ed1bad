package dev.ntpdeploy.cli;

import picocli.CommandLine.Option;

/**
 * How a command that changes hosts (apply, play) changes them: {@code -C/--check}, {@code -D/--diff},
 * {@code --no-backup}. Use with {@code @Mixin ChangeOptions change;}.
 */
public final class ChangeOptions {

    /** How many previous configs a host keeps beside the new one, unless {@code --no-backup}. */
    static final int KEEP_BACKUPS = 5;

    @Option(names = {"-C", "--check", "--dry-run"},
            description = "Connect, probe and show what would change (unified diffs); change nothing.")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Print the diff of each host that changes (or would, with --check).")
    boolean diff;

    @Option(names = "--no-backup",
            description = "Do not keep the previous config as <file>.ntpdeploy-<timestamp> (by default the last "
                    + KEEP_BACKUPS + " are kept).")
    boolean noBackup;

    /** A check run: plan and show, change nothing. */
    public boolean check() {
        return check;
    }

    /** Print each changed (or, in a check, changing) host's diff. */
    public boolean showDiffs() {
        return diff || check;
    }

    /** Previous configs to keep on each host. */
    public int keepBackups() {
        return noBackup ? 0 : KEEP_BACKUPS;
    }
}

package dev.ntpdeploy;

/**
 * Every exit code ntpdeploy returns, in one place (README "Exit codes" mirrors this table).
 * verify follows the monitoring-plugins convention so it drops into Nagios/Icinga as is.
 */
public final class ExitCodes {

    /** Success: render wrote everything; apply left every host ok/changed and in sync; verify OK. */
    public static final int OK = 0;
    /** verify: WARNING (in sync, but something deserves a look). */
    public static final int WARNING = 1;
    /** verify: CRITICAL (some host is not in sync). Other commands: command-line usage error. */
    public static final int CRITICAL = 2;
    /** Command-line usage error (picocli), same value as CRITICAL as picocli and POSIX tools use. */
    public static final int USAGE = 2;
    /** verify: UNKNOWN (invalid inventory, or the fleet could not be judged at all). */
    public static final int UNKNOWN = 3;
    /**
     * apply: some hosts failed, were unreachable or were skipped (the others were applied), or the run was
     * interrupted (Ctrl-C or SIGTERM: the hosts in flight finished, the rest were skipped).
     */
    public static final int HOSTS_FAILED = 4;
    /** apply: every host was applied, but verification says the fleet is not in sync. */
    public static final int NOT_IN_SYNC = 5;
    /** render/apply/watch: the inventory or templates are invalid; nothing was touched. */
    public static final int INVALID_INPUT = 65;
    /** An unexpected internal error (a bug): run with --stacktrace and report it. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}

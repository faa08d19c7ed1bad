package dev.ntpdeploy.verify;

import dev.ntpdeploy.ExitCodes;

/**
 * The overall result in the monitoring-plugins convention (exit 0/1/2/3). Worst wins, in the order
 * OK < WARNING < UNKNOWN < CRITICAL: a fleet we could not fully check is worse than one with warnings,
 * but a host proven out of sync is the worst news.
 */
public enum Status {
    OK(ExitCodes.OK),
    WARNING(ExitCodes.WARNING),
    UNKNOWN(ExitCodes.UNKNOWN),
    CRITICAL(ExitCodes.CRITICAL);

    private final int exitCode;

    Status(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public Status worst(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    static Status of(Severity s) {
        return s == Severity.CRITICAL ? CRITICAL : WARNING;
    }
}

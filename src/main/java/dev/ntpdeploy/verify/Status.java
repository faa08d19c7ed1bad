package dev.ntpdeploy.verify;

/**
 * The overall result in the monitoring-plugins convention (its exit code: {@code dev.ntpdeploy.Exit}). Worst wins,
 * in the order OK < WARNING < UNKNOWN < CRITICAL: a fleet we could not fully check is worse than one with warnings,
 * but a host proven out of sync is the worst news.
 */
public enum Status {
    OK,
    WARNING,
    UNKNOWN,
    CRITICAL;

    public Status worst(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    static Status of(Severity s) {
        return switch (s) {
            case INFO -> OK;
            case WARNING -> WARNING;
            case CRITICAL -> CRITICAL;
        };
    }
}

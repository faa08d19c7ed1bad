package dev.ntpdeploy.watch;

import dev.ntpdeploy.ExitCodes;

/** The fleet's overall state after a round, in the monitoring-plugins words and numbers verify exits with. */
public enum FleetStatus {
    OK(ExitCodes.OK),
    WARNING(ExitCodes.WARNING),
    CRITICAL(ExitCodes.CRITICAL),
    UNKNOWN(ExitCodes.UNKNOWN);

    private final int code;

    FleetStatus(int code) {
        this.code = code;
    }

    /** 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN: verify's exit code and the value of ntpdeploy_fleet_status. */
    public int code() {
        return code;
    }
}

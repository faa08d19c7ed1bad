package dev.ntpdeploy.ops;

import dev.ntpdeploy.facts.ServiceManager;
import java.util.OptionalLong;

/**
 * Ensures the daemon runs on the current config: restart it through the host's service manager,
 * then check it came back and logged no config error for this start.
 *
 * @param service  unit/script name (ntpsec, ntp, ntpd or the inventory's ntp_service)
 * @param manager  how to restart it
 * @param oldPid   the daemon's PID before the restart (to wait for a new one and find its log)
 * @param reason   {@link #CONFIG_CHANGED}, {@link #NOT_RUNNING} or {@link #STALE}
 */
public record RestartService(String service, ServiceManager manager, OptionalLong oldPid, String reason)
        implements Step {

    /** The reason for restarting a daemon that runs but started before its config file last changed. */
    public static final String STALE = "config changed after ntpd started";
    /** The reason for (re)starting after the content changed. */
    public static final String CONFIG_CHANGED = "config changed";
    /** The reason for starting a daemon that does not run. */
    public static final String NOT_RUNNING = "ntpd not running";

    @Override
    public String describe() {
        return (oldPid.isPresent() ? "restarted " : "started ") + service;
    }

}

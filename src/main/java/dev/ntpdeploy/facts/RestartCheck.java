package dev.ntpdeploy.facts;

import java.util.List;
import java.util.OptionalLong;

/**
 * How a daemon's restart went: {@code remote/restart-check.sh} restarts the service and reports the new daemon
 * and its startup lines, read by {@link DaemonStartLog}. The change unit runs the same script as its function
 * {@code restart_check} with these arguments (never as an exec of its own); alone, it is what captures ran.
 *
 * @param service the unit or init script name
 * @param manager how it is restarted
 * @param oldPid  the daemon before the restart (to wait for a new one and find its log)
 * @param program the daemon's program (ntpd, chronyd)
 */
public record RestartCheck(String service, ServiceManager manager, OptionalLong oldPid, String program)
        implements Fact<DaemonStartLog> {

    /** An ntpd's restart check. */
    public RestartCheck(String service, ServiceManager manager, OptionalLong oldPid) {
        this(service, manager, oldPid, "ntpd");
    }

    static final RemoteScript SCRIPT = RemoteScript.of("restart-check.sh");

    @Override
    public RemoteScript script() {
        return SCRIPT;
    }

    @Override
    public List<String> arguments() {
        return List.of(service, manager.word(), oldPid.isPresent() ? Long.toString(oldPid.getAsLong()) : "", program);
    }

    @Override
    public DaemonStartLog process(ScriptOutput output) {
        return DaemonStartLog.read(output);
    }
}

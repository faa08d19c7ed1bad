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
 */
public record RestartCheck(String service, ServiceManager manager, OptionalLong oldPid) implements Fact<DaemonStartLog> {

    static final RemoteScript SCRIPT = RemoteScript.of("restart-check.sh");

    @Override
    public RemoteScript script() {
        return SCRIPT;
    }

    @Override
    public List<String> arguments() {
        return List.of(service, manager.word(), oldPid.isPresent() ? Long.toString(oldPid.getAsLong()) : "");
    }

    @Override
    public DaemonStartLog process(ScriptOutput output) {
        return DaemonStartLog.read(output);
    }
}

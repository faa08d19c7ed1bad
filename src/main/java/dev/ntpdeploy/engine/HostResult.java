package dev.ntpdeploy.engine;

import dev.ntpdeploy.inventory.Role;

/**
 * One host's outcome.
 *
 * @param message the reason or what was done, one line ("uploaded /etc/ntpsec/ntp.conf; restarted ntpsec")
 * @param diff    the config diff when the host changed (or would, in a dry run), else null
 */
public record HostResult(String host, Role role, HostStatus status, String message, String diff) {

    public HostResult withNote(String note) {
        return new HostResult(host, role, status, message.isEmpty() ? note : message + "; " + note, diff);
    }
}

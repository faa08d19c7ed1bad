package dev.ntpdeploy.inventory;

import java.util.Map;
import java.util.Set;

/**
 * One inventory host with its variables merged (all -> parent group -> child group -> host).
 *
 * @param name       inventory name
 * @param role       master or client
 * @param connection how to reach it
 * @param ntp        its NTP settings
 * @param groups     every group the host belongs to, directly or through nesting (for --limit)
 * @param vars       every merged variable, as bound from YAML (for templates and extension)
 * @param pos        where the host is declared
 */
public record Host(String name, Role role, ConnectionSpec connection, NtpSpec ntp,
                   Set<String> groups, Map<String, Object> vars, SourcePos pos) {

    public boolean isMaster() {
        return role == Role.MASTER;
    }
}

package dev.ntpdeploy.inventory;

import java.util.Optional;

/**
 * The SSH jump host (bastion) a host is reached through, OpenSSH's ProxyJump {@code [USER@]HOST[:PORT]}.
 *
 * @param user    the login on the jump host; empty: the local user's name, as OpenSSH takes it
 * @param address host name or IP address of the jump host (its known_hosts name)
 * @param port    its SSH port, default 22
 */
public record JumpHost(Optional<String> user, String address, int port) {

    /** {@code user@address:port} as the operator wrote it (for messages). */
    @Override
    public String toString() {
        return user.map(u -> u + "@").orElse("") + (address.contains(":") ? "[" + address + "]" : address)
                + (port == 22 ? "" : ":" + port);
    }
}

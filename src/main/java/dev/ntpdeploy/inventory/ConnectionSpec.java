package dev.ntpdeploy.inventory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach a host over SSH, from Ansible's connection variables.
 *
 * @param address     ansible_host, else the inventory name
 * @param port        ansible_port, default 22
 * @param user        ansible_user, default "root"
 * @param keyFile     ansible_ssh_private_key_file (a relative path resolved against the current directory, as Ansible's ssh does)
 * @param become      ansible_become: run privileged steps through sudo
 * @param becomeUser  ansible_become_user, default "root"
 * @param jump        the jump host from -o ProxyJump / -J in ansible_ssh_common_args or ansible_ssh_extra_args
 * @param identitiesOnly -o IdentitiesOnly=yes there: offer the key files only (ssh-agent signs for those it holds)
 */
public record ConnectionSpec(String address, int port, String user, Optional<Path> keyFile,
                             boolean become, String becomeUser, Optional<JumpHost> jump, boolean identitiesOnly) {

    /** A host whose login offers ssh-agent's keys too, as ssh does by default. */
    public ConnectionSpec(String address, int port, String user, Optional<Path> keyFile, boolean become, String becomeUser,
                          Optional<JumpHost> jump) {
        this(address, port, user, keyFile, become, becomeUser, jump, false);
    }

    /** A host reached directly. */
    public ConnectionSpec(String address, int port, String user, Optional<Path> keyFile, boolean become, String becomeUser) {
        this(address, port, user, keyFile, become, becomeUser, Optional.empty());
    }
}

package dev.ntpdeploy.inventory;

import java.util.Optional;

/**
 * What one of ansible_ssh_common_args / ansible_ssh_extra_args sets among the ssh options ntpdeploy honours; each
 * empty when that value does not set it (ssh keeps an option's first value, so a later variable may).
 *
 * @param jump           -o ProxyJump / -J: the jump host, or empty inside for {@code none} (direct)
 * @param identitiesOnly -o IdentitiesOnly: offer only the key files (their copies in ssh-agent included), not the
 *                       agent's other keys
 */
record SshArgs(Optional<Optional<JumpHost>> jump, Optional<Boolean> identitiesOnly) {
}

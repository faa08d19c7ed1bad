package dev.ntpdeploy.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inventory variables ntpdeploy knows, in one place: which it reads, which Ansible-only ones it
 * tolerates, and which it refuses. docs/inventory.md's variable tables mirror this class.
 */
final class Vars {

    static final String ANSIBLE_HOST = "ansible_host";
    static final String ANSIBLE_PORT = "ansible_port";
    static final String ANSIBLE_USER = "ansible_user";
    static final String ANSIBLE_KEY = "ansible_ssh_private_key_file";
    static final String ANSIBLE_BECOME = "ansible_become";
    static final String ANSIBLE_BECOME_USER = "ansible_become_user";
    static final String ANSIBLE_CONNECTION = "ansible_connection";
    static final String ANSIBLE_BECOME_METHOD = "ansible_become_method";

    static final String UPSTREAM = "ntp_upstream";
    static final String LOCAL_CLOCK = "ntp_local_clock";
    static final String LOCAL_STRATUM = "ntp_local_stratum";
    static final String ORPHAN_STRATUM = "ntp_orphan_stratum";
    static final String ORPHAN_WAIT = "ntp_orphan_wait";
    static final String ALLOW = "ntp_allow";
    static final String SERVE_OTHERS = "ntp_serve_others";
    static final String FLAVOR = "ntp_flavor";
    static final String SERVER_ADDRESS = "ntp_server_address";
    static final String IBURST = "ntp_iburst";
    static final String MINPOLL = "ntp_minpoll";
    static final String MAXPOLL = "ntp_maxpoll";
    static final String CONF_PATH = "ntp_conf_path";
    static final String SERVICE = "ntp_service";
    static final String EXTRA = "ntp_extra";
    static final String MAX_OFFSET_MS = "ntp_max_offset_ms";

    /** Variables ntpdeploy reads. */
    static final List<String> KNOWN = List.of(
            ANSIBLE_HOST, ANSIBLE_PORT, ANSIBLE_USER, ANSIBLE_KEY, ANSIBLE_BECOME, ANSIBLE_BECOME_USER,
            ANSIBLE_CONNECTION, ANSIBLE_BECOME_METHOD,
            UPSTREAM, LOCAL_CLOCK, LOCAL_STRATUM, ORPHAN_STRATUM, ORPHAN_WAIT, ALLOW, SERVE_OTHERS, FLAVOR,
            SERVER_ADDRESS, IBURST, MINPOLL, MAXPOLL, CONF_PATH, SERVICE, EXTRA, MAX_OFFSET_MS);

    /** Ansible variables that do not change how ntpdeploy connects: accepted so inventories load unchanged. */
    static final Set<String> TOLERATED = Set.of(
            "ansible_python_interpreter", "ansible_pipelining", "ansible_ssh_pipelining",
            "ansible_shell_type", "ansible_shell_executable");

    /** Secrets never belong in the inventory; where they come from instead. */
    private static final String SSH_SECRET = "pass the SSH password through NTPDEPLOY_SSH_PASSWORD or --ask-pass";
    private static final String BECOME_SECRET = "pass the sudo password through NTPDEPLOY_BECOME_PASSWORD or --ask-become-pass";
    static final Map<String, String> SECRETS = Map.of(
            "ansible_password", SSH_SECRET,
            "ansible_ssh_pass", SSH_SECRET,
            "ansible_ssh_password", SSH_SECRET,
            "ansible_become_password", BECOME_SECRET,
            "ansible_become_pass", BECOME_SECRET,
            "ansible_sudo_pass", BECOME_SECRET);

    /** Old Ansible spellings: named so the error can say what to write instead. */
    static final Map<String, String> RENAMED = Map.of(
            "ansible_ssh_host", ANSIBLE_HOST,
            "ansible_ssh_port", ANSIBLE_PORT,
            "ansible_ssh_user", ANSIBLE_USER,
            "ansible_private_key_file", ANSIBLE_KEY,
            "ansible_sudo", ANSIBLE_BECOME,
            "ansible_sudo_user", ANSIBLE_BECOME_USER);

    private Vars() {
    }

    /** Checks a variable's name where it is declared: secrets, unknown ntp_/ansible_ names. */
    static void checkName(String key, SourcePos pos) throws InventoryException {
        String secret = SECRETS.get(key);
        if (secret != null) {
            throw new InventoryException(pos + ": '" + key + "' holds a password, which never belongs in an inventory"
                    + " (remove it; " + secret + ")");
        }
        String renamed = RENAMED.get(key);
        if (renamed != null) {
            throw new InventoryException(pos + ": '" + key + "' is an old Ansible spelling ntpdeploy does not read"
                    + " (rename it to '" + renamed + "')");
        }
        boolean ours = key.startsWith("ntp_") || key.startsWith("ansible_");
        if (!ours || KNOWN.contains(key) || TOLERATED.contains(key)) {
            return;
        }
        Optional<String> near = DidYouMean.nearest(key, KNOWN);
        throw new InventoryException(pos + ": unknown variable '" + key + "' ("
                + near.map(n -> "did you mean '" + n + "'?").orElse(
                        "variables starting with '" + key.substring(0, key.indexOf('_') + 1)
                        + "' are ntpdeploy's or Ansible's: see docs/inventory.md for the list")
                + ")");
    }
}

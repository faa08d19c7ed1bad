package dev.ntpdeploy.inventory;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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
    /** Orders groups of one depth when their variables merge (higher wins); see AnsibleInventory. */
    static final String GROUP_PRIORITY = "ansible_group_priority";

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
            ANSIBLE_CONNECTION, ANSIBLE_BECOME_METHOD, GROUP_PRIORITY,
            UPSTREAM, LOCAL_CLOCK, LOCAL_STRATUM, ORPHAN_STRATUM, ORPHAN_WAIT, ALLOW, SERVE_OTHERS, FLAVOR,
            SERVER_ADDRESS, IBURST, MINPOLL, MAXPOLL, CONF_PATH, SERVICE, EXTRA, MAX_OFFSET_MS);

    /** Ansible variables that do not change how ntpdeploy connects: accepted so inventories load unchanged. */
    static final Set<String> TOLERATED = Set.of(
            "ansible_python_interpreter", "ansible_pipelining", "ansible_ssh_pipelining",
            "ansible_shell_type", "ansible_shell_executable");

    /** Ansible's own password variables. Secrets never belong in the inventory: see {@link #secretAdvice}. */
    static final Set<String> PASSWORDS = Set.of("ansible_password", "ansible_ssh_pass", "ansible_ssh_password",
            "ansible_become_password", "ansible_become_pass", "ansible_sudo_pass");

    /** A word in a name that says the value is a secret. */
    private static final Set<String> SECRET_WORDS = Set.of("pass", "passwd", "password", "passwords", "passphrase",
            "pwd", "secret", "secrets", "token", "tokens", "credential", "credentials", "apikey", "privkey", "psk",
            "sudopass", "becomepass", "sshpass");
    /** "key" alone names many things (ansible_host_key_checking); after one of these words it is key material. */
    private static final Set<String> KEY_KINDS = Set.of("private", "secret", "auth", "api", "access", "shared",
            "symmetric", "signing", "ssh");
    /** A last word that makes the name say where a secret is kept, not the secret: ..._key_file. */
    private static final Set<String> LOCATION_WORDS = Set.of("file", "path", "dir", "directory");
    private static final Pattern WORD_BREAK = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");

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

    /**
     * Checks a variable's name where it is declared: secrets, unknown ntp_/ansible_ names. A
     * secret-looking unknown name is refused as a secret before any did-you-mean: the nearest known
     * name is never a secret, and following the suggestion would put the secret on a remote command
     * line (ansible_become_passwd is two edits from ansible_become_user).
     */
    static void checkName(String key, SourcePos pos) throws InventoryException {
        if (PASSWORDS.contains(key)) {
            throw new InventoryException(pos + ": '" + key + "' holds a password, which never belongs in an inventory"
                    + " (remove it; " + secretAdvice(key) + ")");
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
        if (looksSecret(key)) {
            throw new InventoryException(pos + ": " + Excerpt.quote(key) + " looks like it holds a secret, which never"
                    + " belongs in an inventory (remove it; " + secretAdvice(key) + ")");
        }
        Optional<String> near = DidYouMean.nearest(key, KNOWN);
        throw new InventoryException(pos + ": unknown variable " + Excerpt.quote(key) + " ("
                + near.map(n -> "did you mean '" + n + "'?").orElse(
                        "variables starting with '" + key.substring(0, key.indexOf('_') + 1)
                        + "' are ntpdeploy's or Ansible's: see docs/inventory.md for the list")
                + ")");
    }

    private static List<String> words(String key) {
        return Arrays.stream(WORD_BREAK.split(key)).map(w -> w.toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty()).toList();
    }

    /** A name with a secret word (ansible_become_passwd, ntp_api_token) or naming key material (ansible_ssh_private_key). */
    static boolean looksSecret(String key) {
        List<String> w = words(key);
        if (w.isEmpty() || LOCATION_WORDS.contains(w.get(w.size() - 1))) {
            return false;
        }
        return w.stream().anyMatch(SECRET_WORDS::contains) || isKeyMaterial(w);
    }

    private static boolean isKeyMaterial(List<String> w) {
        int n = w.size();
        return n >= 2 && (w.get(n - 1).equals("key") || w.get(n - 1).equals("keys")) && KEY_KINDS.contains(w.get(n - 2));
    }

    /** Where this secret comes from instead, as README's security model says. */
    private static String secretAdvice(String key) {
        List<String> w = words(key);
        if (w.contains("passphrase")) {
            return "pass the key's passphrase through NTPDEPLOY_KEY_PASSPHRASE or answer the prompt";
        }
        if (key.startsWith("ntp_")) {
            return "NTP keys belong in a keys file on the host, named by a 'keys' line in ntp_extra";
        }
        if (isKeyMaterial(w)) {
            return "keep the key in a file only you can read and give its path in ansible_ssh_private_key_file";
        }
        if (w.stream().anyMatch(x -> x.startsWith("become") || x.startsWith("sudo"))) {
            return "pass the sudo password through NTPDEPLOY_BECOME_PASSWORD or --ask-become-pass";
        }
        return "pass the SSH password through NTPDEPLOY_SSH_PASSWORD or --ask-pass";
    }
}

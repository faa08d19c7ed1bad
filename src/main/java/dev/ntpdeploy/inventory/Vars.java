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
    static final String SSH_COMMON_ARGS = "ansible_ssh_common_args";
    static final String SSH_EXTRA_ARGS = "ansible_ssh_extra_args";
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
    static final String DISABLE_COMPETITORS = "ntp_disable_competitors";

    /** Variables ntpdeploy reads. */
    static final List<String> KNOWN = List.of(
            ANSIBLE_HOST, ANSIBLE_PORT, ANSIBLE_USER, ANSIBLE_KEY, ANSIBLE_BECOME, ANSIBLE_BECOME_USER,
            ANSIBLE_CONNECTION, ANSIBLE_BECOME_METHOD, GROUP_PRIORITY, SSH_COMMON_ARGS, SSH_EXTRA_ARGS,
            UPSTREAM, LOCAL_CLOCK, LOCAL_STRATUM, ORPHAN_STRATUM, ORPHAN_WAIT, ALLOW, SERVE_OTHERS, FLAVOR,
            SERVER_ADDRESS, IBURST, MINPOLL, MAXPOLL, CONF_PATH, SERVICE, EXTRA, MAX_OFFSET_MS, DISABLE_COMPETITORS);

    /** Ansible variables that do not change how ntpdeploy connects: accepted so inventories load unchanged. */
    static final Set<String> TOLERATED = Set.of(
            "ansible_python_interpreter", "ansible_pipelining", "ansible_ssh_pipelining",
            "ansible_shell_type", "ansible_shell_executable");

    /**
     * Other roles' {@code ntp_*} variables (geerlingguy.ntp, kubespray, debops and the like) that ntpdeploy would
     * get wrong by ignoring: they say what the config or the service must be. Refused, naming what to write.
     */
    static final Map<String, String> FOREIGN_REFUSED = Map.of(
            "ntp_servers", "use ntp_upstream: a list of server names or addresses (ntp_iburst adds 'iburst')",
            "ntp_server", "use ntp_upstream: a list of server names or addresses (ntp_iburst adds 'iburst')",
            "ntp_additional_servers", "use ntp_upstream: a list of server names or addresses",
            "ntp_restrict", "use ntp_allow (networks given full service) and ntp_serve_others",
            "ntp_daemon", "use ntp_service",
            "ntp_config_file", "use ntp_conf_path",
            "ntp_driftfile", "ntpdeploy sets the drift file from ntp_flavor: remove it",
            "ntp_tinker_panic", "write it as ntp_extra: ['tinker panic 0']");

    /**
     * Other roles' {@code ntp_*} variables that ask for nothing ntpdeploy would do differently: ignored with a
     * warning, so an operator's existing group_vars load unchanged. ntp_enabled and ntp_manage_config only while
     * true: false says "leave NTP alone here", which ntpdeploy would not do.
     */
    static final Set<String> FOREIGN_IGNORED = Set.of("ntp_enabled", "ntp_manage_config", "ntp_timezone",
            "ntp_package", "ntp_packages", "ntp_area", "ntp_cron_handler_enabled", "ntp_force_sync_immediately",
            "ntp_filter_interface", "ntp_interfaces", "ntp_manage_timezone", "ntp_install");
    private static final Set<String> FOREIGN_SWITCHES = Set.of("ntp_enabled", "ntp_manage_config");

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
        checkName(key, pos, null, new Warnings());
    }

    /**
     * As {@link #checkName(String, SourcePos)}, and another role's {@code ntp_*} variable: refused where ignoring
     * it would be wrong, else ignored with a warning. An unknown {@code ntp_*} name close to one of ntpdeploy's
     * is a typo, refused with the name meant; one close to none is another role's, ignored with a warning.
     *
     * @param value the declared value, or null when only the name is known
     */
    static void checkName(String key, SourcePos pos, YamlNode value, Warnings warnings) throws InventoryException {
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
        if (key.startsWith("ntp_") && foreign(key, pos, value, near.isEmpty(), warnings)) {
            return;
        }
        throw new InventoryException(pos + ": unknown variable " + Excerpt.quote(key) + " ("
                + near.map(n -> "did you mean '" + n + "'?").orElse(
                        "variables starting with '" + key.substring(0, key.indexOf('_') + 1)
                        + "' are ntpdeploy's or Ansible's: see docs/inventory.md for the list")
                + ")");
    }

    /** True when KEY is another role's variable, ignored (with a warning); refused when ignoring it would be wrong. */
    private static boolean foreign(String key, SourcePos pos, YamlNode value, boolean nearNothing, Warnings warnings)
            throws InventoryException {
        String instead = FOREIGN_REFUSED.get(key);
        if (instead != null) {
            throw new InventoryException(pos + ": " + Excerpt.quote(key) + " is another Ansible role's variable, which"
                    + " ntpdeploy does not read (" + instead + ")");
        }
        if (FOREIGN_SWITCHES.contains(key) && value instanceof YamlNode.Scalar s && isFalse(s)) {
            throw new InventoryException(pos + ": " + Excerpt.quote(key) + " is false: another role's switch to leave"
                    + " NTP alone here, which ntpdeploy does not read (it manages every host in masters and clients:"
                    + " take the host out of those groups, or remove the variable)");
        }
        if (!FOREIGN_IGNORED.contains(key) && !nearNothing) {
            return false;
        }
        warnings.add("var " + key, pos + ": warning: " + Excerpt.quote(key) + " is not an ntpdeploy variable"
                + " (another role's, e.g. geerlingguy.ntp's?): ignored here and wherever else it is set"
                + " (see docs/inventory.md for ntpdeploy's variables)");
        return true;
    }

    private static boolean isFalse(YamlNode.Scalar s) {
        return Boolean.FALSE.equals(s.value()) || (s.value() instanceof String t
                && Set.of("no", "off", "false", "n", "f", "0").contains(t.toLowerCase(Locale.ROOT)))
                || (s.value() instanceof Number n && n.longValue() == 0);
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

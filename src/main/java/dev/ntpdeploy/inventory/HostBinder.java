package dev.ntpdeploy.inventory;

import dev.ntpdeploy.inventory.VarParser.Var;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Binds one host's merged variables to its {@link ConnectionSpec} and {@link NtpSpec}, with the defaults. */
final class HostBinder {

    static final int DEFAULT_PORT = 22;
    static final String DEFAULT_USER = "root";
    static final int DEFAULT_LOCAL_STRATUM = 10;
    static final double DEFAULT_MAX_OFFSET_MS = 128;

    private final Map<String, Var> vars;
    private final String name;

    private HostBinder(String name, Map<String, Var> vars) {
        this.name = name;
        this.vars = vars;
    }

    static Host bind(String name, Role role, Map<String, Var> merged, Set<String> groups, SourcePos pos, Path file)
            throws InventoryException {
        HostBinder b = new HostBinder(name, merged);
        String address = b.get(Vars.ANSIBLE_HOST, String.class).orElse(name);
        if (!Addresses.isHostOrIp(address)) {
            throw new InventoryException(pos + ": host " + Excerpt.quote(name) + " has no ansible_host and its name is not a"
                    + " host name or IP address (add 'ansible_host: ADDRESS' to the host)");
        }
        ConnectionSpec connection = new ConnectionSpec(
                address,
                b.get(Vars.ANSIBLE_PORT, Integer.class).orElse(DEFAULT_PORT),
                b.get(Vars.ANSIBLE_USER, String.class).orElse(DEFAULT_USER),
                b.get(Vars.ANSIBLE_KEY, String.class).map(HostBinder::keyPath),
                b.get(Vars.ANSIBLE_BECOME, Boolean.class).orElse(false),
                b.get(Vars.ANSIBLE_BECOME_USER, String.class).orElse(DEFAULT_USER),
                b.jump(),
                b.identitiesOnly());

        @SuppressWarnings("unchecked")
        List<String> upstream = b.get(Vars.UPSTREAM, List.class).orElse(List.of());
        OptionalInt minpoll = b.optionalInt(Vars.MINPOLL);
        OptionalInt maxpoll = b.optionalInt(Vars.MAXPOLL);
        if (minpoll.isPresent() && maxpoll.isPresent() && minpoll.getAsInt() > maxpoll.getAsInt()) {
            Var max = merged.get(Vars.MAXPOLL);
            throw new InventoryException(max.value().pos() + ": host " + Excerpt.quote(name) + ": ntp_maxpoll " + maxpoll.getAsInt()
                    + " is below ntp_minpoll " + minpoll.getAsInt() + " (line " + merged.get(Vars.MINPOLL).value().pos().line()
                    + "; make ntp_maxpoll >= ntp_minpoll)");
        }
        @SuppressWarnings("unchecked")
        NtpSpec ntp = new NtpSpec(
                upstream,
                b.get(Vars.LOCAL_CLOCK, Boolean.class).orElse(upstream.isEmpty()),
                b.get(Vars.LOCAL_STRATUM, Integer.class).orElse(DEFAULT_LOCAL_STRATUM),
                b.optionalInt(Vars.ORPHAN_STRATUM),
                b.optionalInt(Vars.ORPHAN_WAIT),
                b.get(Vars.ALLOW, List.class).orElse(List.of()),
                b.get(Vars.SERVE_OTHERS, Boolean.class).orElse(true),
                (Optional<Flavor>) b.get(Vars.FLAVOR, Optional.class).orElse(Optional.empty()),
                b.get(Vars.SERVER_ADDRESS, String.class).orElse(address),
                b.get(Vars.IBURST, Boolean.class).orElse(true),
                minpoll,
                maxpoll,
                b.get(Vars.CONF_PATH, String.class),
                b.get(Vars.SERVICE, String.class),
                b.get(Vars.EXTRA, List.class).orElse(List.of()),
                b.get(Vars.MAX_OFFSET_MS, Double.class).orElse(DEFAULT_MAX_OFFSET_MS),
                b.get(Vars.DISABLE_COMPETITORS, Boolean.class).orElse(true));

        Map<String, Object> plain = new LinkedHashMap<>();
        for (Var v : merged.values()) {
            // a template sees what ntpdeploy acts on: ansible_become: 'yes' (a string from INI) is true there too
            Object parsed = VarParser.parse(v);
            plain.put(v.key(), parsed instanceof Boolean || parsed instanceof Integer ? parsed : YamlNode.toPlain(v.value()));
        }
        return new Host(name, role, connection, ntp, groups, Collections.unmodifiableMap(plain), pos);
    }

    private <T> Optional<T> get(String key, Class<T> type) throws InventoryException {
        Var v = vars.get(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(type.cast(VarParser.parse(v)));
    }

    /**
     * The first ProxyJump of ansible_ssh_common_args, then ansible_ssh_extra_args, as ssh keeps an option's first
     * value (Ansible passes them in that order): a common {@code ProxyJump=none} is not overridden by extra args.
     */
    private Optional<JumpHost> jump() throws InventoryException {
        for (String key : List.of(Vars.SSH_COMMON_ARGS, Vars.SSH_EXTRA_ARGS)) {
            Optional<SshArgs> given = get(key, SshArgs.class);
            if (given.isPresent() && given.get().jump().isPresent()) {
                return given.get().jump().get();
            }
        }
        return Optional.empty();
    }

    /** The first IdentitiesOnly of ansible_ssh_common_args, then ansible_ssh_extra_args (as jump()); default no. */
    private boolean identitiesOnly() throws InventoryException {
        for (String key : List.of(Vars.SSH_COMMON_ARGS, Vars.SSH_EXTRA_ARGS)) {
            Optional<SshArgs> given = get(key, SshArgs.class);
            if (given.isPresent() && given.get().identitiesOnly().isPresent()) {
                return given.get().identitiesOnly().get();
            }
        }
        return false;
    }

    private OptionalInt optionalInt(String key) throws InventoryException {
        Optional<Integer> i = get(key, Integer.class);
        return i.isPresent() ? OptionalInt.of(i.get()) : OptionalInt.empty();
    }

    /**
     * ~ is the operator's home; a relative path is relative to the current directory, as in Ansible: its
     * ssh connection passes the value through expanduser only (plugins/connection/ssh.py, IdentityFile=),
     * so ssh opens it relative to the directory ansible runs in, not the inventory's.
     */
    private static Path keyPath(String key) {
        if (key.equals("~") || key.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(key.equals("~") ? "" : key.substring(2)).normalize();
        }
        Path p = Path.of(key);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        return p.toAbsolutePath().normalize();
    }

    @Override
    public String toString() {
        return "HostBinder[" + name + "]";
    }
}

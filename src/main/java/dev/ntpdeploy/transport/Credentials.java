package dev.ntpdeploy.transport;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * The secrets of one run: private keys (each decrypted once and shared by every connection), the keys of the
 * ssh-agent SSH_AUTH_SOCK names (listed once; they sign in the agent), the SSH login password and the sudo password. Secrets come only from the environment or a console prompt,
 * never from the inventory or the command line, and never appear in toString, logs or messages.
 */
public final class Credentials {

    public static final String ENV_KEY_PASSPHRASE = "NTPDEPLOY_KEY_PASSPHRASE";
    public static final String ENV_SSH_PASSWORD = "NTPDEPLOY_SSH_PASSWORD";
    public static final String ENV_BECOME_PASSWORD = "NTPDEPLOY_BECOME_PASSWORD";

    /** Reads a secret without echo; returns null when there is no terminal to ask. */
    @FunctionalInterface
    public interface Prompter {
        char[] ask(String prompt);

        /** Prompts on {@link System#console()}, or returns null when there is none (cron, CI, pipes). */
        static Prompter console() {
            return prompt -> {
                Console c = System.console();
                return c == null ? null : c.readPassword("%s", prompt);
            };
        }
    }

    /** A key that loaded, or the one-line reason it did not (cached so 50 hosts do not ask 50 times). */
    private record LoadedKey(KeyProvider provider, String error) {
    }

    /** The agent's keys, or why there are none although SSH_AUTH_SOCK is set. */
    private record AgentKeys(List<AgentKey> keys, Optional<String> trouble) {
    }

    private final Map<String, String> env;
    private final Prompter prompter;
    private final Path sshDir;
    private final Config config;
    private final char[] sshPassword;
    private final char[] becomePassword;
    private final Map<Path, LoadedKey> keys = new HashMap<>();
    private final Optional<SshAgent> agent;
    private AgentKeys agentKeys;
    private char[] keyPassphrase;

    private Credentials(Map<String, String> env, Prompter prompter, Path sshDir, Config config,
                        char[] sshPassword, char[] becomePassword) {
        this.env = env;
        this.prompter = prompter;
        this.sshDir = sshDir;
        this.config = config;
        this.sshPassword = sshPassword;
        this.becomePassword = becomePassword;
        this.agent = SshAgent.fromEnvironment(env);
    }

    /**
     * Gathers the passwords a run needs before any connection opens (so prompts come once, up front):
     * the environment wins; --ask-pass / --ask-become-pass prompt when it has none.
     *
     * @throws TransportException when a prompt is asked for but there is no terminal
     */
    public static Credentials resolve(TransportOptions options, Map<String, String> env, Prompter prompter,
                                      Path sshDir) throws TransportException {
        char[] ssh = secret(env, ENV_SSH_PASSWORD, options.askPass(), "SSH password: ", "--ask-pass", prompter);
        char[] become = secret(env, ENV_BECOME_PASSWORD, options.askBecomePass(), "BECOME (sudo) password: ",
                "--ask-become-pass", prompter);
        return new Credentials(env, prompter, sshDir, SshConnection.config(), ssh, become);
    }

    private static char[] secret(Map<String, String> env, String var, boolean ask, String prompt, String flag,
                                 Prompter prompter) throws TransportException {
        String v = env.get(var);
        if (v != null && !v.isEmpty()) {
            return v.toCharArray();
        }
        if (!ask) {
            return null;
        }
        char[] typed = prompter.ask(prompt);
        if (typed == null) {
            throw new TransportException(flag + " needs a terminal to prompt on; set " + var + " instead");
        }
        return typed;
    }

    public boolean hasSshPassword() {
        return sshPassword != null;
    }

    /** A copy of the SSH password (callers may blank it), or null. */
    char[] sshPassword() {
        return sshPassword == null ? null : sshPassword.clone();
    }

    /** A copy of the sudo password, or null. */
    char[] becomePassword() {
        return becomePassword == null ? null : becomePassword.clone();
    }

    /**
     * The keys to offer for a host, in OpenSSH's order: the host's key files that ssh-agent holds (signed by the
     * agent, so an encrypted file needs no passphrase), then the agent's other keys, then the key files the agent
     * does not hold. The key files are the host's ansible_ssh_private_key_file, else whichever of
     * ~/.ssh/id_ed25519, id_ecdsa, id_rsa exist; the agent is the one SSH_AUTH_SOCK names.
     *
     * @throws TransportException when the host's key file cannot be used, or nothing at all can log in
     */
    public List<ClientKey> keysFor(Optional<Path> keyFile) throws TransportException {
        return keysFor(keyFile, false);
    }

    /**
     * {@link #keysFor(Optional)}; with {@code identitiesOnly} (ssh's IdentitiesOnly=yes) the agent's other keys are
     * left out, so a key file is not crowded out by sshd's MaxAuthTries when the agent holds many keys.
     */
    public List<ClientKey> keysFor(Optional<Path> keyFile, boolean identitiesOnly) throws TransportException {
        List<Path> candidates = keyFile.map(List::of).orElseGet(() -> defaultKeyFiles());
        List<AgentKey> agentKeys = new ArrayList<>(agentKeys().keys());
        List<ClientKey> held = new ArrayList<>();
        List<ClientKey> files = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path p : candidates) {
            Optional<AgentKey> inAgent = publicHalf(p).flatMap(pub -> heldBy(agentKeys, pub));
            if (inAgent.isEmpty()) {
                LoadedKey k = load(p);
                if (k.provider == null) {
                    errors.add(k.error);
                    continue;
                }
                ClientKey.FileKey file = new ClientKey.FileKey(p, k.provider);
                inAgent = heldBy(agentKeys, file.publicKey());
                if (inAgent.isEmpty()) {
                    files.add(file);
                    continue;
                }
            }
            agentKeys.remove(inAgent.get());
            held.add(inAgent.get());
        }
        if (keyFile.isPresent() && !errors.isEmpty()) {
            throw new TransportException(errors.get(0));
        }
        List<ClientKey> out = new ArrayList<>(held);
        if (!identitiesOnly) {
            out.addAll(agentKeys);
        }
        out.addAll(files);
        if (out.isEmpty() && sshPassword == null) {
            if (errors.isEmpty()) {
                errors.add("no SSH key: set ansible_ssh_private_key_file, add a key to ssh-agent, create "
                        + sshDir.resolve("id_ed25519") + ", or provide a password with " + ENV_SSH_PASSWORD + " / --ask-pass");
            }
            agentKeys().trouble().ifPresent(errors::add);
            throw new TransportException(String.join("; ", errors));
        }
        return out;
    }

    /** Why the agent's keys are not offered (SSH_AUTH_SOCK names a socket that does not answer), if they are not. */
    Optional<String> agentTrouble() {
        return agentKeys().trouble();
    }

    private static Optional<AgentKey> heldBy(List<AgentKey> agentKeys, PublicKey key) {
        return agentKeys.stream().filter(a -> a.sameKey(key)).findFirst();
    }

    /** The agent's keys, asked for once per run (every host is offered the same). */
    private synchronized AgentKeys agentKeys() {
        if (agentKeys == null) {
            if (agent.isEmpty()) {
                agentKeys = new AgentKeys(List.of(), Optional.empty());
            } else {
                try {
                    agentKeys = new AgentKeys(agent.get().keys(), Optional.empty());
                } catch (TransportException e) {
                    agentKeys = new AgentKeys(List.of(), Optional.of(e.getMessage()));
                }
            }
        }
        return agentKeys;
    }

    /** A key file's public half from FILE.pub, as ssh finds it without decrypting the file; empty when unreadable. */
    private static Optional<PublicKey> publicHalf(Path keyFile) {
        Path pub = Path.of(keyFile + ".pub");
        try {
            String[] fields = Files.readString(pub).trim().split("\\s+");
            return Optional.of(new Buffer.PlainBuffer(Base64.getDecoder().decode(fields[1])).readPublicKey());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private List<Path> defaultKeyFiles() {
        List<Path> out = new ArrayList<>();
        for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            Path p = sshDir.resolve(n);
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private synchronized LoadedKey load(Path file) {
        return keys.computeIfAbsent(file.toAbsolutePath().normalize(), this::decrypt);
    }

    /** Decrypts a key file once; asks for the passphrase only if the file turns out to be encrypted. */
    private LoadedKey decrypt(Path file) {
        if (!Files.isReadable(file)) {
            return new LoadedKey(null, "SSH key " + file + " not found or not readable");
        }
        boolean[] asked = {false};
        String[] unavailable = {null};
        PasswordFinder finder = new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                asked[0] = true;
                char[] p = passphrase(file);
                if (p == null) {
                    unavailable[0] = "SSH key " + file + " is passphrase-protected and there is no terminal to ask on:"
                            + " set " + ENV_KEY_PASSPHRASE;
                }
                return p;
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false;
            }
        };
        try {
            KeyFormat format = KeyProviderUtil.detectKeyFileFormat(file.toFile());
            FileKeyProvider fkp = Factory.Named.Util.create(config.getFileKeyProviderFactories(), format.toString());
            if (fkp == null) {
                return new LoadedKey(null, "SSH key " + file + ": unsupported key format " + format);
            }
            fkp.init(file.toFile(), finder);
            KeyPair pair = new KeyPair(fkp.getPublic(), fkp.getPrivate());
            return new LoadedKey(new KeyPairWrapper(pair), null);
        } catch (IOException | RuntimeException e) {
            if (unavailable[0] != null) {
                return new LoadedKey(null, unavailable[0]);
            }
            return new LoadedKey(null, "SSH key " + file + (asked[0]
                    ? " could not be decrypted: wrong passphrase (" + ENV_KEY_PASSPHRASE + ")?"
                    : " could not be read: " + e.getMessage()));
        }
    }

    /** The key passphrase: from the environment, else prompted once (the same one is tried on every key). */
    private char[] passphrase(Path file) {
        if (keyPassphrase == null) {
            String v = env.get(ENV_KEY_PASSPHRASE);
            if (v != null && !v.isEmpty()) {
                keyPassphrase = v.toCharArray();
            } else {
                keyPassphrase = prompter.ask("Passphrase for " + file + ": ");
            }
        }
        return keyPassphrase == null ? null : keyPassphrase.clone();
    }

    @Override
    public String toString() {
        return "Credentials[keys=" + keys.size() + ", agent=" + agent.map(SshAgent::toString).orElse("none")
                + ", sshPassword=" + (sshPassword != null ? "set" : "none")
                + ", becomePassword=" + (becomePassword != null ? "set" : "none") + "]";
    }
}

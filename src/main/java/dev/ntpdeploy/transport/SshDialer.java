package dev.ntpdeploy.transport;

import dev.ntpdeploy.inventory.Host;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens hosts over SSH with what every host of a run shares, resolved once before any host is contacted: the
 * user's ~/.ssh keys, the environment's secrets, console prompts (--ask-pass, --ask-become-pass, key passphrases)
 * and the host-key policy. Opening many hosts at once is engine's ({@code engine.Connector} on {@code engine.FanOut},
 * {@code --forks} at a time); this opens one.
 */
public final class SshDialer {

    private final TransportOptions options;
    private final Credentials credentials;
    private final HostKeyPolicy hostKeys;
    /** The run's bastion connections, shared by every host this dialer opens behind them. */
    private final JumpHosts<SshConnection> jumps = new JumpHosts<>();

    private SshDialer(TransportOptions options, Credentials credentials, HostKeyPolicy hostKeys) {
        this.options = options;
        this.credentials = credentials;
        this.hostKeys = hostKeys;
    }

    /**
     * @throws TransportException when the run itself cannot start (an unreadable --known-hosts file, a prompt
     *                            asked for without a terminal): no host was contacted
     */
    public static SshDialer prepare(TransportOptions options) throws TransportException {
        Path sshDir = Path.of(System.getProperty("user.home"), ".ssh");
        Credentials credentials = Credentials.resolve(options, System.getenv(), Credentials.Prompter.console(),
                sshDir);
        return new SshDialer(options, credentials, hostKeyPolicy(options));
    }

    /**
     * One host: its connection.
     *
     * @throws TransportException the host is unreachable: the one-line reason (fingerprint and fix for host keys)
     */
    public Connection open(Host host) throws TransportException {
        try {
            return SshConnection.open(host.name(), host.connection(), options, hostKeys, credentials, jumps);
        } catch (RuntimeException e) {
            throw new TransportException(host.name() + ": internal error while connecting: " + e, e);
        }
    }

    /** How many hosts may be opened at once (--forks). */
    public int forks() {
        return options.forks();
    }

    /** The host-key policy the options describe. */
    public static HostKeyPolicy hostKeyPolicy(TransportOptions options) throws TransportException {
        try {
            return new HostKeyPolicy(options.userKnownHosts(), options.knownHosts(), options.acceptNewHostKeys());
        } catch (IOException e) {
            throw new TransportException(e.getMessage(), e);
        }
    }
}

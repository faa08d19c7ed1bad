package dev.ntpdeploy.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a run reaches its fleet: the values of {@code cli/SshOptions}, independent of picocli.
 *
 * @param connectTimeout     TCP connect, banner, key exchange and auth budget per host (all four sshj timeouts)
 * @param commandTimeout     default budget of one remote command (callers may pass their own per command)
 * @param forks              how many hosts are connected to at once
 * @param userKnownHosts     the user's known_hosts (trusted, and where first-use keys are written)
 * @param knownHosts         further known_hosts files to trust (--known-hosts, repeatable)
 * @param acceptNewHostKeys  trust hosts with no known_hosts line on first use; changed keys stay refused
 * @param askPass            prompt once for an SSH login password
 * @param askBecomePass      prompt once for the sudo password
 */
public record TransportOptions(Duration connectTimeout, Duration commandTimeout, int forks,
                               Path userKnownHosts, List<Path> knownHosts, boolean acceptNewHostKeys,
                               boolean askPass, boolean askBecomePass) {

    public static final int DEFAULT_FORKS = 50;

    public TransportOptions {
        knownHosts = List.copyOf(knownHosts);
        if (forks < 1) {
            throw new IllegalArgumentException("--forks must be at least 1");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
    }

    /** The user's ~/.ssh/known_hosts. */
    public static Path defaultUserKnownHosts() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** Defaults: 10 s to connect, 60 s per command, 50 forks, strict keys, no prompts. */
    public static TransportOptions defaults() {
        return new TransportOptions(Duration.ofSeconds(10), Duration.ofSeconds(60), DEFAULT_FORKS,
                defaultUserKnownHosts(), List.of(), false, false, false);
    }

    public TransportOptions withKnownHosts(Path userFile, List<Path> extra) {
        return new TransportOptions(connectTimeout, commandTimeout, forks, userFile, extra, acceptNewHostKeys, askPass, askBecomePass);
    }

    public TransportOptions withAcceptNewHostKeys(boolean accept) {
        return new TransportOptions(connectTimeout, commandTimeout, forks, userKnownHosts, knownHosts, accept, askPass, askBecomePass);
    }
}

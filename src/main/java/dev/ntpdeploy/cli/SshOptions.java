package dev.ntpdeploy.cli;

import dev.ntpdeploy.transport.TransportOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** SSH options shared by every command that reaches hosts (apply, verify, watch): {@code @Mixin SshOptions ssh;}. */
public class SshOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-f", "--forks"}, paramLabel = "N", defaultValue = "50",
            description = "Hosts to connect to and work on at once (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to connect, exchange keys and log in to one host (a bare number is seconds;"
                    + " default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--command-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long one remote command may run before it is killed (a bare number is seconds;"
                    + " default: ${DEFAULT-VALUE}).")
    Duration commandTimeout;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "Also trust host keys listed in FILE (OpenSSH known_hosts format; repeatable)."
                    + " ~/.ssh/known_hosts is always read.")
    List<Path> knownHosts = new ArrayList<>();

    @Option(names = "--accept-new-host-keys",
            description = "Trust a host seen for the first time and record its key (hashed) in ~/.ssh/known_hosts."
                    + " A CHANGED key is always refused.")
    boolean acceptNewHostKeys;

    @Option(names = {"-k", "--ask-pass"}, description = "Prompt once for the SSH login password (else NTPDEPLOY_SSH_PASSWORD).")
    boolean askPass;

    @Option(names = {"-K", "--ask-become-pass"},
            description = "Prompt once for the sudo password used with ansible_become (else NTPDEPLOY_BECOME_PASSWORD).")
    boolean askBecomePass;

    /** The options as the transport takes them; a bad value is a usage error (exit 2) naming the option. */
    public TransportOptions toTransportOptions() {
        if (forks < 1) {
            throw usage("--forks must be at least 1 (got " + forks + ")");
        }
        if (connectTimeout.getSeconds() < 1 || commandTimeout.getSeconds() < 1) {
            throw usage("--timeout and --command-timeout must be at least 1 second");
        }
        return new TransportOptions(connectTimeout, commandTimeout, forks,
                TransportOptions.defaultUserKnownHosts(), knownHosts, acceptNewHostKeys, askPass, askBecomePass);
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}

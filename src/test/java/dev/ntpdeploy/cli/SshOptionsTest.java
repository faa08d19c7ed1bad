package dev.ntpdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.transport.TransportOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class SshOptionsTest {

    @Command(name = "probe")
    static class Probe {
        @Mixin
        SshOptions ssh;
    }

    private static TransportOptions parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.ssh.toTransportOptions();
    }

    @Test
    void defaultsAreStrictWithFiftyForks() {
        TransportOptions o = parse();
        assertEquals(50, o.forks());
        assertEquals(Duration.ofSeconds(10), o.connectTimeout());
        assertEquals(List.of(), o.knownHosts());
        assertFalse(o.acceptNewHostKeys() || o.askPass() || o.askBecomePass());
        assertTrue(o.userKnownHosts().endsWith(Path.of(".ssh", "known_hosts")));
    }

    @Test
    void knownHostsRepeatsAndEveryFlagLands() {
        TransportOptions o = parse("--forks", "7", "--timeout", "3", "--command-timeout", "1m30s", "--known-hosts", "a",
                "--known-hosts", "b", "--accept-new-host-keys", "--ask-pass", "--ask-become-pass");
        assertEquals(7, o.forks());
        assertEquals(Duration.ofSeconds(3), o.connectTimeout());
        assertEquals(Duration.ofSeconds(90), o.commandTimeout());
        assertEquals(List.of(Path.of("a"), Path.of("b")), o.knownHosts());
        assertTrue(o.acceptNewHostKeys() && o.askPass() && o.askBecomePass());
    }

    @Test
    void zeroForksIsAUsageError() {
        CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(CommandLine.ParameterException.class,
                () -> parse("--forks", "0"));
        assertTrue(e.getMessage().contains("--forks"), e.getMessage());
    }
}

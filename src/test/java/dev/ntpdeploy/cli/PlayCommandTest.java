package dev.ntpdeploy.cli;

import dev.ntpdeploy.CliRun;

import static dev.ntpdeploy.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.Exit;
import dev.ntpdeploy.engine.PlayOutcome;
import dev.ntpdeploy.report.PlayReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code play}'s refusals before any host is contacted, and its retry file (no lab: the example inventory's hosts do not exist). */
class PlayCommandTest {

    @TempDir
    Path dir;



    @Test
    void anInvalidPlaybookIsRefusedWithItsPlaceAndExit65() throws IOException {
        Path book = Files.writeString(dir.resolve("bad.yml"), "- hosts: clients\n  serial: [1, lots]\n  tasks: [verify: {}]\n");
        CliRun r = run("play", book.toString(), "-i", "inventories/example.yml");
        assertEquals(Exit.INVALID_INPUT.code(), r.code(), r.err());
        assertEquals(book + ":2:15: invalid 'serial' 'lots', a string: write a number of hosts (1), a percentage of the"
                + " play's hosts ('20%'), or a list of them ([1, '10%', '50%'])", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void aPlayWhoseHostsMatchNothingIsRefusedAtItsHostsLine() throws IOException {
        Path book = Files.writeString(dir.resolve("typo.yml"), "- hosts: clinets\n  tasks: [verify: {}]\n");
        CliRun r = run("play", book.toString(), "-i", "inventories/example.yml");
        assertEquals(Exit.INVALID_INPUT.code(), r.code(), r.err());
        assertTrue(r.err().startsWith(book + ":1:10: hosts: 'clinets' matches no host or group"), r.err());
    }

    @Test
    void theInventoryIsRequired() {
        CliRun r = run("play", "playbooks/site.yml");
        assertEquals(Exit.USAGE.code(), r.code());
        assertTrue(r.err().contains("--inventory"), r.err());
    }

    @Test
    void limitAtFileReadsEveryLineAsAHost() throws IOException {
        // picocli would otherwise expand @FILE into arguments: two lines became "Unmatched arguments"
        Path retry = Files.writeString(dir.resolve("site.retry"), "host8463\nhost8462\n");
        CliRun r = run("inventory", "inventories/example.yml", "--list-hosts", "--limit", "@" + retry);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("host8462") && r.out().contains("host8463") && !r.out().contains("host8461"), r.out());
    }

    @Test
    void theRetryFileIsBesideThePlaybookOneSortedHostPerLine() throws IOException {
        Path file = PlayReport.retryFile(dir.resolve("site.yml"));
        assertEquals(dir.resolve("site.retry"), file);
        PlayOutcome o = new PlayOutcome(List.of(new PlayOutcome.HostTally("c3", 1, 1, 1, 0, 0),
                new PlayOutcome.HostTally("c1", 2, 1, 0, 0, 0), new PlayOutcome.HostTally("c2", 0, 0, 0, 1, 0)),
                Optional.of("budget"), List.of("c5", "c4"), false, false);
        PlayReport.writeRetry(file, o.retry());
        assertEquals("c2\nc3\nc4\nc5\n", Files.readString(file));
        assertEquals(Exit.HOSTS_FAILED, Exit.of(o));
    }
}

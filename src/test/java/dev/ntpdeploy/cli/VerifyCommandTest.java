package dev.ntpdeploy.cli;

import dev.ntpdeploy.CliRun;

import static dev.ntpdeploy.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.Exit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.ntpdeploy.report.VerifyReportTest;
import dev.ntpdeploy.report.VerifyText;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.VerifyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify's command line without hosts: exit codes for input it refuses, and its options. */
class VerifyCommandTest {

    @TempDir
    Path dir;



    @Test
    void anInvalidInventoryIsUnknownForVerifyButInvalidInputForRender() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yml"),
                "all:\n  children:\n    masters:\n      hosts:\n        m1:\n          ntp_minpoll: many\n");
        CliRun verify = run("verify", bad.toString());
        assertEquals(Exit.UNKNOWN.code(), verify.code(), verify.err());
        assertEquals(1, verify.err().lines().count(), verify.err());
        assertTrue(verify.err().startsWith(bad.toString()), verify.err());
        assertEquals(Exit.INVALID_INPUT.code(), run("render", bad.toString()).code());
    }

    @Test
    void aLimitMatchingNoHostIsUnknownBeforeAnyHostIsContacted() {
        CliRun r = run("verify", "inventories/example.yml", "--limit", "nosuchhost");
        assertEquals(Exit.UNKNOWN.code(), r.code(), r.err());
        assertTrue(r.err().startsWith("--limit: 'nosuchhost' matches no host or group"), r.err());
    }

    @Test
    void jsonIsAnAliasOfFormatJsonAndRefusesAnotherFormat() {
        CliRun r = run("verify", "inventories/example.yml", "--json", "--format", "nagios");
        assertEquals(Exit.UNKNOWN.code(), r.code(), r.err()); // verify says UNKNOWN for a usage error too
        assertTrue(r.err().contains("--json is --format json"), r.err());
        CliRun bad = run("verify", "inventories/example.yml", "--format", "html");
        assertEquals(Exit.UNKNOWN.code(), bad.code(), bad.err());
        assertTrue(bad.err().contains("text, json, nagios"), bad.err());
    }

    @Test
    void theStatusLineGoesToStderrWhenNotOkSoCronCanMail() {
        VerifyResult critical = VerifyReportTest.seedCase();
        assertEquals(Optional.of("status: CRITICAL - 1 of 3 hosts in sync (2 UNSYNCED)"),
                Verify.alertLine(critical, Verify.Format.text));
        assertEquals(Optional.of(VerifyText.summary(critical)), Verify.alertLine(critical, Verify.Format.json));
        assertEquals(Optional.empty(), Verify.alertLine(critical, Verify.Format.nagios), "line 1 says it already");
        VerifyResult ok = new VerifyResult(List.of(), Status.OK);
        assertEquals(Optional.empty(), Verify.alertLine(ok, Verify.Format.text), "an OK run is silent for cron");
    }
}

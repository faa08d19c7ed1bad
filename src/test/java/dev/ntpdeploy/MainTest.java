package dev.ntpdeploy;

import static dev.ntpdeploy.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;



    private Path bad(String yaml) throws Exception {
        Path f = dir.resolve("bad.yml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void rendersTheExampleForEveryHostWithSeparators() {
        CliRun r = run("render", "inventories/example.yml", "--flavor", "ntp");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# --- host host8461 (master, ntp) -> /etc/ntp.conf\n# managed by ntpdeploy"), r.out());
        assertTrue(r.out().contains("# --- host host8463 (client, ntp) -> /etc/ntp.conf\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void rendersOneHostWithoutSeparatorAndAutoAsNtpsec() {
        CliRun r = run("render", "inventories/example.yml", "--host", "host8462");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# managed by ntpdeploy for host8462 (client, ntpsec)"), r.out());
        assertFalse(r.out().contains("# ---"), r.out());
    }

    @Test
    void writesOneFilePerHostWithOut() throws Exception {
        Path out = dir.resolve("out");
        CliRun r = run("render", "inventories/example.yml", "--flavor", "ntp", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(Path.of("src/test/resources/seed/master.conf")),
                Files.readString(out.resolve("host8461.conf")));
        assertTrue(Files.exists(out.resolve("host8462.conf")) && Files.exists(out.resolve("host8463.conf")));
        try (var files = Files.list(out)) {
            assertEquals(3, files.count(), "no temp files left behind");
        }
        assertTrue(r.out().contains("wrote " + out.resolve("host8461.conf") + " host8461 (master, ntp) -> /etc/ntp.conf"), r.out());
    }

    @Test
    void anUnwritableOutDirectoryIsOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("plainfile"), "x");
        CliRun r = run("render", "inventories/example.yml", "--out", file.toString());
        assertEquals(Exit.INVALID_INPUT.code(), r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("cannot write " + file.resolve("host8461.conf")), r.err());
    }

    @Test
    void invalidInventoryExits65WithOneLineAndRendersNothing() throws Exception {
        Path f = bad("all:\n  vars:\n    ntp_upstrem: [x.example]\n");
        Path out = dir.resolve("out");
        CliRun r = run("render", f.toString(), "--out", out.toString());
        assertEquals(Exit.INVALID_INPUT.code(), r.code());
        assertEquals(f + ":3:5: unknown variable 'ntp_upstrem' (did you mean 'ntp_upstream'?)\n", r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void everyBadInventoryGivesOneLineAndExit65() throws Exception {
        String[] inventories = {
                "all: [",
                "all:\n  children:\n    clients:\n      hosts:\n        c1:\n",
                "all:\n  vars:\n    ansible_password: x\n",
                "all:\n  vars:\n    ntp_allow: [10.0.0.0/40]\n",
                "all:\n  vars:\n    ntp_extra: [\"a\\nb\"]\n",
        };
        for (String yaml : inventories) {
            CliRun r = run("render", bad(yaml).toString());
            assertEquals(Exit.INVALID_INPUT.code(), r.code(), yaml);
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith(dir.resolve("bad.yml").toString() + ":"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void missingFileIsInvalidInput() {
        CliRun r = run("render", dir.resolve("none.yml").toString());
        assertEquals(Exit.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void templateErrorsExit65() throws Exception {
        CliRun r = run("render", "inventories/example.yml", "--templates", dir.toString());
        assertEquals(Exit.INVALID_INPUT.code(), r.code());
        assertTrue(r.err().contains("template not found"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace by default");
        CliRun verbose = run("render", "inventories/example.yml", "--templates", dir.toString(), "--stacktrace");
        assertTrue(verbose.err().contains("\tat "), "stack trace on request");
        CliRun missingDir = run("render", "inventories/example.yml", "--templates", dir.resolve("nope").toString());
        assertEquals(Exit.INVALID_INPUT.code(), missingDir.code());
        assertEquals(dir.resolve("nope") + ": templates directory not found (point --templates at a directory"
                + " holding ntp.conf.master.mustache and ntp.conf.client.mustache)\n", missingDir.err());
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        for (String[] args : new String[][] {
                {"render"},
                {"render", "inventories/example.yml", "--flavor", "openntpd"},
                {"render", "inventories/example.yml", "--host", "nope"},
                {"render", "inventories/example.yml", "--bogus"},
                {"frobnicate"}}) {
            CliRun r = run(args);
            assertEquals(Exit.USAGE.code(), r.code(), String.join(" ", args));
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("--help"), r.err());
        }
        assertTrue(run("render", "inventories/example.yml", "--host", "nope").err()
                .contains("no such host in inventories/example.yml (hosts: host8461, host8462, host8463)"));
    }

    @Test
    void helpAndVersionWorkForEveryCommand() {
        CliRun help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("render"), help.out());
        assertTrue(help.out().contains("65") && help.out().contains("Exit codes:"), help.out());
        CliRun renderHelp = run("render", "--help");
        assertEquals(0, renderHelp.code());
        assertTrue(renderHelp.out().contains("--flavor") && renderHelp.out().contains("ntpsec"), renderHelp.out());
        for (String[] args : new String[][] {{"--version"}, {"render", "--version"}}) {
            CliRun v = run(args);
            assertEquals(0, v.code());
            assertTrue(v.out().startsWith("ntpdeploy "), v.out());
        }
    }
}

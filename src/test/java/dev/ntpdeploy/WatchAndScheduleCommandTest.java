package dev.ntpdeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.ntpdeploy.CliRun.run;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Option handling of watch and schedule: every mistake is a usage error (2) with one line naming the fix. */
class WatchAndScheduleCommandTest {

    @Test
    void watchRejectsABadIntervalListenAddressOrHistoryLimitBeforeDoingAnything() {
        CliRun every = run("watch", "inventories/example.yml", "--every", "5x");
        assertEquals(2, every.code());
        assertTrue(every.err().contains("invalid duration '5x': use seconds, or a number with a unit"), every.err());
        CliRun listen = run("watch", "inventories/example.yml", "--metrics-listen", "9469");
        assertEquals(2, listen.code());
        assertTrue(listen.err().contains("invalid --metrics-listen '9469': use HOST:PORT"), listen.err());
        CliRun keep = run("watch", "inventories/example.yml", "--history", "/tmp/h.jsonl", "--history-keep", "0");
        assertEquals(2, keep.code());
        assertTrue(keep.err().contains("--history-keep must be 1..9, got 0"), keep.err());
    }

    @Test
    void watchTakesALimitAndRefusesOneThatMatchesNothingBeforeAnyRound() {
        CliRun r = run("watch", "inventories/example.yml", "-l", "nosuchhost", "--metrics-listen", "none");
        assertEquals(65, r.code(), r.err());
        assertTrue(r.err().startsWith("--limit: 'nosuchhost' matches no host or group"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void watchRefusesAnInvalidInventoryWith65() {
        CliRun r = run("watch", "does-not-exist.yml", "--metrics-listen", "none");
        assertEquals(65, r.code(), r.err());
        assertTrue(r.err().contains("does-not-exist.yml"), r.err());
    }

    @Test
    void schedulePrintsACronLineWithTheInventorysAbsolutePath() {
        CliRun r = run("schedule", "inventories/example.yml", "--every", "10m", "--print", "cron");
        assertEquals(0, r.code(), r.err());
        String abs = Path.of("inventories/example.yml").toAbsolutePath().normalize().toString();
        assertTrue(r.out().contains("*/10 * * * * "), r.out());
        assertTrue(r.out().contains(" verify " + abs + " >/dev/null\n"), r.out());
    }

    @Test
    void scheduleRefusesWhatCronCannotRunAndMissingInventories() {
        CliRun sub = run("schedule", "inventories/example.yml", "--every", "30s", "--print", "cron");
        assertEquals(2, sub.code());
        assertTrue(sub.err().contains("cron cannot run every 30s"), sub.err());
        CliRun missing = run("schedule", "nope.yml", "--print", "systemd");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.yml does not exist"), missing.err());
        CliRun format = run("schedule", "inventories/example.yml", "--print", "upstart");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("upstart"), format.err());
    }

    @Test
    void scheduledUnitsCarryTheVerifyOptionsTheyWereGivenWithPathsMadeAbsolute() {
        String abs = Path.of("inventories/example.yml").toAbsolutePath().normalize().toString();
        String kh = Path.of("lab/known_hosts").toAbsolutePath().normalize().toString();
        CliRun cron = run("schedule", "inventories/example.yml", "--print", "cron", "--", "--limit", "clients",
                "--known-hosts", "lab/known_hosts", "--sync-timeout=2m", "--wait");
        assertEquals(0, cron.code(), cron.err());
        assertTrue(cron.out().contains(" verify " + abs + " --limit clients --known-hosts " + kh
                + " --sync-timeout=2m --wait >/dev/null\n"), cron.out());
        assertTrue(cron.out().contains("status line to stderr"), "the comment says how cron alerts: " + cron.out());
        CliRun systemd = run("schedule", "inventories/example.yml", "--", "--known-hosts=lab/known_hosts", "--limit", "m*");
        assertEquals(0, systemd.code(), systemd.err());
        assertTrue(systemd.out().contains(" verify " + abs + " --known-hosts=" + kh + " --limit \"m*\"\n"),
                systemd.out());
    }

    @Test
    void scheduleRefusesVerifyOptionsVerifyWouldRefuseOrThatNeedATerminal() {
        CliRun unknown = run("schedule", "inventories/example.yml", "--", "--limmit", "clients");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("verify option: Unknown options: '--limmit'"), unknown.err());
        CliRun duration = run("schedule", "inventories/example.yml", "--", "--sync-timeout", "soon");
        assertEquals(2, duration.code());
        assertTrue(duration.err().contains("verify option: ") && duration.err().contains("soon"), duration.err());
        CliRun ask = run("schedule", "inventories/example.yml", "--", "--ask-pass");
        assertEquals(2, ask.code());
        assertTrue(ask.err().contains("a scheduled run has no terminal"), ask.err());
        CliRun second = run("schedule", "inventories/example.yml", "--", "other.yml");
        assertEquals(2, second.code());
        assertTrue(second.err().contains("verify option: Unmatched argument at index 1: 'other.yml'"), second.err());
    }
}

package dev.ntpdeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.ntpdeploy.MainTest.run;

import dev.ntpdeploy.MainTest.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Option handling of watch and schedule: every mistake is a usage error (2) with one line naming the fix. */
class WatchAndScheduleCommandTest {

    @Test
    void watchRejectsABadIntervalListenAddressOrHistoryLimitBeforeDoingAnything() {
        Run every = run("watch", "inventories/example.yml", "--every", "5x");
        assertEquals(2, every.code());
        assertTrue(every.err().contains("invalid duration '5x': use seconds, or a number with a unit"), every.err());
        Run listen = run("watch", "inventories/example.yml", "--metrics-listen", "9469");
        assertEquals(2, listen.code());
        assertTrue(listen.err().contains("invalid --metrics-listen '9469': use HOST:PORT"), listen.err());
        Run keep = run("watch", "inventories/example.yml", "--history", "/tmp/h.jsonl", "--history-keep", "0");
        assertEquals(2, keep.code());
        assertTrue(keep.err().contains("--history-keep must be 1..9, got 0"), keep.err());
    }

    @Test
    void watchRefusesAnInvalidInventoryWith65() {
        Run r = run("watch", "does-not-exist.yml", "--metrics-listen", "none");
        assertEquals(65, r.code(), r.err());
        assertTrue(r.err().contains("does-not-exist.yml"), r.err());
    }

    @Test
    void schedulePrintsACronLineWithTheInventorysAbsolutePath() {
        Run r = run("schedule", "inventories/example.yml", "--every", "10m", "--print", "cron");
        assertEquals(0, r.code(), r.err());
        String abs = Path.of("inventories/example.yml").toAbsolutePath().normalize().toString();
        assertTrue(r.out().contains("*/10 * * * * "), r.out());
        assertTrue(r.out().contains(" verify " + abs + " >/dev/null\n"), r.out());
    }

    @Test
    void scheduleRefusesWhatCronCannotRunAndMissingInventories() {
        Run sub = run("schedule", "inventories/example.yml", "--every", "30s", "--print", "cron");
        assertEquals(2, sub.code());
        assertTrue(sub.err().contains("cron cannot run every 30s"), sub.err());
        Run missing = run("schedule", "nope.yml", "--print", "systemd");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.yml does not exist"), missing.err());
        Run format = run("schedule", "inventories/example.yml", "--print", "upstart");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("upstart"), format.err());
    }
}

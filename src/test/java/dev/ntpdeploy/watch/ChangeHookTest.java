package dev.ntpdeploy.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ntpdeploy.inventory.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeHookTest {

    private static final StateChange LOST = new StateChange(Fixtures.T0, 7, "lab-h2", Role.CLIENT,
            StateChange.Kind.LOST_SYNC, "SYNCED", "DAEMON_DOWN", Optional.empty());

    @Test
    void runsTheCommandThroughShWithTheChangeAsJsonOnStdin(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("change.json");
        Path env = dir.resolve("env.txt");
        List<String> log = new CopyOnWriteArrayList<>();
        String cmd = "cat > '" + out + "' && printf '%s %s' \"$NTPDEPLOY_HOST\" \"$NTPDEPLOY_CHANGE\" > '" + env + "'";
        try (ChangeHook hook = new ChangeHook(cmd, Duration.ofSeconds(30), log::add)) {
            hook.accept(LOST);
        }
        JsonNode json = new ObjectMapper().readTree(Files.readString(out));
        assertEquals("lab-h2", json.get("host").asText());
        assertEquals("client", json.get("role").asText());
        assertEquals("lost_sync", json.get("change").asText());
        assertEquals("SYNCED", json.get("from").asText());
        assertEquals("DAEMON_DOWN", json.get("to").asText());
        assertEquals(7, json.get("round").asInt());
        assertEquals("2026-11-25T20:00:00Z", json.get("time").asText());
        assertFalse(json.has("finding"));
        assertEquals("lab-h2 lost_sync", Files.readString(env));
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void logsAFailingHookAndCarriesOn() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (ChangeHook hook = new ChangeHook("exit 3", Duration.ofSeconds(30), log::add)) {
            hook.accept(LOST);
            hook.accept(LOST);
        }
        assertEquals(List.of("watch: on-change hook for lab-h2 lost_sync failed with exit status 3",
                "watch: on-change hook for lab-h2 lost_sync failed with exit status 3"), log);
    }

    @Test
    void killsAHookThatOutlivesItsTimeoutWithItsChildren(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        List<String> log = new CopyOnWriteArrayList<>();
        try (ChangeHook hook = new ChangeHook("sleep 600 & echo $! > '" + pidFile + "'; wait",
                Duration.ofSeconds(1), log::add)) {
            hook.accept(LOST);
        }
        assertEquals(List.of("watch: on-change hook for lab-h2 lost_sync killed after 1s"), log);
        long child = Long.parseLong(Files.readString(pidFile).strip());
        // killed, not merely orphaned: gone, or a zombie its new parent has yet to reap (ProcessHandle.onExit
        // would wait for the reaping, which an orphan's reaper does on its own time: seconds here)
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ended(child)) {
            assertTrue(System.nanoTime() < deadline, "the hook's child " + child + " still runs 30 s after the kill");
            Thread.sleep(10);
        }
    }

    /** The process is gone or a zombie (state Z in /proc/PID/stat, after the parenthesised command name). */
    private static boolean ended(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    @Test
    void aClosedHookRunsNothing(@TempDir Path dir) {
        Path out = dir.resolve("ran");
        ChangeHook hook = new ChangeHook("touch '" + out + "'", Duration.ofSeconds(30), s -> { });
        hook.close();
        hook.accept(LOST);
        assertFalse(Files.exists(out));
    }
}

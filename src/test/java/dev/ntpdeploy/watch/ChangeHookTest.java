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
            StateChange.Kind.LOST_SYNC, "SYNCED", "NTPD_DOWN", Optional.empty());

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
        assertEquals("NTPD_DOWN", json.get("to").asText());
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
        Optional<ProcessHandle> h = ProcessHandle.of(child);
        if (h.isPresent()) {
            h.get().onExit().get(); // waits on the condition: killed, not merely orphaned
        }
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
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

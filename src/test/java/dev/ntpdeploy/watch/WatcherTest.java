package dev.ntpdeploy.watch;

import dev.ntpdeploy.verify.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.ntpdeploy.watch.Fixtures.client;
import static dev.ntpdeploy.watch.Fixtures.master;
import static dev.ntpdeploy.watch.Fixtures.round;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WatcherTest {

    @Test
    void summaryNamesTheHostsNotInSync() {
        String line = Watcher.summary(round(4, Status.CRITICAL, master("m", "SERVING"),
                client("c1", "UNSYNCED", 0), Fixtures.unreachable("c2", dev.ntpdeploy.inventory.Role.CLIENT, List.of())));
        assertEquals("2026-11-25T20:04:00Z round 4: CRITICAL, 1/3 hosts in sync; not: c1 UNSYNCED, c2 UNREACHABLE (1.5s)",
                line);
        assertEquals("2026-11-25T20:00:00Z round 2: UNKNOWN: boom (2.0s)",
                Watcher.summary(RoundResult.failed(2, Fixtures.T0, Duration.ofSeconds(2), "boom")));
    }
}

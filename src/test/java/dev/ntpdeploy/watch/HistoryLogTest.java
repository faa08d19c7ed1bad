package dev.ntpdeploy.watch;

import dev.ntpdeploy.report.VerifyJson;
import dev.ntpdeploy.verify.VerifyResult;
import dev.ntpdeploy.verify.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.ntpdeploy.watch.Fixtures.client;
import static dev.ntpdeploy.watch.Fixtures.finding;
import static dev.ntpdeploy.watch.Fixtures.master;
import static dev.ntpdeploy.watch.Fixtures.round;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesEachRoundAsOneJsonLineWithNullForWhatIsUnknown(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/history.jsonl");
        HistoryLog log = new HistoryLog(file, HistoryLog.DEFAULT_MAX_BYTES, 3);
        log.onRound(round(1, Status.CRITICAL, master("m", "SERVING"),
                Fixtures.unreachable("c1", dev.ntpdeploy.inventory.Role.CLIENT, List.of(finding("SSH_FAILED")))));
        log.onRound(RoundResult.failed(2, Fixtures.T0, java.time.Duration.ofMillis(20), "inventory vanished"));
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        JsonNode r1 = JSON.readTree(lines.get(0));
        assertEquals(1, r1.get("round").asInt());
        assertEquals("2026-11-25T20:01:00Z", r1.get("time").asText());
        assertEquals(1.5, r1.get("duration_s").asDouble());
        assertEquals("CRITICAL", r1.get("status").asText());
        JsonNode m = r1.get("hosts").get(0);
        assertEquals("master", m.get("role").asText());
        assertTrue(m.get("synced").asBoolean());
        assertEquals("377", m.get("reach").asText());
        JsonNode c1 = r1.get("hosts").get(1);
        assertEquals("UNREACHABLE", c1.get("verdict").asText());
        for (String unknown : new String[]{"synced", "peer", "stratum", "offset_ms", "jitter_ms", "reach", "config_drift"}) {
            assertTrue(c1.get(unknown).isNull(), unknown);
        }
        assertEquals("SSH_FAILED", c1.get("findings").get(0).get("code").asText());
        assertEquals("CRITICAL", c1.get("findings").get(0).get("severity").asText());
        assertEquals("fix for SSH_FAILED", c1.get("findings").get(0).get("fix").asText());
        JsonNode asVerifyWritesIt = JSON.readTree(VerifyJson.render(new VerifyResult(List.of(Fixtures.unreachable("c1",
                dev.ntpdeploy.inventory.Role.CLIENT, List.of(finding("SSH_FAILED")))), Status.CRITICAL)));
        assertEquals(asVerifyWritesIt.get("hosts").get(0).get("findings"), c1.get("findings"),
                "one serializer for findings: verify, apply and the history");
        JsonNode r2 = JSON.readTree(lines.get(1));
        assertEquals("UNKNOWN", r2.get("status").asText());
        assertEquals("inventory vanished", r2.get("error").asText());
        assertEquals(0, r2.get("hosts").size());
    }

    @Test
    void rotatesBeforeALineWouldPassTheCapAndKeepsOnlyTheNewestFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.jsonl");
        HistoryLog log = new HistoryLog(file, 1024, 2);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String line = "{\"round\":" + i + ",\"pad\":\"" + "x".repeat(200) + "\"}\n";
            written.add(line.strip());
            log.append(line);
        }
        assertTrue(Files.exists(file.resolveSibling("history.jsonl.1")));
        assertTrue(Files.exists(file.resolveSibling("history.jsonl.2")));
        assertFalse(Files.exists(file.resolveSibling("history.jsonl.3")));
        List<String> kept = new ArrayList<>();
        for (String name : new String[]{"history.jsonl.2", "history.jsonl.1", "history.jsonl"}) {
            Path p = file.resolveSibling(name);
            assertTrue(Files.size(p) <= 1024, name + " is " + Files.size(p) + " bytes");
            kept.addAll(Files.readAllLines(p));
        }
        // the newest lines survive, in order, none split
        assertEquals(written.subList(written.size() - kept.size(), written.size()), kept);
        assertTrue(kept.size() >= 8, "kept " + kept.size());
        for (String line : kept) {
            JSON.readTree(line);
        }
    }

    @Test
    void rejectsCapsAndKeepsOutOfRange(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> new HistoryLog(dir.resolve("h"), 10, 3));
        assertThrows(IllegalArgumentException.class, () -> new HistoryLog(dir.resolve("h"), 4096, 0));
        assertThrows(IllegalArgumentException.class, () -> new HistoryLog(dir.resolve("h"), 4096, 10));
    }
}

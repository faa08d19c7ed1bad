package dev.ntpdeploy.watch;

import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.VerifyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ntpdeploy.watch.Fixtures.client;
import static dev.ntpdeploy.watch.Fixtures.finding;
import static dev.ntpdeploy.watch.Fixtures.master;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
/**
 * A watch of many rounds in one JVM: its threads and heap stay flat (endpoint, history rotation and hook in use).
 * An integration test (failsafe, no lab needed): it runs 110 rounds with garbage collections between them, which
 * is seconds, not the milliseconds a unit test may take.
 */
class WatcherSoakIT {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @Test
    void threadsAndHeapStayFlatOverManyRoundsWithEndpointHistoryAndHook(@TempDir Path dir) throws Exception {
        int warmup = 10;
        int measured = 100;
        Path history = dir.resolve("history.jsonl");
        Watcher.Settings settings = new Watcher.Settings(Duration.ofMillis(1),
                Optional.of(new MetricsListen("127.0.0.1", 0)), Optional.of(history), 64 * 1024, 2,
                Optional.of("cat > /dev/null"), Duration.ofSeconds(30));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        HttpClient http = HttpClient.newHttpClient();
        AtomicReference<Watcher.Running> running = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        long[] threads = new long[2];
        long[] heap = new long[2];
        VerificationRound fake = () -> {
            int n = calls.incrementAndGet();
            if (n % 5 == 0) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + running.get().port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
            }
            if (n == warmup + 1 || n == warmup + measured + 1) {
                int i = n == warmup + 1 ? 0 : 1;
                heap[i] = heapAfterGc();
                threads[i] = THREADS.getThreadCount();
                if (i == 1) {
                    running.get().loop().stop();
                }
            }
            // every 20 rounds c2 flips between synced and unsynced: change lines, hook processes
            boolean c2Synced = (n / 20) % 2 == 0;
            return new VerifyResult(List.of(master("m", "SERVING"), client("c1", "SYNCED", n * 0.01),
                    c2Synced ? client("c2", "SYNCED", 0.2) : client("c2", "UNSYNCED", 0, finding("NO_REPLIES"))),
                    c2Synced ? Status.OK : Status.CRITICAL);
        };
        Watcher watcher = new Watcher(settings, new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        running.set(watcher.start(fake));
        long completed = running.get().loopUntilStopped();

        assertTrue(completed >= warmup + measured, "completed " + completed);
        assertTrue(threads[1] <= threads[0] + 1, "threads grew from " + threads[0] + " to " + threads[1]);
        long grown = heap[1] - heap[0];
        assertTrue(grown < 8L * 1024 * 1024, "heap after GC grew by " + grown + " bytes over " + measured + " rounds");
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("watch: c2 (client) lost sync: SYNCED -> UNSYNCED"), log);
        assertTrue(log.contains("watch: c2 (client) in sync: UNSYNCED -> SYNCED"), log);
        assertTrue(log.strip().endsWith("watch: stopped"), log);
        assertTrue(Files.exists(history.resolveSibling("history.jsonl.1")), "history was never rotated");
        // after stop, none of watch's own threads is left (JDK pools the test used, HttpClient and process
        // reaper, idle out on their own schedule and are not counted)
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!watchThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50); // waits for executor threads to finish exiting
        }
        assertEquals(List.of(), watchThreads());
    }

    private static List<String> watchThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("ntpdeploy-") || n.equals("HTTP-Dispatcher")).toList();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}

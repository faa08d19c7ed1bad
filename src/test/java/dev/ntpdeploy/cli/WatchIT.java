package dev.ntpdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import dev.ntpdeploy.watch.MetricsScrape;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntpdeploy watch} as operators run it (the shaded jar as a child process, so SIGTERM is real) against
 * the applied lab: metrics over HTTP, a client whose ntpd is stopped flips to unsynced within two rounds with
 * its history line, stderr line and hook, recovers when restarted, and SIGTERM ends the process with 0.
 */
@ExtendWith(LabExtension.class)
class WatchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PORT = Pattern.compile("watch: metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

    @TempDir
    Path tmp;

    @Test
    void exportsTheFleetAndFollowsAClientLosingAndRegainingSyncThenStopsOnSigterm(Lab lab) throws Exception {
        ApplyIT.Run applied = ApplyIT.apply(lab);
        assertTrue(applied.exit() == 0 || applied.exit() == 5, applied.out() + applied.err());
        String victim = lab.clients().get(1);
        Path history = tmp.resolve("history.jsonl");
        Path hookOut = tmp.resolve("hook.jsonl");
        Path out = tmp.resolve("watch.out");
        Path err = tmp.resolve("watch.err");
        List<String> argv = new ArrayList<>(List.of("java", "-jar", System.getProperty("ntpdeploy.jar",
                        lab.projectDir().resolve("target/ntpdeploy.jar").toString()),
                "watch", lab.inventory().toString(), "--known-hosts", lab.knownHosts().toString(),
                "--every", "3s", "--metrics-listen", "127.0.0.1:0", "--history", history.toString(),
                "--on-change", "cat >> '" + hookOut + "'; echo >> '" + hookOut + "'"));
        Process watch = new ProcessBuilder(argv).directory(lab.projectDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            int port = Integer.parseInt(await("the metrics endpoint", Duration.ofMinutes(1), () -> {
                Matcher m = PORT.matcher(read(err));
                return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            }, watch, err));

            // 1. the applied lab, over real HTTP: every host in sync, values that make sense
            Map<String, Double> s = await("every host synced in the metrics", Duration.ofMinutes(4), () -> {
                Map<String, Double> m = scrape(http, port);
                boolean all = lab.hosts().stream().allMatch(h -> Double.valueOf(1.0).equals(m.get(synced(lab, h))));
                return all && Double.valueOf(0.0).equals(m.get("ntpdeploy_fleet_status")) ? Optional.of(m) : Optional.empty();
            }, watch, err);
            String master = lab.master();
            assertEquals(1.0, s.get("ntpdeploy_host_verdict{host=\"" + master + "\",role=\"master\",verdict=\"SERVING\"}"));
            double masterStratum = s.get("ntpdeploy_host_stratum{host=\"" + master + "\",role=\"master\"}");
            for (String c : lab.clients()) {
                String l = "{host=\"" + c + "\",role=\"client\"}";
                assertEquals(1.0, s.get("ntpdeploy_host_verdict{host=\"" + c + "\",role=\"client\",verdict=\"SYNCED\"}"));
                assertEquals(masterStratum + 1, s.get("ntpdeploy_host_stratum" + l), c);
                assertTrue(s.get("ntpdeploy_host_reach" + l) > 0, c);
                assertTrue(Math.abs(s.get("ntpdeploy_host_offset_seconds" + l)) < 0.128, c);
                assertTrue(s.containsKey("ntpdeploy_host_jitter_seconds" + l), c);
                assertEquals(0.0, s.get("ntpdeploy_config_drift" + l), c);
                assertEquals(0.0, s.get("ntpdeploy_ssh_errors_total{host=\"" + c + "\"}"), c);
                assertTrue(s.get("ntpdeploy_host_last_success_timestamp_seconds" + l) > 1.7e9, c);
            }
            assertEquals(3.0, s.get("ntpdeploy_watch_interval_seconds"));
            assertTrue(s.get("ntpdeploy_round_duration_seconds") > 0);

            // 2. stop ntpd on one client: unsynced within two rounds, with history line, stderr line and hook
            long before = rounds(history).size();
            assertTrue(lab.exec(victim, "systemctl", "stop", "ntpsec").ok());
            JsonNode lost = await(victim + " unsynced in the history", Duration.ofMinutes(2),
                    () -> hostInLatest(history, victim).filter(h -> !h.get("synced").asBoolean(true)), watch, err);
            long flippedIn = rounds(history).size();
            assertTrue(flippedIn <= before + 2, "flipped in round " + flippedIn + ", stop was after round " + before);
            assertEquals("NTPD_DOWN", lost.get("verdict").asText());
            await("the lost_sync hook", Duration.ofMinutes(1), () -> hook(hookOut, victim, "lost_sync"), watch, err);
            String stderr = read(err);
            assertTrue(stderr.contains("watch: " + victim + " (client) lost sync: SYNCED -> NTPD_DOWN"), stderr);
            assertTrue(stderr.contains("watch: " + victim + " (client) finding appeared: NTPD_NOT_RUNNING"), stderr);
            Map<String, Double> down = scrape(http, port);
            assertEquals(0.0, down.get(synced(lab, victim)));
            assertEquals(1.0, down.get("ntpdeploy_host_verdict{host=\"" + victim + "\",role=\"client\",verdict=\"NTPD_DOWN\"}"));
            assertEquals(2.0, down.get("ntpdeploy_fleet_status"));
            assertTrue(!down.containsKey("ntpdeploy_host_offset_seconds{host=\"" + victim + "\",role=\"client\"}"),
                    "offset exported for a host without ntpd");

            // 3. restart it: back in sync, history, stderr and hook say so
            assertTrue(lab.exec(victim, "systemctl", "start", "ntpsec").ok());
            await(victim + " synced again in the history", Duration.ofMinutes(3),
                    () -> hostInLatest(history, victim).filter(h -> h.get("synced").asBoolean(false)), watch, err);
            JsonNode back = await("the regained_sync hook", Duration.ofMinutes(1),
                    () -> hook(hookOut, victim, "regained_sync"), watch, err);
            assertEquals("SYNCED", back.get("to").asText());
            assertTrue(read(err).contains("watch: " + victim + " (client) in sync: "), read(err));
            assertEquals(1.0, scrape(http, port).get(synced(lab, victim)));

            // 4. SIGTERM: exits 0, promptly, having said so
            watch.destroy();
            assertTrue(watch.waitFor(20, TimeUnit.SECONDS), "watch still running 20 s after SIGTERM");
            assertEquals(0, watch.exitValue(), read(err));
            assertTrue(read(err).strip().endsWith("watch: stopped"), read(err));
            for (String line : Files.readAllLines(history)) {
                JSON.readTree(line); // every history line is whole JSON
            }
        } finally {
            if (watch.isAlive()) {
                watch.destroyForcibly();
            }
            lab.exec(victim, "systemctl", "start", "ntpsec"); // leave the lab usable for the next IT
        }
    }

    private static String synced(Lab lab, String host) {
        String role = host.equals(lab.master()) ? "master" : "client";
        return "ntpdeploy_host_synced{host=\"" + host + "\",role=\"" + role + "\"}";
    }

    private static Map<String, Double> scrape(HttpClient http, int port) throws IOException, InterruptedException {
        return MetricsScrape.scrape(http, port);
    }

    private static List<JsonNode> rounds(Path history) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(history)) {
            for (String line : Files.readAllLines(history)) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static Optional<JsonNode> hostInLatest(Path history, String host) throws IOException {
        List<JsonNode> all = rounds(history);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode h : all.get(all.size() - 1).get("hosts")) {
            if (h.get("host").asText().equals(host)) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> hook(Path file, String host, String change) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                JsonNode n = JSON.readTree(line);
                if (n.get("host").asText().equals(host) && n.get("change").asText().equals(change)) {
                    return Optional.of(n);
                }
            }
        }
        return Optional.empty();
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls until the condition yields a value; fails with watch's stderr if the deadline or watch's exit comes first. */
    private static <T> T await(String what, Duration limit, Check<T> check, Process watch, Path err) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<T> v = check.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (!watch.isAlive()) {
                throw new AssertionError("watch exited " + watch.exitValue() + " while waiting for " + what + ":\n" + read(err));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + limit.toSeconds() + " s:\n" + read(err));
            }
            Thread.sleep(500); // polls the condition; rounds run every 3 s
        }
    }

    @FunctionalInterface
    interface Check<T> {
        Optional<T> get() throws Exception;
    }
}

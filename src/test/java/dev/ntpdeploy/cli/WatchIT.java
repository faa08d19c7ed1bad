package dev.ntpdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ntpdeploy.lab.Eventually;
import dev.ntpdeploy.lab.Lab;
import dev.ntpdeploy.lab.LabExtension;
import dev.ntpdeploy.transport.ExecResult;
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
        Watching w = new Watching(watch, err, history, hookOut);
        HttpClient http = HttpClient.newHttpClient();
        try {
            int port = Integer.parseInt(w.await("the metrics endpoint", Duration.ofMinutes(1)).value(() -> {
                Matcher m = PORT.matcher(read(err));
                return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            }));

            // 1. the applied lab, over real HTTP: every host in sync, values that make sense (one scrape, one round)
            Map<String, Double> s = w.await("every host synced in the metrics", Duration.ofMinutes(4)).value(() -> {
                Map<String, Double> m = scrape(http, port);
                boolean all = lab.hosts().stream().allMatch(h -> Double.valueOf(1.0).equals(m.get(synced(lab, h))));
                return all && Double.valueOf(0.0).equals(m.get("ntpdeploy_fleet_status")) ? Optional.of(m) : Optional.empty();
            });
            String master = lab.master();
            assertEquals(1.0, s.get("ntpdeploy_host_verdict{daemon=\"ntpsec\",host=\"" + master + "\",role=\"master\",verdict=\"SERVING\"}"), s::toString);
            double masterStratum = s.get("ntpdeploy_host_stratum{daemon=\"ntpsec\",host=\"" + master + "\",role=\"master\"}");
            for (String c : lab.clients()) {
                String l = "{daemon=\"ntpsec\",host=\"" + c + "\",role=\"client\"}";
                String all = c + " in " + s;
                assertEquals(1.0, s.get("ntpdeploy_host_verdict{daemon=\"ntpsec\",host=\"" + c + "\",role=\"client\",verdict=\"SYNCED\"}"), all);
                assertEquals(masterStratum + 1, s.get("ntpdeploy_host_stratum" + l), all);
                assertTrue(s.get("ntpdeploy_host_reach" + l) > 0, all);
                assertTrue(Math.abs(s.get("ntpdeploy_host_offset_seconds" + l)) < 0.128, all);
                assertTrue(s.containsKey("ntpdeploy_host_jitter_seconds" + l), all);
                assertEquals(0.0, s.get("ntpdeploy_config_drift" + l), all);
                assertEquals(0.0, s.get("ntpdeploy_ssh_errors_total{host=\"" + c + "\"}"), all);
                assertTrue(s.get("ntpdeploy_host_last_success_timestamp_seconds" + l) > 1.7e9, all);
            }
            assertEquals(3.0, s.get("ntpdeploy_watch_interval_seconds"), s::toString);
            assertTrue(s.get("ntpdeploy_round_duration_seconds") > 0, s::toString);

            // 2. stop ntpd on one client: DAEMON_DOWN within two rounds, with history line, stderr lines and hook.
            // Rounds up to `stopped` were written before the stop returned; round stopped+1 may have probed the
            // host before, during or after the stop; round stopped+2 started after it, so it must see the daemon down.
            int errMark = read(err).length();
            int beforeStop = lastRound(history);
            assertTrue(lab.exec(victim, "systemctl", "stop", "ntpsec").ok());
            int stopped = lastRound(history);
            JsonNode seen = w.await("round " + (stopped + 2) + " in the history", Duration.ofMinutes(2))
                    .value(() -> hostInRound(history, stopped + 2, victim));
            assertEquals("DAEMON_DOWN", seen.get("verdict").asText(), () -> "round " + (stopped + 2) + ", begun after the stop: "
                    + seen + "\n" + w.evidence());
            JsonNode lost = w.await("the first round since the stop with " + victim + " unsynced", Duration.ofMinutes(1))
                    .value(() -> firstRoundAfter(history, beforeStop, victim, false));
            int lostIn = lost.get("round").asInt();
            String lostLine = "watch: " + victim + " (client) lost sync: SYNCED -> " + lost.get("verdict").asText();
            w.await("'" + lostLine + "' on stderr", Duration.ofMinutes(1)).until(() -> read(err).substring(errMark).contains(lostLine));
            String finding = "watch: " + victim + " (client) finding appeared: NTPD_NOT_RUNNING";
            w.await("'" + finding + "' on stderr", Duration.ofMinutes(1)).until(() -> read(err).substring(errMark).contains(finding));
            w.await("the lost_sync hook", Duration.ofMinutes(1)).value(() -> hook(hookOut, victim, "lost_sync", lostIn));
            Map<String, Double> down = w.await("DAEMON_DOWN for " + victim + " in the metrics", Duration.ofMinutes(1)).value(() -> {
                Map<String, Double> m = scrape(http, port);
                return Double.valueOf(1.0).equals(m.get("ntpdeploy_host_verdict{daemon=\"ntpsec\",host=\"" + victim + "\",role=\"client\",verdict=\"DAEMON_DOWN\"}"))
                        ? Optional.of(m) : Optional.empty();
            });
            assertEquals(0.0, down.get(synced(lab, victim)), down::toString);
            assertEquals(2.0, down.get("ntpdeploy_fleet_status"), down::toString);
            assertTrue(!down.containsKey("ntpdeploy_host_offset_seconds{daemon=\"ntpsec\",host=\"" + victim + "\",role=\"client\"}"),
                    () -> "offset exported for a host without ntpd: " + down);

            // 3. restart it: back in sync, history, stderr, hook and metrics say so
            int errMark2 = read(err).length();
            int beforeStart = lastRound(history);
            assertTrue(lab.exec(victim, "systemctl", "start", "ntpsec").ok());
            int backIn = w.await(victim + " synced again in the history", Duration.ofMinutes(3))
                    .value(() -> firstRoundAfter(history, beforeStart, victim, true)).get("round").asInt();
            JsonNode back = w.await("the regained_sync hook", Duration.ofMinutes(1))
                    .value(() -> hook(hookOut, victim, "regained_sync", backIn));
            assertEquals("SYNCED", back.get("to").asText(), back::toString);
            String inSync = "watch: " + victim + " (client) in sync: ";
            w.await("'" + inSync + "' on stderr", Duration.ofMinutes(1)).until(() -> read(err).substring(errMark2).contains(inSync));
            w.await(victim + " synced in the metrics", Duration.ofMinutes(1))
                    .until(() -> Double.valueOf(1.0).equals(scrape(http, port).get(synced(lab, victim))));

            // 4. SIGTERM: exits 0, promptly, having said so (its output is complete once it has exited)
            watch.destroy();
            assertTrue(watch.waitFor(60, TimeUnit.SECONDS), () -> "watch still running 60 s after SIGTERM\n" + w.evidence());
            assertEquals(0, watch.exitValue(), w::evidence);
            assertTrue(read(err).strip().endsWith("watch: stopped"), w::evidence);
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

    /**
     * watch keeps one SSH connection per host across rounds (#17), counted on the hosts themselves: sshd's own log
     * ("Accepted publickey", one line per connection it authenticated) and the established sockets on port 22
     * ({@code ss}). When the sshd process serving the watch's connection to one host is killed (by its pid, from
     * {@code ss -p}), a later round connects that host again (its host key checked as ever) and judges it SYNCED; the
     * other hosts keep their one connection.
     */
    @Test
    void keepsOneConnectionPerHostAcrossRoundsAndReconnectsOneWhoseSshdWasKilled(Lab lab) throws Exception {
        ApplyIT.Run applied = ApplyIT.apply(lab);
        assertTrue(applied.exit() == 0 || applied.exit() == 5, applied.out() + applied.err());
        Map<String, Integer> logMark = new java.util.HashMap<>();
        for (String h : lab.hosts()) {
            logMark.put(h, read(sshdLog(lab, h)).length());
        }
        Path history = tmp.resolve("keep-history.jsonl");
        Path err = tmp.resolve("keep-watch.err");
        Process watch = startWatch(lab, history, err);
        Watching w = new Watching(watch, err, history, tmp.resolve("no-hook"));
        String victim = lab.clients().get(0);
        try {
            // 1. every host synced, then three more rounds: still one connection per host, made in round 1
            int allSynced = w.await("a round with every host synced", Duration.ofMinutes(4)).value(() -> {
                List<JsonNode> rs = rounds(history);
                return rs.stream().filter(r -> lab.hosts().stream().allMatch(h -> host(r, h).filter(WatchIT::isSynced).isPresent()))
                        .map(r -> r.get("round").asInt()).findFirst();
            });
            w.await("round " + (allSynced + 3), Duration.ofMinutes(2)).until(() -> lastRound(history) >= allSynced + 3);
            for (String h : lab.hosts()) {
                assertEquals(1, accepted(lab, h, logMark), () -> h + ": SSH logins since watch started, in sshd's log:\n"
                        + read(sshdLog(lab, h)).substring(logMark.get(h)) + w.evidence());
                assertEquals(1, sshSessions(lab, h).size(), () -> h + ": established SSH connections " + sshSessions(lab, h));
            }

            // 2. kill the sshd process serving the watch's connection to one client: reconnected, SYNCED again
            List<Long> serving = sshSessions(lab, victim);
            long listener = Long.parseLong(read(lab.hostPath(victim, "/run/sshd.pid")).strip());
            assertEquals(1, serving.size(), serving::toString);
            long pid = serving.get(0);
            assertTrue(pid != listener, "ss named the listening sshd, not a session's: " + pid);
            ProcessHandle session = ProcessHandle.of(pid).orElseThrow();
            assertEquals(Optional.of("/usr/sbin/sshd"), session.info().command(), () -> pid + " is not an sshd");
            assertTrue(session.destroy(), "SIGTERM to " + pid);
            session.onExit().get(30, TimeUnit.SECONDS);
            int killedAfter = lastRound(history);
            // a round begun after the kill is killedAfter + 2 (killedAfter + 1 may have run during it); its
            // connection is known dead before it starts, or fails in it (UNREACHABLE) and is opened before the next
            JsonNode next = w.await("round " + (killedAfter + 2), Duration.ofMinutes(1))
                    .value(() -> hostInRound(history, killedAfter + 2, victim));
            int back = isSynced(next) ? killedAfter + 2 : killedAfter + 3;
            JsonNode again = w.await(victim + " in round " + back, Duration.ofMinutes(1))
                    .value(() -> hostInRound(history, back, victim));
            assertTrue(isSynced(again), () -> victim + " not SYNCED again in the first round that could reconnect it: "
                    + next + " then " + again + "\n" + w.evidence());
            assertEquals(2, accepted(lab, victim, logMark), () -> victim + ": reconnected once\n"
                    + read(sshdLog(lab, victim)).substring(logMark.get(victim)));
            assertEquals(1, sshSessions(lab, victim).size(), () -> victim + ": " + sshSessions(lab, victim));
            assertTrue(!sshSessions(lab, victim).contains(pid), "the killed sshd still serves");
            for (String h : lab.hosts()) {
                if (!h.equals(victim)) {
                    assertEquals(1, accepted(lab, h, logMark), () -> h + " was connected again, although its connection lived");
                }
            }

            watch.destroy();
            assertTrue(watch.waitFor(60, TimeUnit.SECONDS), () -> "watch still running 60 s after SIGTERM\n" + w.evidence());
            assertEquals(0, watch.exitValue(), w::evidence);
        } finally {
            if (watch.isAlive()) {
                watch.destroyForcibly();
            }
        }
    }

    /**
     * A host re-keyed while watched (its sshd given a new host key, then the connection dropped as a reboot would)
     * is connected again through the normal dialer, whose strict host-key check refuses it: UNREACHABLE with the
     * host-key message, exactly as a cold verify reports it, and nothing is probed on it. With its own key back, it
     * is SYNCED again.
     */
    @Test
    void aHostReKeyedWhileWatchedIsUnreachableWithTheHostKeyMessageUntilItsKeyIsBack(Lab lab) throws Exception {
        ApplyIT.Run applied = ApplyIT.apply(lab);
        assertTrue(applied.exit() == 0 || applied.exit() == 5, applied.out() + applied.err());
        String victim = lab.clients().get(1);
        Path key = lab.hostPath(victim, "/etc/ssh/ssh_host_ed25519_key");
        Path pub = lab.hostPath(victim, "/etc/ssh/ssh_host_ed25519_key.pub");
        byte[] ownKey = Files.readAllBytes(key);
        byte[] ownPub = Files.readAllBytes(pub);
        Path history = tmp.resolve("rekey-history.jsonl");
        Path err = tmp.resolve("rekey-watch.err");
        Process watch = startWatch(lab, history, err);
        Watching w = new Watching(watch, err, history, tmp.resolve("no-hook"));
        boolean rekeyed = false;
        try {
            w.await(victim + " synced", Duration.ofMinutes(4)).until(() -> rounds(history).stream()
                    .anyMatch(r -> host(r, victim).filter(WatchIT::isSynced).isPresent()));
            List<Long> serving = sshSessions(lab, victim);
            assertEquals(1, serving.size(), serving::toString);

            // re-key: a new host key for the sshd that will answer next, then the kept connection dropped
            lab.stopSshd(victim); // the listener only: the watch's session goes on
            rekeyed = true;
            assertEquals(0, lab.exec(victim, "rm", "-f", "/etc/ssh/ssh_host_ed25519_key",
                    "/etc/ssh/ssh_host_ed25519_key.pub").exitCode());
            ExecResult keygen = lab.exec(victim, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                    "/etc/ssh/ssh_host_ed25519_key");
            assertEquals(0, keygen.exitCode(), keygen::toString);
            lab.startSshd(victim);
            ProcessHandle session = ProcessHandle.of(serving.get(0)).orElseThrow();
            assertTrue(session.destroy());
            session.onExit().get(30, TimeUnit.SECONDS);
            int killedAfter = lastRound(history);
            JsonNode refused = w.await(victim + " refused for its host key after round " + killedAfter, Duration.ofMinutes(1))
                    .value(() -> rounds(history).stream().filter(r -> r.get("round").asInt() > killedAfter + 1)
                            .map(r -> host(r, victim).orElseThrow())
                            .filter(h -> "UNREACHABLE".equals(h.get("verdict").asText())).findFirst());
            assertTrue(refused.toString().contains("REMOTE HOST KEY CHANGED"), () -> refused + "\n" + w.evidence());
            assertTrue(sshSessions(lab, victim).isEmpty(), () -> "logged in to the re-keyed host: " + sshSessions(lab, victim));

            // its own key back: connected again, SYNCED
            lab.stopSshd(victim);
            Files.write(key, ownKey);
            Files.write(pub, ownPub);
            lab.startSshd(victim);
            rekeyed = false;
            int restoredAfter = lastRound(history);
            w.await(victim + " synced again", Duration.ofMinutes(1)).until(() -> rounds(history).stream()
                    .anyMatch(r -> r.get("round").asInt() > restoredAfter + 1
                            && host(r, victim).filter(WatchIT::isSynced).isPresent()));
            watch.destroy();
            assertTrue(watch.waitFor(60, TimeUnit.SECONDS), w::evidence);
        } finally {
            if (watch.isAlive()) {
                watch.destroyForcibly();
            }
            if (rekeyed) { // leave the lab as found: the host's own key, its sshd answering
                lab.stopSshd(victim);
                Files.write(key, ownKey);
                Files.write(pub, ownPub);
                lab.startSshd(victim);
            }
        }
    }

    private Process startWatch(Lab lab, Path history, Path err) throws IOException {
        List<String> argv = List.of("java", "-jar", System.getProperty("ntpdeploy.jar",
                        lab.projectDir().resolve("target/ntpdeploy.jar").toString()),
                "watch", lab.inventory().toString(), "--known-hosts", lab.knownHosts().toString(),
                "--every", "2s", "--metrics-listen", "none", "--history", history.toString());
        return new ProcessBuilder(argv).directory(lab.projectDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    }

    private static Path sshdLog(Lab lab, String host) {
        return lab.hostPath(host, "/run/sshd.log");
    }

    /** Connections the host's sshd authenticated since {@code mark} (its log's length then). */
    private static long accepted(Lab lab, String host, Map<String, Integer> mark) {
        return read(sshdLog(lab, host)).substring(mark.get(host)).lines().filter(l -> l.startsWith("Accepted publickey")).count();
    }

    /** The pids of the processes holding the host's established SSH connections ({@code ss -tnpH}, in its namespace). */
    private static List<Long> sshSessions(Lab lab, String host) {
        ExecResult ss = lab.exec(host, "ss", "-tnpH", "state", "established", "( sport = :22 )");
        assertEquals(0, ss.exitCode(), ss::toString);
        List<Long> out = new ArrayList<>();
        Matcher m = Pattern.compile("pid=(\\d+)").matcher("");
        for (String line : ss.stdout().lines().toList()) {
            m.reset(line);
            assertTrue(m.find(), () -> "no process for " + line);
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    /** The running watch and what it writes: every wait fails at once if it dies, and shows all of it. */
    private record Watching(Process watch, Path err, Path history, Path hookOut) {

        Eventually await(String what, Duration limit) {
            return Eventually.await(what, limit)
                    .unless(() -> watch.isAlive() ? null : "watch exited with " + watch.exitValue())
                    .evidence(this::evidence);
        }

        String evidence() {
            List<String> h = read(history).lines().toList();
            return "--- watch stderr:\n" + read(err) + "--- hook output:\n" + read(hookOut)
                    + "--- history, last 3 of " + h.size() + " rounds:\n"
                    + String.join("\n", h.subList(Math.max(0, h.size() - 3), h.size()));
        }
    }

    private static String synced(Lab lab, String host) {
        String role = host.equals(lab.master()) ? "master" : "client";
        return "ntpdeploy_host_synced{daemon=\"ntpsec\",host=\"" + host + "\",role=\"" + role + "\"}";
    }

    private static Map<String, Double> scrape(HttpClient http, int port) throws IOException, InterruptedException {
        return MetricsScrape.scrape(http, port);
    }

    /** The rounds written so far (a line still being appended, without its newline yet, is not one). */
    private static List<JsonNode> rounds(Path history) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        String text = read(history);
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList()) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    /** The number of the last round written, 0 before the first. */
    private static int lastRound(Path history) throws IOException {
        List<JsonNode> all = rounds(history);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).get("round").asInt();
    }

    private static Optional<JsonNode> host(JsonNode round, String host) {
        for (JsonNode h : round.get("hosts")) {
            if (h.get("host").asText().equals(host)) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    /** The host in round {@code number} (which carries its round number), once that round is written. */
    private static Optional<JsonNode> hostInRound(Path history, int number, String host) throws IOException {
        for (JsonNode r : rounds(history)) {
            if (r.get("round").asInt() == number) {
                return host(r, host).map(h -> ((ObjectNode) h.deepCopy()).put("round", number));
            }
        }
        return Optional.empty();
    }

    /** The host in the first round after round {@code after} in which its {@code synced} is as asked, with that round's number. */
    private static Optional<JsonNode> firstRoundAfter(Path history, int after, String host, boolean synced) throws IOException {
        for (JsonNode r : rounds(history)) {
            int n = r.get("round").asInt();
            Optional<JsonNode> h = host(r, host);
            if (n > after && h.isPresent() && isSynced(h.get()) == synced) {
                return Optional.of(((ObjectNode) h.get().deepCopy()).put("round", n));
            }
        }
        return Optional.empty();
    }

    /** As watch judges it: synced only when it says true (unknown is not synced). */
    private static boolean isSynced(JsonNode host) {
        JsonNode s = host.get("synced");
        return s != null && s.isBoolean() && s.booleanValue();
    }

    /** The hook's record of this change of this host, from round {@code fromRound} on (earlier ones are other events). */
    private static Optional<JsonNode> hook(Path file, String host, String change, int fromRound) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                JsonNode n = JSON.readTree(line);
                if (n.get("host").asText().equals(host) && n.get("change").asText().equals(change)
                        && n.get("round").asInt() >= fromRound) {
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
}

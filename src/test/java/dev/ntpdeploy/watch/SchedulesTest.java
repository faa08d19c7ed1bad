package dev.ntpdeploy.watch;

import dev.ntpdeploy.Durations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SchedulesTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Path INVENTORY = Path.of("/srv/ntp/inventories/prod.yml");

    private static List<String> argv() {
        return Schedules.verifyCommand(List.of(JAVA, "-jar", "/opt/ntpdeploy/ntpdeploy.jar"), INVENTORY);
    }

    /** file name -> section -> key -> values, from the printed pair. */
    private static Map<String, Map<String, Map<String, List<String>>>> units(String text) {
        Map<String, Map<String, Map<String, List<String>>>> files = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> file = null;
        Map<String, List<String>> section = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# --- ")) {
                file = new LinkedHashMap<>();
                files.put(line.substring(6, line.length() - 4), file);
            } else if (line.startsWith("[")) {
                section = new LinkedHashMap<>();
                file.put(line, section);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                section.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return files;
    }

    @Test
    void systemdPairRunsVerifyOneShotWithAbsolutePathsOnTheInterval() {
        var files = units(Schedules.systemd("ntpdeploy-verify", argv(), INVENTORY, Duration.ofMinutes(5)));
        assertEquals(List.of("/etc/systemd/system/ntpdeploy-verify.service", "/etc/systemd/system/ntpdeploy-verify.timer"),
                List.copyOf(files.keySet()));
        var service = files.get("/etc/systemd/system/ntpdeploy-verify.service").get("[Service]");
        assertEquals(List.of("oneshot"), service.get("Type"));
        assertEquals(List.of(JAVA + " -jar /opt/ntpdeploy/ntpdeploy.jar verify /srv/ntp/inventories/prod.yml"),
                service.get("ExecStart"));
        assertEquals(List.of("yes"), service.get("NoNewPrivileges"));
        assertEquals(List.of("yes"), service.get("PrivateTmp"));
        assertEquals(List.of("5min"), service.get("TimeoutStartSec"));
        assertTrue(!service.containsKey("ProtectHome"), "ProtectHome would hide ~/.ssh");
        var timer = files.get("/etc/systemd/system/ntpdeploy-verify.timer");
        assertEquals(List.of("5min"), timer.get("[Timer]").get("OnBootSec"));
        assertEquals(List.of("5min"), timer.get("[Timer]").get("OnUnitActiveSec"));
        assertEquals(List.of("ntpdeploy-verify.service"), timer.get("[Timer]").get("Unit"));
        assertEquals(List.of("timers.target"), timer.get("[Install]").get("WantedBy"));
    }

    @Test
    void systemdQuotesPathsWithSpacesAndEscapesSpecifiers() {
        String text = Schedules.systemd("nv", Schedules.verifyCommand(List.of("/opt/nd/bin/ntpdeploy"),
                Path.of("/srv/my inventories/100%$HOME.yml")), INVENTORY, Duration.ofSeconds(90));
        var service = units(text).get("/etc/systemd/system/nv.service").get("[Service]");
        assertEquals(List.of("/opt/nd/bin/ntpdeploy verify \"/srv/my inventories/100%%$$HOME.yml\""),
                service.get("ExecStart"));
        assertEquals(List.of("1min 30s"), units(text).get("/etc/systemd/system/nv.timer").get("[Timer]")
                .get("OnUnitActiveSec"));
        assertThrows(IllegalArgumentException.class, () -> Schedules.systemd("bad name", argv(), INVENTORY,
                Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> Schedules.systemd("nv",
                Schedules.verifyCommand(List.of("/x"), Path.of("/a\nExecStartPre=/bin/evil")), INVENTORY,
                Duration.ofMinutes(5)));
    }

    @Test
    void systemdAnalyzeAcceptsTheUnitsWhereItIsInstalled(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze not installed: units checked field by field only");
        String text = Schedules.systemd("ntpdeploy-verify", argv(), INVENTORY, Duration.ofSeconds(30));
        String[] parts = text.split("# --- /etc/systemd/system/ntpdeploy-verify.timer ---\n");
        Files.writeString(dir.resolve("ntpdeploy-verify.service"), parts[0]);
        Files.writeString(dir.resolve("ntpdeploy-verify.timer"), parts[1]);
        Process p = new ProcessBuilder(analyze.toString(), "verify", dir.resolve("ntpdeploy-verify.service").toString(),
                dir.resolve("ntpdeploy-verify.timer").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // it warns (exit 0) about unknown keys and bad values: there must be none about our files
        assertTrue(!out.contains("ntpdeploy-verify"), out);
    }

    @Test
    void cronRunsVerifyOnEveryIntervalItCanExpress() {
        assertEquals("*/5 * * * *", Schedules.cronSchedule(Duration.ofMinutes(5)));
        assertEquals("* * * * *", Schedules.cronSchedule(Duration.ofMinutes(1)));
        assertEquals("*/30 * * * *", Schedules.cronSchedule(Duration.ofMinutes(30)));
        assertEquals("0 * * * *", Schedules.cronSchedule(Duration.ofHours(1)));
        assertEquals("0 */6 * * *", Schedules.cronSchedule(Duration.ofHours(6)));
        assertEquals("0 0 * * *", Schedules.cronSchedule(Duration.ofDays(1)));
        String line = Schedules.cron(argv(), Duration.ofMinutes(5)).lines().filter(l -> !l.startsWith("#"))
                .findFirst().orElseThrow();
        assertEquals("*/5 * * * * " + JAVA + " -jar /opt/ntpdeploy/ntpdeploy.jar verify /srv/ntp/inventories/prod.yml"
                + " >/dev/null", line);
    }

    @Test
    void cronRejectsIntervalsItCannotRunWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedules.cronSchedule(Duration.ofSeconds(30)))
                .getMessage().contains("cron cannot run every 30s: it counts whole minutes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedules.cronSchedule(Duration.ofSeconds(90)))
                .getMessage().contains("whole minutes"));
        for (Duration d : List.of(Duration.ofMinutes(7), Duration.ofMinutes(90), Duration.ofHours(5),
                Duration.ofDays(2))) {
            String m = assertThrows(IllegalArgumentException.class, () -> Schedules.cronSchedule(d)).getMessage();
            assertTrue(m.startsWith("cron cannot run every " + Durations.format(d) + " evenly"), m);
        }
    }

    @Test
    void cronQuotesForShAndEscapesPercent() {
        assertEquals("'/srv/my inv/50%'\\''s.yml'".replace("%", "\\%"), Schedules.cronQuote("/srv/my inv/50%'s.yml"));
        assertEquals("/srv/ntp/prod.yml", Schedules.cronQuote("/srv/ntp/prod.yml"));
    }
}

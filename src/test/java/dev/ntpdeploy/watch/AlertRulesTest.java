package dev.ntpdeploy.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * contrib/prometheus/ntpdeploy-alerts.yml only uses metrics watch exports, and alerts on what an operator pages for:
 * a client unsynced, a master not serving, config drift, a large offset, SSH errors, no recent success, a critical fleet.
 */
class AlertRulesTest {

    private static final Path RULES = Path.of("contrib/prometheus/ntpdeploy-alerts.yml");
    private static final Pattern METRIC = Pattern.compile("\\bntpdeploy_[a-z_]+");

    @Test
    void everyRuleIsCompleteAndReferencesOnlyExportedMetrics() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        Set<String> exported = new HashSet<>();
        for (String name : FleetMetrics.NAMES) {
            exported.add(name.equals("ntpdeploy_ssh_errors") ? name + "_total" : name);
        }
        Set<String> alerts = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (JsonNode rule : doc.get("groups").get(0).get("rules")) {
            String alert = rule.get("alert").asText();
            alerts.add(alert);
            String expr = rule.get("expr").asText();
            Matcher m = METRIC.matcher(expr);
            boolean any = false;
            while (m.find()) {
                assertTrue(exported.contains(m.group()), alert + " uses " + m.group() + ", which watch does not export");
                used.add(m.group());
                any = true;
            }
            assertTrue(any, alert + " references no ntpdeploy metric: " + expr);
            assertTrue(Set.of("critical", "warning").contains(rule.get("labels").get("severity").asText()), alert);
            assertTrue(rule.get("annotations").get("summary").asText().length() > 10, alert);
        }
        assertTrue(alerts.containsAll(Set.of("NtpClientUnsynced", "NtpMasterNotServing", "NtpConfigDrift",
                "NtpOffsetTooLarge", "NtpdeploySshErrors", "NtpdeployNoRecentSuccess", "NtpFleetCritical")), alerts.toString());
        assertTrue(used.containsAll(Set.of("ntpdeploy_host_synced", "ntpdeploy_config_drift", "ntpdeploy_host_offset_seconds",
                "ntpdeploy_ssh_errors_total", "ntpdeploy_host_last_success_timestamp_seconds", "ntpdeploy_fleet_status")),
                used.toString());
        assertEquals(1, doc.get("groups").size());
    }

    /**
     * The offset alert compares each host's offset with its own limit (it compared with a hard-coded 0.128, the
     * default, so a host with ntp_max_offset_ms: 500 paged at 129 ms and one with 50 never did), and every alert
     * carries a runbook_url whose section exists in docs/watch.md (#13, metrics).
     */
    @Test
    void offsetAlertUsesEachHostsLimitAndEveryAlertHasARunbookSection() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        Set<String> anchors = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("docs/watch.md"))) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "")
                        .replace(' ', '-'));
            }
        }
        for (JsonNode rule : doc.get("groups").get(0).get("rules")) {
            String alert = rule.get("alert").asText();
            JsonNode url = rule.get("annotations").get("runbook_url");
            assertTrue(url != null, alert + " has no runbook_url");
            assertEquals("docs/watch.md#" + alert.toLowerCase(Locale.ROOT), url.asText(), alert);
            assertTrue(anchors.contains(alert.toLowerCase(Locale.ROOT)), "docs/watch.md has no section " + alert);
            if (alert.equals("NtpOffsetTooLarge")) {
                String expr = rule.get("expr").asText();
                assertTrue(expr.contains("ntpdeploy_host_offset_limit_seconds"), expr);
                assertFalse(expr.matches(".*\\d\\.\\d.*"), "no hard-coded limit: " + expr);
            }
        }
    }
}

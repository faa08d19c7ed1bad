package dev.ntpdeploy.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}

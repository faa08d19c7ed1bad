package dev.ntpdeploy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ntpdeploy.engine.ApplyOutcome;
import dev.ntpdeploy.engine.HostResult;
import dev.ntpdeploy.engine.HostStatus;
import dev.ntpdeploy.inventory.Role;
import dev.ntpdeploy.verify.HostVerdict;
import dev.ntpdeploy.verify.Status;
import dev.ntpdeploy.verify.Verdict;
import dev.ntpdeploy.verify.VerifyResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApplyReportTest {

    final ApplyOutcome outcome = new ApplyOutcome(List.of(
            new HostResult("lab-h1", Role.MASTER, HostStatus.CHANGED, "uploaded /etc/ntpsec/ntp.conf; restarted ntpsec",
                    "--- a/etc/ntpsec/ntp.conf\n"),
            new HostResult("lab-h2", Role.CLIENT, HostStatus.OK, "no change", null),
            new HostResult("lab-h3", Role.CLIENT, HostStatus.UNREACHABLE, "lab-h3: connection refused", null)),
            false, false);

    @Test
    void jsonDocumentHasTheDocumentedShape() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ApplyReport.json(outcome));
        JsonNode h1 = doc.get("hosts").get(0);
        assertEquals("lab-h1", h1.get("host").asText());
        assertEquals("master", h1.get("role").asText());
        assertEquals("changed", h1.get("status").asText());
        assertEquals("--- a/etc/ntpsec/ntp.conf\n", h1.get("diff").asText());
        assertTrue(doc.get("hosts").get(1).get("diff").isNull());
        assertEquals("unreachable", doc.get("hosts").get(2).get("status").asText());
        JsonNode sum = doc.get("summary");
        assertEquals(1, sum.get("ok").asInt());
        assertEquals(1, sum.get("changed").asInt());
        assertEquals(0, sum.get("failed").asInt());
        assertEquals(1, sum.get("unreachable").asInt());
        assertFalse(doc.has("verify"), "no verify key when apply did not verify (--no-verify, dry run)");
    }

    @Test
    void theClosingVerificationIsVerifysOwnDocument() throws Exception {
        VerifyResult verified = new VerifyResult(List.of(new HostVerdict("lab-h1", Role.MASTER, Verdict.SERVING,
                "LOCAL(0)", 11, 0.0, 0.5, 0377, List.of(), false)), Status.OK);
        JsonNode doc = new ObjectMapper().readTree(ApplyReport.json(outcome.withVerified(Optional.of(verified))));
        assertEquals(new ObjectMapper().readTree(VerifyJson.render(verified)), doc.get("verify"));
        assertEquals("SERVING", doc.get("verify").get("hosts").get(0).get("verdict").asText());
    }

    @Test
    void hostLinesAndRecapInAnsibleWords() {
        assertEquals("changed: lab-h1 (uploaded /etc/ntpsec/ntp.conf; restarted ntpsec)",
                ApplyReport.hostLine(outcome.results().get(0)));
        StringWriter buf = new StringWriter();
        ApplyReport.recap(outcome, new PrintWriter(buf, true));
        String recap = buf.toString();
        assertTrue(recap.contains("lab-h2 : ok=1 changed=0 failed=0 unreachable=0\n"), recap);
        assertTrue(recap.contains("TOTAL  : ok=1 changed=1 failed=0 unreachable=1\n"), recap);
    }

    @Test
    void dryRunRecapSaysHowManyWouldChange() {
        ApplyOutcome dry = new ApplyOutcome(outcome.results(), true, false);
        StringWriter buf = new StringWriter();
        ApplyReport.recap(dry, new PrintWriter(buf, true));
        assertTrue(buf.toString().contains("would change 1 of 3 hosts"));
    }
}

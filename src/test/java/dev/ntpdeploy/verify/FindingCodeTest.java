package dev.ntpdeploy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalogue is consistent, and its templates fail loudly instead of printing half a sentence. */
class FindingCodeTest {

    @Test
    void everyTextRendersWhenEachOfItsNamesHasAValue() {
        for (FindingCode code : FindingCode.values()) {
            for (FindingCode.Text t : code.texts()) {
                Map<String, Object> p = new HashMap<>();
                t.message().names().forEach(n -> p.put(n, "<" + n + ">"));
                t.fix().names().forEach(n -> p.put(n, "<" + n + ">"));
                Finding f = code.finding(t.variant(), p, List.of());
                assertFalse(f.message().isBlank() || f.message().contains("{{"), code + ": " + f.message());
                assertFalse(f.fix().isBlank() || f.fix().contains("{{"), code + ": " + f.fix());
            }
        }
    }

    @Test
    void aCodeWithSeveralTextsNamesEachAndOneTextNamesNone() {
        for (FindingCode code : FindingCode.values()) {
            List<FindingCode.Text> texts = code.texts();
            assertFalse(texts.isEmpty(), code.code());
            if (texts.size() == 1) {
                assertEquals("", texts.get(0).variant(), code.code());
            } else {
                Set<String> names = new HashSet<>();
                texts.forEach(t -> assertTrue(!t.variant().isEmpty() && names.add(t.variant()), code + ": " + t));
            }
            assertThrows(IllegalArgumentException.class, () -> code.text("no such text"));
        }
    }

    @Test
    void onlyCriticalFindingsCanBeDowngradedAndOnlyForTheReasonsTheyList() {
        for (FindingCode code : FindingCode.values()) {
            assertTrue(code.downgrades().isEmpty() || code.severity() == Severity.CRITICAL, code.code());
        }
        Finding upstream = new Finding("MASTER_UPSTREAM_UNREACHABLE", Severity.CRITICAL, "m", "f", List.of());
        assertEquals(Severity.WARNING, Downgrade.MASTER_STARTING.apply(upstream).severity());
        assertThrows(IllegalStateException.class, () -> Downgrade.SERVES_SYNCED_CLIENTS.apply(upstream));
    }

    @Test
    void aNameWithoutAValueIsAnErrorEvenInsideASectionNotShown() {
        FindingTemplate t = new FindingTemplate("{{host}} is down{{#owners}} (owned by {{owners}}, {{pid}}){{/owners}}");
        assertEquals(Set.of("host", "owners", "pid"), t.names());
        assertThrows(IllegalArgumentException.class, () -> t.render(Map.of("host", "h1", "owners", "")));
        assertEquals("h1 is down", t.render(Map.of("host", "h1", "owners", "", "pid", 7)));
        assertEquals("h1 is down (owned by chronyd, 7)", t.render(Map.of("host", "h1", "owners", "chronyd", "pid", 7)));
    }

    @Test
    void valuesAreWrittenAsTheyAreNotAsHtml() {
        assertEquals("restrict <&> \"x\" `y`", new FindingTemplate("restrict {{v}} `y`").render(Map.of("v", "<&> \"x\"")));
    }

    @Test
    void aRuleNamingAParameterTheTextDoesNotUseFails() {
        var obs = Topo.obs("", "", 60L);
        HostContext c = new HostContext(TopologyJudgeTest.orphanMaster(), obs, NtpqReading.of(obs), Topo.NTPSEC);
        assertEquals("c", c.finding(FindingCode.CONFIG_REJECTED_LINES, List.of(), "line", "c").message()
                .replaceFirst("^.*: ", ""));
        assertThrows(IllegalArgumentException.class, () -> c.finding(FindingCode.CONFIG_DRIFT, List.of(), "lines", "c"));
        assertThrows(IllegalArgumentException.class, () -> c.finding(FindingCode.CONFIG_REJECTED_LINES, List.of()));
    }
}

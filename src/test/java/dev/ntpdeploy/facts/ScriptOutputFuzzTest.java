package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ntpdeploy.FuzzSeeds;
import dev.ntpdeploy.inventory.Flavor;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The outputs apply reads (the config probe, the restart check) give their facts for any text, or an
 * IllegalArgumentException whose one-line message says what is missing: the contract their callers turn into that
 * host's FAILED result. Anything else escaping (an index error, a null) is a finding. See docs/fuzzing.md.
 */
class ScriptOutputFuzzTest {

    static Stream<Arguments> captures() {
        return FuzzSeeds.captures("probe", "restart");
    }

    @MethodSource("captures")
    @FuzzTest
    void anyOutputIsFactsOrSaysWhatIsMissing(byte[] output) {
        String text = new String(output, StandardCharsets.UTF_8);
        assertNotNull(ScriptOutput.parse(text).within("start").sections());
        try {
            ProbeFacts facts = ConfigProbe.parse(text);
            facts.detectFlavor();
            for (Flavor f : Flavor.values()) {
                f.service(facts.services(), facts.osId());
            }
            facts.ntpdRunning();
            for (RemoteFile f : facts.files().values()) {
                f.octalMode();
                f.text();
                f.toString();
            }
        } catch (IllegalArgumentException e) {
            oneLine(e);
        }
        try {
            DaemonStartLog log = DaemonStartLog.parse(text);
            log.configErrors();
            log.running();
            log.good();
            log.problem();
        } catch (IllegalArgumentException e) {
            oneLine(e);
        }
    }

    private static void oneLine(IllegalArgumentException e) {
        assertNotNull(e.getMessage(), e.toString());
        assertFalse(e.getMessage().contains("\n"), "a one-line message: " + e.getMessage());
    }
}

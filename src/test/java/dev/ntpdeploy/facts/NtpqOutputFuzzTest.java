package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ntpdeploy.FuzzSeeds;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever ntpq prints, the billboard parser ({@code ntpq -pn}) and the system variables parser ({@code ntpq -c rv})
 * give a value, a classified failure or "unparseable, here is the raw text", never an exception (issue 11, defect
 * 3); the helpers the judge calls on what was parsed work too. Seeds, regression inputs, how to fuzz longer:
 * docs/fuzzing.md.
 */
class NtpqOutputFuzzTest {

    static Stream<Arguments> captures() {
        return FuzzSeeds.captures("ntpq-samples", "probe");
    }

    @MethodSource("captures")
    @FuzzTest
    void anyOutputIsAResult(byte[] output) {
        String text = new String(output, StandardCharsets.UTF_8);
        for (int exitCode : new int[] {-1, 0, 127}) {
            billboard(text, exitCode);
            systemVariables(text, exitCode);
        }
    }

    private static void billboard(String text, int exitCode) {
        NtpqPeers parsed = NtpqPeers.parse(text, exitCode);
        assertNotNull(parsed);
        if (parsed instanceof NtpqPeers.Table t) {
            t.systemPeer();
            for (Peer p : t.peers()) {
                p.isSystemPeer();
                p.latestAnswered();
                p.answeredCount();
                p.missedSinceFirstSuccess();
                p.isRefclock();
                p.isLocalClock();
                p.isPoolPrototype();
                p.overdue();
                p.reachOctal();
            }
        } else if (parsed instanceof Unparseable u) {
            unparseable(text, u);
        }
    }

    private static void systemVariables(String text, int exitCode) {
        SystemVarsReading parsed = SystemVars.parse(text, exitCode);
        assertNotNull(parsed);
        if (parsed instanceof SystemVars v) {
            v.status().ifPresent(s -> {
                s.leap();
                s.sourceName();
                s.eventCount();
                s.lastEvent();
            });
            v.leap();
            v.stratum();
            v.refid();
            v.peer();
            v.offsetMs();
            v.sysJitterMs();
            v.rootDelayMs();
            v.rootDispMs();
            v.isNtpsec();
            v.isOrphanParent();
            v.synced();
        } else if (parsed instanceof Unparseable u) {
            unparseable(text, u);
        }
    }

    private static void unparseable(String text, Unparseable u) {
        assertEquals(text.replace("\r", ""), u.raw(), "the raw text, as the host printed it");
        assertFalse(u.reason().contains("\n"), "a one-line reason: " + u.reason());
    }
}

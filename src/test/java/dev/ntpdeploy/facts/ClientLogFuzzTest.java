package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ntpdeploy.FuzzSeeds;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A master's client log gives a value for any text: the list it reads ({@link ClientLog.Kept}, every entry with a
 * count and an age that are not negative) or why the check is not possible ({@link ClientLog.Unavailable}, one
 * line), as chronyc's {@code clients} and as ntpq's MRU list. See docs/fuzzing.md.
 */
class ClientLogFuzzTest {

    static Stream<Arguments> captures() {
        return FuzzSeeds.captures("chronyc-samples", "probe");
    }

    @MethodSource("captures")
    @FuzzTest
    void anyOutputIsAListOrWhyThereIsNone(byte[] output) {
        String text = new String(output, StandardCharsets.UTF_8);
        for (int rc : new int[] {-1, 0, 1, 124, 127}) {
            check(ClientLog.fromChronyc(new Chronyc.Output(text, rc)));
            check(ClientLog.fromMrulist(text, rc));
        }
    }

    /** The list as read, and as read an hour later (aged once: an aged list ages again without end). */
    private static void check(ClientLog log) {
        checkOne(log);
        checkOne(log.aged(3600));
    }

    private static void checkOne(ClientLog log) {
        assertNotNull(log);
        if (log instanceof ClientLog.Kept k) {
            for (ClientLog.Heard h : k.hosts()) {
                assertTrue(h.requests() >= 0 && h.lastSeconds() >= 0, h.toString());
                k.of(h.address()).orElseThrow();
            }
        } else {
            ClientLog.Unavailable u = (ClientLog.Unavailable) log;
            assertFalse(u.reason().contains("\n"), u.reason());
            assertNotNull(u.evidence());
        }
    }
}

package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ntpdeploy.FuzzSeeds;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * chronyc's reports give a value for any text: a {@link Chronyc.Report}, a {@link ChronycFailed} or an
 * {@link Unparseable} holding the text as given, whichever call it comes from; every helper the judge calls answers.
 * See docs/fuzzing.md.
 */
class ChronycOutputFuzzTest {

    static Stream<Arguments> captures() {
        return FuzzSeeds.captures("chronyc-samples");
    }

    @MethodSource("captures")
    @FuzzTest
    void anyOutputIsAReportAFailureOrUnparseable(byte[] output) {
        String text = new String(output, StandardCharsets.UTF_8);
        // the same text as each of the three calls, with the tracking line of a real capture where it is not
        String tracking = "7F7F0101,,10,1796599224.109414515,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,"
                + "0.000000000,0.000000000,0.0,Normal";
        for (int rc : new int[] {-1, 0, 1, 127}) {
            check(Chronyc.parse(new Chronyc.Output(text, rc), new Chronyc.Output(text, rc), new Chronyc.Output(text, rc)),
                    text);
            check(Chronyc.parse(new Chronyc.Output(tracking, 0), new Chronyc.Output(text, rc),
                    new Chronyc.Output(text, rc)), text);
        }
    }

    private static void check(Chronyc c, String text) {
        assertNotNull(c);
        if (c instanceof Chronyc.Report r) {
            r.tracking().synced();
            r.tracking().localReference();
            for (ChronycSource s : r.sources()) {
                s.pollSeconds();
                s.reachOctal();
                s.refclock();
                r.statsOf(s.address());
            }
        } else if (c instanceof ChronycFailed f) {
            assertNotNull(f.cause());
            assertFalse(f.evidence().contains("\n"), f.evidence());
        } else {
            Unparseable u = (Unparseable) c;
            assertFalse(u.reason().contains("\n"), u.reason());
            assertNotNull(u.raw());
        }
    }
}

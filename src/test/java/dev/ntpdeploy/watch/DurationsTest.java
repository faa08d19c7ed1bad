package dev.ntpdeploy.watch;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @Test
    void parsesEachUnitAndCombinations() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofDays(2), Durations.parse("2d"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofSeconds(3725), Durations.parse(" 1H2M5S "));
    }

    @Test
    void rejectsMissingUnitsZeroAndGarbageWithTheAcceptedForms() {
        for (String bad : new String[]{"", "5", "m5", "5x", "5 m", "-5m", "1.5h", "5m junk", "0s", "0m0s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertTrue(e.getMessage().contains("invalid duration '" + bad + "'"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("7"))
                .getMessage().contains("30s, 5m, 1h"));
    }

    @Test
    void formatsAsTheShortestCombinedFormThatParsesBack() {
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1h", Durations.format(Duration.ofHours(1)));
        assertEquals("1d2h", Durations.format(Duration.ofHours(26)));
        for (String s : new String[]{"30s", "5m", "1h30m", "2d", "1d1h1m1s"}) {
            assertEquals(s, Durations.format(Durations.parse(s)));
        }
    }
}

package dev.ntpdeploy;

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
    void aBareNumberIsSeconds() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("90"));
        assertEquals(Duration.ofSeconds(300), Durations.parsePositive("300"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
    }

    @Test
    void rejectsGarbageWithTheAcceptedForms() {
        for (String bad : new String[]{"", "m5", "5x", "5 m", "-5m", "-5", "1.5h", "5m junk", "5m30", "soon"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertTrue(e.getMessage().contains("invalid duration '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("90, 90s, 5m, 1h30m, 1d"), e.getMessage());
        }
    }

    @Test
    void zeroIsRefusedWhereItMeansNothing() {
        for (String zero : new String[]{"0", "0s", "0m0s"}) {
            assertEquals(Duration.ZERO, Durations.parse(zero));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parsePositive(zero))
                    .getMessage().contains("must be longer than 0s"));
        }
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

package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ConfigAgeTest {

    static boolean stale(long fileAge, long daemonAge) {
        return ConfigAge.changedAfterStart(OptionalLong.of(fileAge), OptionalLong.of(daemonAge));
    }

    @Test
    void aFileChangedAfterTheDaemonStartedWasNeverRead() {
        assertTrue(stale(5, 600));
        assertTrue(stale(0, 1));
    }

    @Test
    void aDaemonStartedAfterTheChangeReadIt() {
        assertFalse(stale(600, 5));
        // the same whole second: a restart right after the install must never look stale
        assertFalse(stale(5, 5));
    }

    @Test
    void aFileDatedInTheFutureOrAnUnknownAgeIsNotJudged() {
        // the clock was stepped back since the file was written: comparing would restart ntpd on every run
        assertFalse(stale(-3600, 600));
        assertFalse(ConfigAge.changedAfterStart(OptionalLong.empty(), OptionalLong.of(600)));
        assertFalse(ConfigAge.changedAfterStart(OptionalLong.of(5), OptionalLong.empty()));
    }
}

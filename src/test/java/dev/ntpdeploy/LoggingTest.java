package dev.ntpdeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoggingTest {

    @Test
    void countsVerbosityAsAnsibleDoes() {
        assertEquals(0, Logging.verbosity(new String[] {"apply", "inv.yml"}));
        assertEquals(1, Logging.verbosity(new String[] {"apply", "-v", "inv.yml"}));
        assertEquals(1, Logging.verbosity(new String[] {"apply", "--verbose"}));
        assertEquals(2, Logging.verbosity(new String[] {"apply", "-vv"}));
        assertEquals(3, Logging.verbosity(new String[] {"-vvv", "apply"}));
        assertEquals(2, Logging.verbosity(new String[] {"-v", "apply", "-v"}));
        assertEquals(0, Logging.verbosity(new String[] {"apply", "--", "-vv"}), "after --, -vv is an argument");
        assertEquals(0, Logging.verbosity(new String[] {"apply", "-vx"}), "not a -v form");
    }
}

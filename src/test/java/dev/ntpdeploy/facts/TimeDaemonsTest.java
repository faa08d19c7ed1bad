package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.Flavor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The time daemons of a host as apply's probe reports them, and the rule of which compete with a flavor. */
class TimeDaemonsTest {

    static TimeDaemons read(String sections) {
        return TimeDaemons.read(ScriptOutput.parse("@@ntpdeploy:probe@@\n" + sections + "@@ntpdeploy:end@@\n"));
    }

    @Test
    void readsTheProcessesOfThisHostAndEachUnitsEnabledWord() {
        TimeDaemons d = read("""
                @@ntpdeploy:daemon@@
                611 ntpd
                @@ntpdeploy:daemon@@
                702 chronyd
                @@ntpdeploy:daemon@@
                703 chronyd
                @@ntpdeploy:units@@
                ntpsec chrony systemd-timesyncd
                @@ntpdeploy:enabled@@
                enabled
                disabled
                enabled
                """);
        assertEquals(Map.of(TimeDaemon.NTPD, List.of(611L), TimeDaemon.CHRONYD, List.of(702L, 703L)), d.running());
        assertTrue(d.runs(TimeDaemon.CHRONYD));
        assertFalse(d.runs(TimeDaemon.TIMESYNCD));
        assertEquals(Optional.of("ntpsec"), d.unitOf(TimeDaemon.NTPD));
        assertEquals(Optional.of("chrony"), d.unitOf(TimeDaemon.CHRONYD));
        assertTrue(d.enabled("ntpsec"));
        assertFalse(d.enabled("chrony"));
        assertTrue(d.enabled("systemd-timesyncd"));
    }

    @Test
    void theRedHatUnitNamesAreFoundToo() {
        TimeDaemons d = read("""
                @@ntpdeploy:units@@
                ntpd chronyd
                @@ntpdeploy:enabled@@
                masked
                enabled-runtime
                """);
        assertEquals(Optional.of("ntpd"), d.unitOf(TimeDaemon.NTPD));
        assertEquals(Optional.of("chronyd"), d.unitOf(TimeDaemon.CHRONYD));
        assertFalse(d.enabled("ntpd"), "a masked unit does not start");
        assertTrue(d.enabled("chronyd"));
        assertEquals(Optional.empty(), d.unitOf(TimeDaemon.TIMESYNCD));
    }

    @Test
    void answersThatDoNotPairWithTheNamesLeaveEveryStateUnknown() {
        // systemctl printed one line for two units: which is which cannot be told, so neither counts as enabled
        TimeDaemons d = read("""
                @@ntpdeploy:units@@
                ntpsec chrony
                @@ntpdeploy:enabled@@
                enabled
                """);
        assertEquals(Map.of("ntpsec", "unknown", "chrony", "unknown"), d.units());
        assertFalse(d.enabled("ntpsec"));
    }

    @Test
    void withoutSystemctlTheUnitsAreKnownAndTheirStateIsNot() {
        TimeDaemons d = read("@@ntpdeploy:units@@\nntp\n");
        assertEquals(Map.of("ntp", "unknown"), d.units());
        assertEquals(Optional.of("ntp"), d.unitOf(TimeDaemon.NTPD));
    }

    @Test
    void linesItCannotReadAreSkippedAndAnOlderProbeKnowsNothing() {
        TimeDaemons d = read("@@ntpdeploy:daemon@@\nx chronyd\n@@ntpdeploy:daemon@@\n12 sshd\n"
                + "@@ntpdeploy:daemon@@\n\n@@ntpdeploy:units@@\n\n");
        assertEquals(Map.of(), d.running());
        assertEquals(Map.of(), d.units());
        assertEquals(TimeDaemons.UNKNOWN, read(""));
    }

    @Test
    void everyDaemonButTheFlavorsOwnCompetesWithIt() {
        assertEquals(List.of(TimeDaemon.CHRONYD, TimeDaemon.TIMESYNCD), TimeDaemon.competitorsOf(Flavor.NTPSEC));
        assertEquals(List.of(TimeDaemon.CHRONYD, TimeDaemon.TIMESYNCD), TimeDaemon.competitorsOf(Flavor.NTP));
        assertEquals(List.of(TimeDaemon.NTPD, TimeDaemon.TIMESYNCD), TimeDaemon.competitorsOf(Flavor.CHRONY));
    }

    /** The probe lists the processes and units by the names TimeDaemon knows them by: the two must not drift. */
    @Test
    void theProbeAsksForTheNamesTimeDaemonKnows() {
        String script = RemoteScript.file("config-probe.sh");
        Matcher procs = Pattern.compile("(?m)^daemons='([^']*)'$").matcher(script);
        assertTrue(procs.find(), "config-probe.sh sets daemons='...'");
        assertEquals(Arrays.stream(TimeDaemon.values()).map(TimeDaemon::comm).toList(),
                List.of(procs.group(1).split("\\|")));
        Matcher units = Pattern.compile("(?m)^for s in ([a-z -]+systemd-timesyncd); do$").matcher(script);
        assertTrue(units.find(), "config-probe.sh loops over the units");
        assertEquals(Arrays.stream(TimeDaemon.values()).flatMap(d -> d.units().stream()).toList(),
                List.of(units.group(1).split(" ")));
    }
}

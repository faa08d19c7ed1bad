package dev.ntpdeploy.verify;

import static dev.ntpdeploy.facts.Samples.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fragments several finding texts share, in both of their forms (a value known or not). */
class PhraseTest {

    private static final String L11 = "L11-ntpsec-1.2.2_pool-entry_and_unresolvable-server_DNS.txt";

    @Test
    void daemonAgeKnownAndUnknown() {
        assertEquals("ntpd started 42 s ago", Phrase.DAEMON_AGE.render("daemon", "ntpd", "uptime", Optional.of(42L)));
        assertEquals("ntpd's age unknown", Phrase.DAEMON_AGE.render("daemon", "ntpd", "uptime", Optional.empty()));
    }

    @Test
    void freshnessOfASourceNeverHeardAndOfOneHeard() {
        // L11 -pn: the unresolved server (reach 0, when "-") and the system peer (reach 1, last reply 40 s ago)
        List<Source> sources = NtpqReading.of(Topo.obs(block(L11, "$ ntpq -pn", 0), "", 60L)).sources();
        assertEquals("reach 0 (last poll unanswered), no reply yet, poll 8 s", Phrase.freshness(sources.get(1)));
        assertEquals("reach 1, last reply 40 s ago, poll 64 s", Phrase.freshness(sources.get(2)));
    }

    @Test
    void upstreamsAsAMessageListsThem() {
        List<Source> sources = NtpqReading.of(Topo.obs(block(L11, "$ ntpq -pn", 0), "", 60L)).sources();
        assertEquals("ntp.nonexistent .DNS. st 16 reach 0 (name does not resolve), 127.0.0.1 127.0.0.1 st 10 reach 1",
                Phrase.sources(sources.subList(1, 3), List.of("ntp.nonexistent.invalid")));
        assertEquals("no association for a.example, b.example (the names never resolved)",
                Phrase.sources(List.of(), List.of("a.example", "b.example")));
    }

    @Test
    void aPhraseTakesExactlyItsNames() {
        assertThrows(IllegalArgumentException.class, () -> Phrase.DAEMON_AGE.render("daemon", "ntpd"));
        assertThrows(IllegalArgumentException.class,
                () -> Phrase.DAEMON_AGE.render("daemon", "ntpd", "uptime", Optional.empty(), "pid", 7));
    }

    @Test
    void numbersAsNtpqPrintsThem() {
        assertEquals("0.0001", Phrase.number(0.0001));
        assertEquals("2000000", Phrase.number(2_000_000.0));
        assertEquals("Infinity", Phrase.number(Double.POSITIVE_INFINITY));
    }
}

package dev.ntpdeploy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

    @Test
    void oneChangedLineWithContextAndHostLabels() {
        String before = "driftfile /var/lib/ntpsec/ntp.drift\nserver 10.0.0.1 iburst\nrestrict default kod limited\n";
        String after = "driftfile /var/lib/ntpsec/ntp.drift\nserver 10.0.0.9 iburst\nrestrict default kod limited\n";
        assertEquals("""
                --- a/etc/ntpsec/ntp.conf\tlab-h2 (on host)
                +++ b/etc/ntpsec/ntp.conf\tlab-h2 (rendered)
                @@ -1,3 +1,3 @@
                 driftfile /var/lib/ntpsec/ntp.drift
                -server 10.0.0.1 iburst
                +server 10.0.0.9 iburst
                 restrict default kod limited
                """, UnifiedDiff.of("lab-h2", "/etc/ntpsec/ntp.conf", before, after));
    }

    @Test
    void missingFileDiffsFromDevNull() {
        assertEquals("""
                --- /dev/null
                +++ b/etc/ntp.conf\th1 (rendered)
                @@ -0,0 +1,1 @@
                +server 10.0.0.1
                """, UnifiedDiff.of("h1", "/etc/ntp.conf", null, "server 10.0.0.1\n"));
    }

    @Test
    void equalContentHasNoDiff() {
        assertEquals("", UnifiedDiff.of("h1", "/etc/ntp.conf", "a\n", "a\n"));
    }
}

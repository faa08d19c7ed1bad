package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CidrTest {

    private static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow(() -> new AssertionError("should parse: " + s));
    }

    @Test
    void givesRestrictsAddressAndMaskForIpv4() {
        Cidr c = cidr("192.168.84.0/24");
        assertEquals("192.168.84.0", c.networkText());
        assertEquals("255.255.255.0", c.maskText());
        assertFalse(c.isIpv6());
        assertEquals("0.0.0.0", cidr("0.0.0.0/0").maskText());
        assertEquals("255.255.240.0", cidr("10.1.0.0/20").maskText());
    }

    @Test
    void writesIpv6InCanonicalCompressedForm() {
        Cidr c = cidr("2001:0DB8:0084:0000::/64");
        assertEquals("2001:db8:84::", c.networkText());
        assertEquals("ffff:ffff:ffff:ffff::", c.maskText());
        assertEquals("::", cidr("::/0").networkText());
        assertEquals("::", cidr("::/0").maskText());
        assertEquals("2001:db8::1:0:0:1", cidr("2001:db8:0:0:1:0:0:1/128").networkText(), "first longest zero run");
        assertEquals("fd00:1:0:1::", cidr("fd00:1:0:1::/64").networkText(), "a single zero group is not compressed");
        assertEquals("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", cidr("fd00::/127").maskText());
    }

    @Test
    void detectsHostBits() {
        assertTrue(cidr("192.168.84.5/24").hasHostBits());
        assertEquals("192.168.84.0/24", cidr("192.168.84.5/24").normalized());
        assertFalse(cidr("192.168.84.5/32").hasHostBits());
        assertTrue(cidr("fd00::1/64").hasHostBits());
    }

    @Test
    void coversLiteralAddressesOfItsFamilyAndNeverResolvesNames() {
        List<Cidr> allow = List.of(cidr("10.141.0.0/16"), cidr("fd00:84::/64"));
        assertEquals(Optional.of(true), Cidr.anyContains(allow, "10.141.7.3"));
        assertEquals(Optional.of(false), Cidr.anyContains(allow, "10.142.0.1"));
        assertEquals(Optional.of(true), Cidr.anyContains(allow, "fd00:84::61"));
        assertEquals(Optional.of(false), Cidr.anyContains(allow, "fd00:85::61"));
        assertEquals(Optional.of(false), Cidr.anyContains(List.of(cidr("0.0.0.0/0")), "::1"), "other family");
        assertEquals(Optional.of(true), Cidr.anyContains(List.of(cidr("0.0.0.0/0")), "192.0.2.1"));
        assertEquals(Optional.empty(), Cidr.anyContains(allow, "ntp1.example.net"), "a name: unknown without DNS");
    }

    @Test
    void suggestsTheNetworkAroundAnAddress() {
        assertEquals(Optional.of(cidr("10.141.0.0/24")), Cidr.around("10.141.0.3"));
        assertEquals("fd00:84::/64", Cidr.around("fd00:84::1:61").orElseThrow().toString());
        assertEquals(Optional.empty(), Cidr.around("host8461"));
    }

    @Test
    void rejectsWhatIsNotACidr() {
        for (String s : new String[] {"192.168.84.0", "192.168.84.0/33", "192.168.84.0/024", "fd00::/129", "host/24",
                "192.168.084.0/24", "1.2.3/24", "192.168.84.0/24/1", "fd00::%eth0/64", "/24", "10.0.0.0/"}) {
            assertTrue(Cidr.parse(s).isEmpty(), s);
        }
    }

    @Test
    void acceptsHostNamesAndIpLiteralsOnly() {
        for (String ok : new String[] {"0.centos.pool.ntp.org", "host8461", "192.168.84.61", "::1", "fd00::84:61",
                "ntp_1.corp", "a-b.c"}) {
            assertTrue(Addresses.isHostOrIp(ok), ok);
        }
        for (String bad : new String[] {"", "300.1.1.1", "1.2.3", "-a.example", "a..b", "a b", "host;reboot",
                "[::1]", "fd00::1%eth0", "a.example.", "x".repeat(64) + ".example", "g::1"}) {
            assertFalse(Addresses.isHostOrIp(bad), bad);
        }
    }
}

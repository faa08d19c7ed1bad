package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostKeysTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void fingerprintIsTheOneSshKeygenPrints(String type) throws Exception {
        Path key = TestKeys.generate(dir, "k_" + type, type, "");
        // "256 SHA256:abc... test (ED25519)"
        String expected = TestKeys.sshKeygen("-lf", key + ".pub").split(" ")[1];
        assertEquals(expected, HostKeys.sha256Fingerprint(TestKeys.publicKey(key)));
        assertTrue(expected.startsWith("SHA256:") && !expected.endsWith("="));
    }

    @Test
    void knownHostsNameBracketsNonStandardPorts() {
        assertEquals("ntp-a.example", HostKeys.knownHostsName("NTP-A.example", 22));
        assertEquals("[10.0.0.5]:2222", HostKeys.knownHostsName("10.0.0.5", 2222));
    }

    @Test
    void hashedLineIsReadBySshjForThatNameOnly() throws Exception {
        PublicKey key = TestKeys.publicKey(TestKeys.generate(dir, "host", "ed25519", ""));
        String line = HostKeys.hashedLine("[10.0.0.5]:2222", key);
        assertTrue(line.matches("\\|1\\|[A-Za-z0-9+/]{27}=\\|[A-Za-z0-9+/]{27}= ssh-ed25519 AAAA[A-Za-z0-9+/=]+"), line);
        OpenSSHKnownHosts kh = new OpenSSHKnownHosts(new StringReader(line + "\n"));
        assertTrue(kh.verify("10.0.0.5", 2222, key));
        assertFalse(kh.verify("10.0.0.5", 22, key));
        assertFalse(kh.verify("10.0.0.6", 2222, key));
    }

    @Test
    void hashedLineIsFoundByOpenSsh() throws Exception {
        PublicKey key = TestKeys.publicKey(TestKeys.generate(dir, "host", "ecdsa", ""));
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, HostKeys.hashedLine("[ntp-b]:2200", key) + "\n");
        String found = TestKeys.sshKeygen("-F", "[ntp-b]:2200", "-f", kh.toString());
        assertTrue(found.contains("found: line 1"), found);
    }

    @Test
    void keyscanTypesMatchSshKeyscanNames() throws Exception {
        assertEquals("ed25519", HostKeys.keyscanType(TestKeys.publicKey(TestKeys.generate(dir, "a", "ed25519", ""))));
        assertEquals("ecdsa", HostKeys.keyscanType(TestKeys.publicKey(TestKeys.generate(dir, "b", "ecdsa", ""))));
        assertEquals("rsa", HostKeys.keyscanType(TestKeys.publicKey(TestKeys.generate(dir, "c", "rsa", ""))));
    }
}

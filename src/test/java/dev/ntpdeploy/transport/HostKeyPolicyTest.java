package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeyPolicyTest {

    @TempDir
    Path dir;
    PublicKey hostKey;
    PublicKey otherKey;
    Path userFile;

    @BeforeEach
    void keys() throws Exception {
        hostKey = TestKeys.publicKey(TestKeys.generate(dir, "host", "ed25519", ""));
        otherKey = TestKeys.publicKey(TestKeys.another(dir, "other", "ed25519"));
        userFile = dir.resolve("home/.ssh/known_hosts");
    }

    private Path knownHosts(String name, String... lines) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    private String plainLine(String hostPattern, PublicKey key) {
        return hostPattern + " " + HostKeys.typeName(key) + " " + java.util.Base64.getEncoder().encodeToString(HostKeys.blob(key));
    }

    @Test
    void acceptsTheKnownKeyFromAnExtraFile() throws Exception {
        Path extra = knownHosts("lab_known_hosts", "# lab", plainLine("[10.77.0.2]:22,other", otherKey),
                plainLine("[10.77.0.5]:2222", hostKey));
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(extra), false);
        assertNull(p.verify("10.77.0.5", 2222, hostKey));
        assertFalse(Files.exists(userFile), "strict mode never writes");
    }

    @Test
    void refusesAnUnknownHostWithFingerprintAndFix() throws Exception {
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(), false);
        HostKeyPolicy.Rejection r = p.verify("10.77.0.5", 22, hostKey);
        assertNotNull(r);
        assertTrue(r.message().contains(HostKeys.sha256Fingerprint(hostKey)), r.message());
        assertTrue(r.message().contains("ssh-keyscan -t ed25519 10.77.0.5 >> ~/.ssh/known_hosts"), r.message());
        assertTrue(r.message().contains("--accept-new-host-keys"), r.message());
    }

    @Test
    void refusesAChangedKeyEvenWithAcceptNew() throws Exception {
        Path extra = knownHosts("kh", plainLine("ntp-a", otherKey));
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(extra), true);
        HostKeyPolicy.Rejection r = p.verify("ntp-a", 22, hostKey);
        assertNotNull(r);
        assertTrue(r.message().startsWith("REMOTE HOST KEY CHANGED for ntp-a"), r.message());
        assertTrue(r.message().contains(HostKeys.sha256Fingerprint(hostKey)), r.message());
        assertTrue(r.message().contains("ssh-keygen -R 'ntp-a'"), r.message());
        assertFalse(Files.exists(userFile), "a changed key is never recorded");
    }

    @Test
    void refusesARevokedKey() throws Exception {
        Path extra = knownHosts("kh", plainLine("ntp-a", hostKey), "@revoked * " + plainLine("", hostKey).trim());
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(extra), false);
        HostKeyPolicy.Rejection r = p.verify("ntp-a", 22, hostKey);
        assertNotNull(r);
        assertTrue(r.message().contains("@revoked"), r.message());
    }

    @Test
    void trustsOnFirstUseByAppendingOneHashedLineToAPrivateFile() throws Exception {
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(), true);
        assertNull(p.verify("10.77.0.5", 2222, hostKey));
        assertNull(p.verify("10.77.0.5", 2222, hostKey), "known for the rest of the run");
        List<String> lines = Files.readAllLines(userFile);
        assertEquals(1, lines.size(), "one line, appended once");
        assertTrue(lines.get(0).startsWith("|1|"), "hashed: " + lines.get(0));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(userFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(userFile.getParent())));
        HostKeyPolicy nextRun = new HostKeyPolicy(userFile, List.of(), false);
        assertNull(nextRun.verify("10.77.0.5", 2222, hostKey), "strict next time");
        assertNotNull(nextRun.verify("10.77.0.5", 2222, otherKey), "and the key is pinned");
    }

    @Test
    void appendsOnANewLineWhenTheFileLacksATrailingNewline() throws Exception {
        Files.createDirectories(userFile.getParent());
        Files.writeString(userFile, plainLine("elsewhere", otherKey));
        new HostKeyPolicy(userFile, List.of(), true).verify("ntp-a", 22, hostKey);
        List<String> lines = Files.readAllLines(userFile);
        assertEquals(2, lines.size());
        assertNull(new HostKeyPolicy(userFile, List.of(), false).verify("elsewhere", 22, otherKey));
    }

    @Test
    void manyParallelChecksOfHashedEntriesNeverFalselyReject() throws Exception {
        Path extra = dir.resolve("hashed");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append(HostKeys.hashedLine("10.77.0." + i, hostKey)).append('\n');
        }
        Files.writeString(extra, sb);
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(extra), false);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HostKeyPolicy.Rejection>> results = new ArrayList<>();
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < 50; i++) {
                    String h = "10.77.0." + i;
                    results.add(pool.submit(() -> p.verify(h, 22, hostKey)));
                }
            }
            for (Future<HostKeyPolicy.Rejection> f : results) {
                assertNull(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void findsLinesByWildcardNegationListAndHash() throws Exception {
        Path extra = knownHosts("kh",
                plainLine("*.lab,!db.lab", hostKey),
                plainLine("[ntp-?]:2222", hostKey),
                plainLine("a,b,c", otherKey),
                HostKeys.hashedLine("hashed-host", otherKey));
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(extra), false);
        assertNull(p.verify("web.lab", 22, hostKey), "wildcard");
        assertNotNull(p.verify("db.lab", 22, hostKey), "negated: no line applies");
        assertTrue(p.verify("db.lab", 22, hostKey).message().contains("unknown"), "and so it is unknown, not changed");
        assertNull(p.verify("NTP-A", 2222, hostKey), "? and a port, names compared in lower case as ssh does");
        assertNull(p.verify("b", 22, otherKey), "one of a list of names");
        assertTrue(p.verify("b", 22, hostKey).message().startsWith("REMOTE HOST KEY CHANGED for b"));
        assertNull(p.verify("hashed-host", 22, otherKey), "hashed name");
        assertTrue(p.verify("hashed-host", 22, hostKey).message().startsWith("REMOTE HOST KEY CHANGED"));
        assertEquals(List.of("ssh-ed25519"), p.knownAlgorithms("hashed-host", 22));
        assertEquals(List.of(), p.knownAlgorithms("db.lab", 22));
    }

    @Test
    void aLineOfNegationsOnlyNamesNoHost() throws Exception {
        // sshj's matcher takes "!a" for "every host but a": OpenSSH's match_hostname takes it for no host at all
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(knownHosts("kh", plainLine("!ntp-a", hostKey))), false);
        assertTrue(p.verify("ntp-b", 22, hostKey).message().contains("unknown"));
    }

    @Test
    void aRevokedLineForAnotherKeyNeitherVouchesNorBlocksFirstUse() throws Exception {
        Path extra = knownHosts("kh", "@revoked ntp-a " + plainLine("", otherKey).trim());
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(extra), true);
        assertNull(p.verify("ntp-a", 22, hostKey));
        assertEquals(1, Files.readAllLines(userFile).size());
        assertTrue(p.verify("ntp-a", 22, otherKey).message().contains("@revoked"));
    }

    @Test
    void manyConnectionsToOneNewHostRecordItOnce() throws Exception {
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(), true);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HostKeyPolicy.Rejection>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> p.verify("10.77.0.9", 22, hostKey)));
            }
            for (Future<HostKeyPolicy.Rejection> f : results) {
                assertNull(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, Files.readAllLines(userFile).size());
    }

    @Test
    void putsSha2RsaAlgorithmsBeforeSshRsa() throws Exception {
        PublicKey rsa = TestKeys.publicKey(TestKeys.generate(dir, "rsa", "rsa", ""));
        HostKeyPolicy p = new HostKeyPolicy(userFile, List.of(knownHosts("kh", plainLine("old-box", rsa))), false);
        assertEquals(List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"), p.knownAlgorithms("old-box", 22));
    }

    @Test
    void aMissingKnownHostsFileIsAnError() {
        assertThrows(java.io.IOException.class, () -> new HostKeyPolicy(userFile, List.of(dir.resolve("nope")), false));
    }
}

package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.signature.Signature;
import com.hierynomus.sshj.key.KeyAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent client against a real OpenSSH ssh-agent (started once for the class on a socket of its own, holding an
 * ed25519, an ECDSA and an RSA key added by ssh-add): what it lists, and that what it signs verifies.
 */
class SshAgentTest {

    @TempDir
    static Path dir;

    private static TestAgent agent;
    private static Path ed25519;
    private static Path ecdsa;
    private static Path rsa;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = TestAgent.start(dir);
        ed25519 = TestKeys.generate(dir, "ed", "ed25519", "");
        ecdsa = TestKeys.generate(dir, "ec", "ecdsa", "");
        rsa = TestKeys.generate(dir, "rsa", "rsa", "");
        agent.add(ed25519, ecdsa, rsa);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    private static SshAgent agent() {
        return SshAgent.fromEnvironment(agent.env()).orElseThrow();
    }

    @Test
    void noAgentWithoutSshAuthSock() {
        assertTrue(SshAgent.fromEnvironment(Map.of()).isEmpty());
        assertTrue(SshAgent.fromEnvironment(Map.of("SSH_AUTH_SOCK", "")).isEmpty());
    }

    @Test
    void listsTheKeysTheAgentHoldsInTheOrderTheyWereAdded() throws Exception {
        List<AgentKey> keys = agent().keys();

        assertEquals(3, keys.size(), keys.toString());
        assertArrayEquals(ClientKey.blob(TestKeys.publicKey(ed25519)), ClientKey.blob(keys.get(0).publicKey()));
        assertArrayEquals(ClientKey.blob(TestKeys.publicKey(ecdsa)), ClientKey.blob(keys.get(1).publicKey()));
        assertArrayEquals(ClientKey.blob(TestKeys.publicKey(rsa)), ClientKey.blob(keys.get(2).publicKey()));
    }

    @Test
    void signaturesOfEveryKeyTypeVerifyWithTheAlgorithmAskedFor() throws Exception {
        List<AgentKey> keys = agent().keys();
        byte[] data = "session id and userauth request".getBytes(StandardCharsets.UTF_8);
        record Case(AgentKey key, String algorithm) {
        }
        for (Case c : List.of(new Case(keys.get(0), "ssh-ed25519"), new Case(keys.get(1), "ecdsa-sha2-nistp256"),
                new Case(keys.get(2), "rsa-sha2-512"), new Case(keys.get(2), "rsa-sha2-256"))) {
            byte[] signature = SshAgent.sign(c.key().identity(), data, c.algorithm());

            assertEquals(c.algorithm(), new Buffer.PlainBuffer(signature).readString(), "the agent used the algorithm asked for");
            Signature verifier = signatureFor(c.algorithm());
            verifier.initVerify(c.key().publicKey());
            verifier.update(data);
            assertTrue(verifier.verify(signature), c.algorithm() + " signature verifies with the public key");
            verifier.initVerify(c.key().publicKey());
            verifier.update("other data".getBytes(StandardCharsets.UTF_8));
            assertTrue(!verifier.verify(signature), c.algorithm() + ": and not for other data");
        }
    }

    @Test
    void anAgentThatDoesNotAnswerIsNamedWithItsSocket() {
        Path gone = dir.resolve("no-agent.sock");
        SshAgent none = SshAgent.fromEnvironment(Map.of("SSH_AUTH_SOCK", gone.toString())).orElseThrow();

        TransportException e = assertThrows(TransportException.class, none::keys);

        assertTrue(e.getMessage().startsWith("ssh-agent at " + gone + " (SSH_AUTH_SOCK) does not answer"), e.getMessage());
    }

    @Test
    void aKeyRemovedFromTheAgentIsARefusalNotASignature() throws Exception {
        Path extra = TestKeys.another(dir, "extra", "ed25519");
        agent.add(extra);
        AgentKey key = agent().keys().get(3);
        agent.delete(extra);

        TransportException e = assertThrows(TransportException.class,
                () -> SshAgent.sign(key.identity(), new byte[] {1, 2, 3}, "ssh-ed25519"));

        assertTrue(e.getMessage().startsWith("ssh-agent did not sign"), e.getMessage());
    }

    private static Signature signatureFor(String algorithm) {
        for (Factory.Named<KeyAlgorithm> f : SshConnection.config().getKeyAlgorithms()) {
            if (f.getName().equals(algorithm)) {
                return f.create().newSignature();
            }
        }
        throw new AssertionError("sshj has no " + algorithm);
    }
}

package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    @TempDir
    Path sshDir;

    @TempDir
    static Path agentDir;

    private static TestAgent agent;

    @BeforeAll
    static void startAgent() throws Exception {
        agent = TestAgent.start(agentDir);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    private static TransportOptions options(boolean askPass, boolean askBecome) {
        TransportOptions d = TransportOptions.defaults();
        return new TransportOptions(d.connectTimeout(), d.commandTimeout(), d.forks(), d.userKnownHosts(),
                List.of(), false, askPass, askBecome);
    }

    @Test
    void decryptsAnEncryptedKeyOnceWithTheEnvironmentPassphrase() throws Exception {
        Path key = TestKeys.generate(sshDir, "id_ed25519", "ed25519", "correct horse");
        AtomicInteger prompts = new AtomicInteger();
        Credentials c = Credentials.resolve(options(false, false), Map.of(Credentials.ENV_KEY_PASSPHRASE, "correct horse"),
                p -> { prompts.incrementAndGet(); return null; }, sshDir);
        var first = (ClientKey.FileKey) c.keysFor(Optional.of(key)).get(0);
        var second = (ClientKey.FileKey) c.keysFor(Optional.empty()).get(0);
        assertEquals(first.publicKey(), TestKeys.publicKey(key));
        assertTrue(first.provider() == second.provider(), "one decrypted key shared by every connection");
        assertEquals(0, prompts.get());
    }

    @Test
    void promptsForThePassphraseOnlyOnce() throws Exception {
        Path key = TestKeys.generate(sshDir, "id_ecdsa", "ecdsa", "pp");
        AtomicInteger prompts = new AtomicInteger();
        Credentials c = Credentials.resolve(options(false, false), Map.of(),
                p -> { prompts.incrementAndGet(); return "pp".toCharArray(); }, sshDir);
        for (int i = 0; i < 5; i++) {
            c.keysFor(Optional.of(key));
        }
        assertEquals(1, prompts.get());
    }

    @Test
    void namesTheEnvironmentVariableWhenThereIsNoTerminal() throws Exception {
        Path key = TestKeys.generate(sshDir, "id_rsa", "rsa", "secret");
        Credentials c = Credentials.resolve(options(false, false), Map.of(), p -> null, sshDir);
        TransportException e = assertThrows(TransportException.class, () -> c.keysFor(Optional.of(key)));
        assertTrue(e.getMessage().contains(Credentials.ENV_KEY_PASSPHRASE), e.getMessage());
    }

    @Test
    void saysWhenThePassphraseIsWrong() throws Exception {
        Path key = TestKeys.generate(sshDir, "id_ed25519", "ed25519", "right");
        Credentials c = Credentials.resolve(options(false, false), Map.of(Credentials.ENV_KEY_PASSPHRASE, "wrong"),
                p -> null, sshDir);
        TransportException e = assertThrows(TransportException.class, () -> c.keysFor(Optional.of(key)));
        assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
        assertFalse(e.getMessage().contains("right") || e.getMessage().contains(": wrong\""));
    }

    @Test
    void usesTheDefaultKeysThatExist() throws Exception {
        TestKeys.generate(sshDir, "id_ed25519", "ed25519", "");
        TestKeys.generate(sshDir, "id_rsa", "rsa", "");
        Credentials c = Credentials.resolve(options(false, false), Map.of(), p -> null, sshDir);
        assertEquals(2, c.keysFor(Optional.empty()).size());
    }

    @Test
    void noKeyAndNoPasswordIsAClearError() throws Exception {
        Credentials c = Credentials.resolve(options(false, false), Map.of(), p -> null, sshDir);
        TransportException e = assertThrows(TransportException.class, () -> c.keysFor(Optional.empty()));
        assertTrue(e.getMessage().contains("ansible_ssh_private_key_file"), e.getMessage());
    }

    @Test
    void passwordsComeFromTheEnvironmentFirstAndNeverShowInToString() throws Exception {
        Credentials c = Credentials.resolve(options(true, true),
                Map.of(Credentials.ENV_SSH_PASSWORD, "hunter2", Credentials.ENV_BECOME_PASSWORD, "sudo-pw"),
                p -> { throw new AssertionError("no prompt when the environment has it"); }, sshDir);
        assertEquals("hunter2", new String(c.sshPassword()));
        assertEquals("sudo-pw", new String(c.becomePassword()));
        assertFalse(c.toString().contains("hunter2") || c.toString().contains("sudo-pw"), c.toString());
    }

    @Test
    void askPassWithoutATerminalNamesTheVariable() {
        TransportException e = assertThrows(TransportException.class,
                () -> Credentials.resolve(options(false, true), Map.of(), p -> null, sshDir));
        assertTrue(e.getMessage().contains(Credentials.ENV_BECOME_PASSWORD), e.getMessage());
    }

    @Test
    void anEncryptedKeyFileTheAgentHoldsIsSignedByTheAgentWithoutAskingItsPassphrase() throws Exception {
        agent.deleteAll();
        Path plain = TestKeys.generate(agentDir, "held", "ed25519", "");
        agent.add(plain);
        Path encrypted = sshDir.resolve("deploy_key");
        Files.copy(plain, encrypted);
        Files.copy(Path.of(plain + ".pub"), Path.of(encrypted + ".pub"));
        TestKeys.sshKeygen("-q", "-p", "-P", "", "-N", "only the agent knows", "-f", encrypted.toString());
        Credentials c = Credentials.resolve(options(false, false), agent.env(),
                p -> { throw new AssertionError("no passphrase asked for a key the agent holds"); }, sshDir);

        List<ClientKey> keys = c.keysFor(Optional.of(encrypted));

        assertEquals(1, keys.size(), keys.toString());
        assertTrue(keys.get(0) instanceof AgentKey && keys.get(0).sameKey(TestKeys.publicKey(plain)), keys.toString());
    }

    @Test
    void offersKeyFilesTheAgentHoldsThenTheAgentsOtherKeysThenTheOtherKeyFilesAsOpenSshDoes() throws Exception {
        agent.deleteAll();
        Path agentOnly = TestKeys.generate(agentDir, "agent-only", "ed25519", "");
        Path both = TestKeys.generate(sshDir, "id_ecdsa", "ecdsa", "");
        Path fileOnly = TestKeys.another(sshDir, "id_ed25519", "ed25519");
        agent.add(agentOnly, both);
        Credentials c = Credentials.resolve(options(false, false), agent.env(), p -> null, sshDir);

        List<ClientKey> keys = c.keysFor(Optional.empty());

        assertEquals(3, keys.size(), keys.toString());
        assertTrue(keys.get(0) instanceof AgentKey && keys.get(0).sameKey(TestKeys.publicKey(both)), keys.toString());
        assertTrue(keys.get(1) instanceof AgentKey && keys.get(1).sameKey(TestKeys.publicKey(agentOnly)), keys.toString());
        assertTrue(keys.get(2) instanceof ClientKey.FileKey && keys.get(2).sameKey(TestKeys.publicKey(fileOnly)), keys.toString());
        assertEquals("2 keys from ssh-agent, 1 key file", SshConnection.describe(keys, c));
    }

    @Test
    void anAgentThatDoesNotAnswerIsNamedButKeyFilesStillServe() throws Exception {
        Path gone = agentDir.resolve("gone.sock");
        Map<String, String> env = Map.of(SshAgent.ENV_AUTH_SOCK, gone.toString());
        Credentials none = Credentials.resolve(options(false, false), env, p -> null, sshDir);
        TransportException e = assertThrows(TransportException.class, () -> none.keysFor(Optional.empty()));
        assertTrue(e.getMessage().startsWith("no SSH key: ") && e.getMessage().contains("; ssh-agent at " + gone
                + " (SSH_AUTH_SOCK) does not answer"), e.getMessage());

        Path key = TestKeys.generate(sshDir, "id_ed25519", "ed25519", "");
        Credentials c = Credentials.resolve(options(false, false), env, p -> null, sshDir);
        List<ClientKey> keys = c.keysFor(Optional.of(key));
        assertEquals(1, keys.size());
        assertTrue(SshConnection.describe(keys, c).startsWith("1 key file, ssh-agent at " + gone), SshConnection.describe(keys, c));
    }

    @Test
    void identitiesOnlyOffersTheKeyFilesAndTheirAgentCopiesButNotTheAgentsOtherKeys() throws Exception {
        agent.deleteAll();
        Path agentOnly = TestKeys.generate(agentDir, "agent-only", "ed25519", "");
        Path both = TestKeys.generate(sshDir, "id_ecdsa", "ecdsa", "");
        agent.add(agentOnly, both);
        Credentials c = Credentials.resolve(options(false, false), agent.env(), p -> null, sshDir);

        List<ClientKey> keys = c.keysFor(Optional.of(both), true);

        assertEquals(1, keys.size(), keys.toString());
        assertTrue(keys.get(0) instanceof AgentKey && keys.get(0).sameKey(TestKeys.publicKey(both)), keys.toString());
        assertEquals(2, c.keysFor(Optional.of(both), false).size(), "without it the agent's other key is offered too");
    }
}

package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    @TempDir
    Path sshDir;

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
        var first = c.keysFor(Optional.of(key)).get(0);
        var second = c.keysFor(Optional.empty()).get(0);
        assertEquals(first.getPublic(), TestKeys.publicKey(key));
        assertTrue(first == second, "one decrypted key shared by every connection");
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
}

package dev.ntpdeploy.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.common.Buffer;

/**
 * Keys made by the real ssh-keygen, so tests compare with OpenSSH rather than with ourselves. Each key is made once
 * per test JVM (a fork of ssh-keygen costs a fraction of a second, an RSA key more) and copied where a test wants
 * it: the same type and passphrase give the same key (an RSA key costs the most), {@link #another} a second one.
 */
final class TestKeys {

    /** Generated keys by "type passphrase" (or "type another"), in a directory of their own. */
    private static final Map<String, Path> MADE = new ConcurrentHashMap<>();
    private static final Path STORE;

    static {
        try {
            STORE = Files.createTempDirectory("ntpdeploy-test-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.list(STORE)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(STORE);
            } catch (IOException ignored) {
                // a temp directory left behind
            }
        }));
    }

    private TestKeys() {
    }

    /** Runs ssh-keygen; returns its stdout. */
    static String sshKeygen(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ssh-keygen";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + out);
        }
        return out;
    }

    /**
     * A key pair of the given type (ed25519, ecdsa, rsa) at dir/name (and dir/name.pub), encrypted when
     * {@code passphrase} is not empty.
     */
    static Path generate(Path dir, String name, String type, String passphrase) throws Exception {
        return copy(made(type + " " + passphrase, type, passphrase), dir.resolve(name));
    }

    /** An unencrypted key pair of the given type that differs from {@link #generate}'s (a second host's key). */
    static Path another(Path dir, String name, String type) throws Exception {
        return copy(made(type + " another", type, ""), dir.resolve(name));
    }

    private static Path copy(Path made, Path key) throws Exception {
        Files.copy(made, key, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(made + ".pub"), Path.of(key + ".pub"), StandardCopyOption.COPY_ATTRIBUTES,
                StandardCopyOption.REPLACE_EXISTING);
        return key;
    }

    private static synchronized Path made(String id, String type, String passphrase) throws Exception {
        Path key = MADE.get(id);
        if (key == null) {
            key = STORE.resolve("k" + MADE.size());
            // -a 1: one bcrypt round for an encrypted key, not ssh-keygen's 16 (the same format and code path in
            // the key reader; sixteen rounds cost a third of a second per decryption)
            // RSA at 2048 bits, the smallest size OpenSSH accepts by default: ssh-keygen takes several times longer
            // for its default 3072; the other types have one size
            String bits = type.equals("rsa") ? "2048" : "256";
            sshKeygen("-q", "-t", type, "-b", bits, "-a", "1", "-N", passphrase, "-C", "test", "-f", key.toString());
            MADE.put(id, key);
        }
        return key;
    }

    /** The public half of a generated key, as sshj reads it off the wire. */
    static PublicKey publicKey(Path privateKey) throws Exception {
        String[] f = Files.readString(Path.of(privateKey + ".pub")).trim().split(" ");
        return new Buffer.PlainBuffer(Base64.getDecoder().decode(f[1])).readPublicKey();
    }
}

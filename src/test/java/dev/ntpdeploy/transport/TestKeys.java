package dev.ntpdeploy.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.common.Buffer;

/** Keys made by the real ssh-keygen, so tests compare with OpenSSH rather than with ourselves. */
final class TestKeys {

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

    /** Generates a key pair of the given type (ed25519, ecdsa, rsa) at dir/name, optionally encrypted. */
    static Path generate(Path dir, String name, String type, String passphrase) throws Exception {
        Path key = dir.resolve(name);
        sshKeygen("-q", "-t", type, "-N", passphrase, "-C", "test", "-f", key.toString());
        return key;
    }

    /** The public half of a generated key, as sshj reads it off the wire. */
    static PublicKey publicKey(Path privateKey) throws Exception {
        String[] f = Files.readString(Path.of(privateKey + ".pub")).trim().split(" ");
        return new Buffer.PlainBuffer(Base64.getDecoder().decode(f[1])).readPublicKey();
    }
}

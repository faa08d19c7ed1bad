package dev.ntpdeploy.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/** A key offered to a host for a publickey login: one held by ssh-agent, or one read from a key file. */
sealed interface ClientKey permits AgentKey, ClientKey.FileKey {

    PublicKey publicKey();

    /** A fresh sshj method for one login (methods keep per-login state). */
    AuthMethod authMethod();

    /** Whether both are the same key, compared as SSH encodes public keys (providers may differ in Java types). */
    default boolean sameKey(PublicKey other) {
        return Arrays.equals(blob(publicKey()), blob(other));
    }

    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    /** A private key decrypted from a file (once per run, see {@link Credentials}). */
    record FileKey(Path file, KeyProvider provider) implements ClientKey {
        @Override
        public PublicKey publicKey() {
            try {
                return provider.getPublic();
            } catch (IOException e) {
                throw new IllegalStateException("a loaded key has its public half", e);
            }
        }

        @Override
        public AuthMethod authMethod() {
            return new AuthPublickey(provider);
        }

        @Override
        public String toString() {
            return "key file " + file;
        }
    }
}

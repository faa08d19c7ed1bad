package dev.ntpdeploy.transport;

import dev.ntpdeploy.Sha256;
import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** Host-key arithmetic as OpenSSH does it: key blobs, SHA256 fingerprints, known_hosts names and hashed lines. */
public final class HostKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private HostKeys() {
    }

    /** The key a host certificate certifies (a certificate itself expires, so never store it). */
    public static PublicKey plainKey(PublicKey key) {
        return key instanceof Certificate<?> cert ? cert.getKey() : key;
    }

    /** The SSH wire encoding of a public key (what known_hosts stores in base64). */
    public static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(plainKey(key)).getCompactData();
    }

    /** The key type as OpenSSH names it in known_hosts, e.g. {@code ssh-ed25519}. */
    public static String typeName(PublicKey key) {
        return KeyType.fromKey(plainKey(key)).toString();
    }

    /** {@code SHA256:<base64 without padding>}, exactly as {@code ssh-keygen -lf} prints it. */
    public static String sha256Fingerprint(PublicKey key) {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(Sha256.digest(blob(key)));
    }

    /** The name a host is known under: {@code host} on port 22, else {@code [host]:port} (lower case, as ssh). */
    public static String knownHostsName(String host, int port) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return port == 22 ? h : "[" + h + "]:" + port;
    }

    /** One hashed known_hosts line: {@code |1|base64(salt)|base64(HMAC-SHA1(salt, name)) type base64(blob)}. */
    public static String hashedLine(String knownHostsName, PublicKey key) {
        byte[] salt = new byte[20];
        RANDOM.nextBytes(salt);
        return hashedLine(knownHostsName, key, salt);
    }

    static String hashedLine(String knownHostsName, PublicKey key, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] hash = mac.doFinal(knownHostsName.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hash)
                    + " " + typeName(key) + " " + b64.encodeToString(blob(key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    }

    /** The short type ssh-keyscan takes with -t: ed25519, ecdsa, rsa, dsa. */
    static String keyscanType(PublicKey key) {
        String t = typeName(key);
        if (t.contains("ed25519")) {
            return "ed25519";
        }
        if (t.startsWith("ecdsa")) {
            return "ecdsa";
        }
        if (t.contains("rsa")) {
            return "rsa";
        }
        return t.contains("dss") ? "dsa" : t;
    }
}

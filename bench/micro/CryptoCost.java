import java.lang.management.ManagementFactory;
import java.security.*;
import javax.crypto.KeyAgreement;

/**
 * Run: java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp target/ntpdeploy.jar bench/micro/CryptoCost.java JDK|BC N
 * CPU per SSH-handshake's worth of X25519 + Ed25519 (1 keygen + 1 agree, 1 verify + 1 sign), JDK vs BouncyCastle. */
public class CryptoCost {
    public static void main(String[] a) throws Exception {
        String prov = a[0];
        int n = Integer.parseInt(a[1]);
        var bean = ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        Provider p = prov.equals("BC") ? new org.bouncycastle.jce.provider.BouncyCastleProvider() : null;
        if (p != null) Security.addProvider(p);
        long t1 = bean.getCurrentThreadCpuTime();
        KeyPairGenerator xg = p == null ? KeyPairGenerator.getInstance("X25519") : KeyPairGenerator.getInstance("X25519", p);
        KeyPair server = xg.generateKeyPair();
        KeyPairGenerator eg = p == null ? KeyPairGenerator.getInstance("Ed25519") : KeyPairGenerator.getInstance("Ed25519", p);
        KeyPair host = eg.generateKeyPair(), user = eg.generateKeyPair();
        byte[] msg = new byte[64];
        Signature hs = Signature.getInstance("Ed25519"); hs.initSign(host.getPrivate()); hs.update(msg); byte[] hsig = hs.sign();
        long t2 = bean.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            KeyPair kp = (p == null ? KeyPairGenerator.getInstance("X25519") : KeyPairGenerator.getInstance("X25519", p)).generateKeyPair();
            KeyAgreement ka = p == null ? KeyAgreement.getInstance("X25519") : KeyAgreement.getInstance("X25519", p);
            ka.init(kp.getPrivate()); ka.doPhase(server.getPublic(), true); ka.generateSecret();
            Signature v = p == null ? Signature.getInstance("Ed25519") : Signature.getInstance("Ed25519", p);
            v.initVerify(host.getPublic()); v.update(msg); if (!v.verify(hsig)) throw new AssertionError();
            Signature s = p == null ? Signature.getInstance("Ed25519") : Signature.getInstance("Ed25519", p);
            s.initSign(user.getPrivate()); s.update(msg); s.sign();
        }
        long t3 = bean.getCurrentThreadCpuTime();
        System.out.printf("%s: provider setup %.0f ms, first use %.0f ms, %d handshakes' crypto %.0f ms (%.2f ms each)%n",
                prov, (t1 - t0) / 1e6, (t2 - t1) / 1e6, n, (t3 - t2) / 1e6, (t3 - t2) / 1e6 / n);
    }
}

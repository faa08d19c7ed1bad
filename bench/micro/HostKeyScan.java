import dev.ntpdeploy.transport.HostKeyPolicy;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.security.*;
import java.util.*;
import net.schmizz.sshj.common.Buffer;

/**
 * Run: java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp target/ntpdeploy.jar bench/micro/HostKeyScan.java N
 * CPU of HostKeyPolicy checks for N hosts against a known_hosts of 2N plain lines (name + address), as lab/fleet writes it. */
public class HostKeyScan {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        List<PublicKey> keys = new ArrayList<>();
        StringBuilder kh = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            PublicKey k = g.generateKeyPair().getPublic();
            keys.add(k);
            String blob = Base64.getEncoder().encodeToString(new Buffer.PlainBuffer().putPublicKey(k).getCompactData());
            kh.append("10.139.").append(i >> 8).append('.').append(i & 255).append(" ssh-ed25519 ").append(blob).append('\n');
            kh.append("h").append(i).append(" ssh-ed25519 ").append(blob).append('\n');
        }
        Path f = Files.createTempFile("kh", "");
        Files.writeString(f, kh);
        var bean = ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        HostKeyPolicy p = new HostKeyPolicy(Path.of("/nonexistent/known_hosts"), List.of(f), false);
        long t1 = bean.getCurrentThreadCpuTime();
        for (int i = 1; i <= n; i++) {
            var c = p.newCheck();
            if (!c.verify("10.139." + (i >> 8) + "." + (i & 255), 22, keys.get(i - 1))) throw new AssertionError(c.rejection());
        }
        long t2 = bean.getCurrentThreadCpuTime();
        System.out.printf("N=%d (%d known_hosts lines): load %.0f ms CPU, %d checks %.0f ms CPU (%.2f ms per host)%n",
                n, 2 * n, (t1 - t0) / 1e6, n, (t2 - t1) / 1e6, (t2 - t1) / 1e6 / n);
        Files.delete(f);
    }
}

package dev.ntpdeploy.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs shell text with the local /bin/sh, as sshd would hand it to the login shell: for testing generated scripts. */
public final class LocalShell {

    private LocalShell() {
    }

    public static ExecResult run(String script, byte[] stdin, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readQuietly(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readQuietly(p.getErrorStream()));
        try (OutputStream os = p.getOutputStream()) {
            if (stdin != null) {
                os.write(stdin);
            }
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("local shell did not finish: " + script);
        }
        return new ExecResult(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    public static ExecResult run(String script) throws IOException, InterruptedException {
        return run(script, null, Map.of());
    }

    private static byte[] readQuietly(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}

package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH ssh-agent on a socket of its own, in the foreground (-D) so the test owns the process and stops it
 * by its handle; keys go in and out with the real ssh-add. Start one per test class: it costs a fork.
 */
public final class TestAgent implements AutoCloseable {

    private final Process process;
    private final Path socket;

    private TestAgent(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    public static TestAgent start(Path dir) throws Exception {
        Path socket = dir.resolve("agent.sock");
        Process p = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroy();
                throw new IllegalStateException("ssh-agent did not create its socket: " + Files.readString(dir.resolve("agent.log")));
            }
            Thread.onSpinWait();
        }
        return new TestAgent(p, socket);
    }

    public Path socket() {
        return socket;
    }

    /** The environment a process using this agent has. */
    public Map<String, String> env() {
        return Map.of(SshAgent.ENV_AUTH_SOCK, socket.toString());
    }

    public void add(Path... keys) throws Exception {
        for (Path key : keys) {
            sshAdd(key.toString());
        }
    }

    public void delete(Path key) throws Exception {
        sshAdd("-d", key.toString());
    }

    public void deleteAll() throws Exception {
        sshAdd("-D");
    }

    private void sshAdd(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh-add", "-q"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(SshAgent.ENV_AUTH_SOCK, socket.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}

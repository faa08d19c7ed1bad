package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.inventory.ConnectionSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sudo handling apart from SSH. The stderr texts are sudo 1.9's own (Debian 12's sudo 1.9.13p3: wrong password,
 * none given, not in sudoers, and the requiretty refusal of RHEL 6/7's default sudoers).
 */
class BecomeTest {

    @TempDir
    Path sshDir;

    final List<String> ran = new ArrayList<>();

    private Become become(String user, boolean become, Map<String, String> env) throws Exception {
        TransportOptions d = TransportOptions.defaults();
        TransportOptions o = new TransportOptions(d.connectTimeout(), d.commandTimeout(), d.forks(), d.userKnownHosts(),
                List.of(), false, false, false);
        return new Become("h1", new ConnectionSpec("10.0.0.1", 22, user, Optional.empty(), become, "root"),
                Credentials.resolve(o, env, p -> null, sshDir));
    }

    private Become.Runner answering(ExecResult r) {
        return (command, stdin, timeout) -> {
            ran.add(command);
            return r;
        };
    }

    @Test
    void rootRunsTheCommandAsItIs() throws Exception {
        ExecResult r = become("root", false, Map.of()).exec(answering(new ExecResult(0, "ok", "")), "id -u", null,
                Duration.ofSeconds(5));
        assertEquals("ok", r.stdout());
        assertEquals(List.of("id -u"), ran);
    }

    @Test
    void aSudoRefusalIsABecomeFailureNotATransportOne() throws Exception {
        Become b = become("ops", true, Map.of());
        BecomeException e = assertThrows(BecomeException.class, () -> b.exec(
                answering(new ExecResult(1, "", "ops is not in the sudoers file.  This incident will be reported.\n")),
                "id -u", null, Duration.ofSeconds(5)));
        assertFalse(TransportException.class.isInstance(e), "a refusal is not an SSH failure");
        assertEquals("h1: sudo (ops -> root) is not allowed for this user: fix sudoers on the host or ansible_become_user",
                e.getMessage());
        assertTrue(ran.get(0).startsWith("sudo -n -u 'root' -- sh -c "), ran.get(0));
    }

    @Test
    void aCommandsOwnFailureIsItsResult() throws Exception {
        ExecResult r = become("ops", true, Map.of()).exec(
                answering(new ExecResult(1, "", "cat: /x: No such file or directory\n")), "cat /x", null,
                Duration.ofSeconds(5));
        assertEquals(1, r.exitCode());
    }

    @Test
    void rootNeededWithoutBecomeSaysHowToGetIt() throws Exception {
        BecomeException e = assertThrows(BecomeException.class, () -> become("ops", false, Map.of())
                .exec(answering(new ExecResult(0, "", "")), "id -u", null, Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("set ansible_become: true"), e.getMessage());
        assertEquals(List.of(), ran, "nothing ran");
    }

    @Test
    void thePasswordIsTheFirstStdinLine() throws Exception {
        List<byte[]> stdins = new ArrayList<>();
        become("ops", true, Map.of(Credentials.ENV_BECOME_PASSWORD, "s3cret")).exec((command, stdin, timeout) -> {
            stdins.add(stdin.clone());
            return new ExecResult(0, "", "");
        }, "cat", "data\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
        assertEquals("s3cret\ndata\n", new String(stdins.get(0), StandardCharsets.UTF_8));
    }

    @Test
    void passwordLineThenStdin() {
        byte[] b = Become.withPasswordLine("pä ss".toCharArray(), "data\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("pä ss\ndata\n", new String(b, StandardCharsets.UTF_8));
        assertEquals("x\n", new String(Become.withPasswordLine("x".toCharArray(), null), StandardCharsets.UTF_8));
    }

    @Test
    void mapsSudoRefusalsToTheFix() {
        String need = refusal(1, "sudo: a password is required\n");
        assertTrue(need.contains("NTPDEPLOY_BECOME_PASSWORD") && need.contains("--ask-become-pass"), need);
        assertTrue(refusal(1, "Sorry, try again.\nsudo: 3 incorrect password attempts\n")
                .contains("rejected the become password"));
        assertTrue(refusal(1, "Sorry, try again.\nsudo: no password was provided\nsudo: 1 incorrect password attempt\n")
                .contains("rejected the become password"));
        assertTrue(refusal(1, "ops is not in the sudoers file.\n").contains("not allowed"));
        assertTrue(refusal(1, "sudo: sorry, you must have a tty to run sudo\n").contains("requiretty"));
        assertEquals(Optional.empty(), Become.refusal(new ExecResult(1, "", "cat: /x: No such file or directory\n"),
                "ops", "root"));
        assertEquals(Optional.empty(), Become.refusal(new ExecResult(0, "", "sudo: a password is required"), "ops", "root"));
    }

    private static String refusal(int rc, String stderr) {
        return Become.refusal(new ExecResult(rc, "", stderr), "ops", "root").orElseThrow();
    }
}

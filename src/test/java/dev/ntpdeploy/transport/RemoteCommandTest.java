package dev.ntpdeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"plain", "", "it's", "''", "'\\''", "$(touch /tmp/ntpdeploy-pwned)", "`id`", "$HOME ${PATH}",
            "a\nb\n\nc", "tab\there", "back\\slash\\", "\"double\" 'single'", "*?[a-z] ~root", "; rm -rf / #", "-n", "ünïcödé"})
    void quotedTextReachesTheCommandUnchanged(String s) throws Exception {
        ExecResult r = LocalShell.run("printf '%s' " + RemoteCommand.quote(s));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(s, r.stdout());
    }

    @Test
    void quotedCommandSurvivesTheTimeoutWrapper() throws Exception {
        String nasty = "printf '%s|' \"it's\" '$(id)' \"$LC_ALL\"";
        ExecResult r = LocalShell.run(RemoteCommand.withTimeout(nasty, Duration.ofSeconds(5)));
        assertEquals("it's|$(id)|C|", r.stdout());
    }

    @Test
    void wrapsEveryCommandInTimeoutWithCLocale() {
        assertEquals("LC_ALL=C timeout -k 5 3 sh -c 'echo '\\''hi'\\'''",
                RemoteCommand.withTimeout("echo 'hi'", Duration.ofMillis(2500)));
        assertEquals("LC_ALL=C timeout -k 5 1 sh -c 'true'", RemoteCommand.withTimeout("true", Duration.ofMillis(1)));
    }

    @Test
    void sudoWithoutPasswordNeverWaitsForOne() {
        String s = Become.sudo("id -u", "root", false);
        assertTrue(s.startsWith("sudo -n -u 'root' -- sh -c "), s);
        assertFalse(s.contains("-S"), s);
    }

    @Test
    void sudoWithPasswordReadsItWithoutPromptOrPty() {
        String s = Become.sudo("id -u", "root", true);
        assertTrue(s.contains("sudo -S -p '' -u 'root' -- sh -c "), s);
        assertFalse(s.contains(" -t"), s);
    }

    /** A stand-in sudo: prompts (reads one line from stdin) only when PW_NEEDED=1, like sudo -S with or without NOPASSWD. */
    private static Path fakeSudo(Path dir) throws Exception {
        Path sudo = dir.resolve("sudo");
        Files.writeString(sudo, """
                #!/bin/sh
                # usage as ntpdeploy calls it: sudo (-n|-S -p '') -u USER -- sh -c CMD
                mode=$1; shift
                if [ "$mode" = "-S" ]; then shift 2; fi
                shift 2; shift  # -u USER --
                if [ "$PW_NEEDED" = 1 ]; then
                  if [ "$mode" = "-n" ]; then echo "sudo: a password is required" >&2; exit 1; fi
                  IFS= read -r pw || { echo "sudo: no password was provided" >&2; exit 1; }
                  if [ "$pw" != "s3cret pass" ]; then echo "Sorry, try again." >&2; echo "sudo: 1 incorrect password attempt" >&2; exit 1; fi
                fi
                exec "$@"
                """);
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "0"})
    void passwordLineIsConsumedOnceAndTheRestReachesTheCommand(String pwNeeded, @TempDir Path dir) throws Exception {
        fakeSudo(dir);
        byte[] stdin = Become.withPasswordLine("s3cret pass".toCharArray(),
                "line one\nit's $(two)\n".getBytes(StandardCharsets.UTF_8));
        String script = RemoteCommand.withTimeout(Become.sudo("cat; echo \"[$LC_ALL]\"", "root", true), Duration.ofSeconds(5));
        ExecResult r = LocalShell.run(script, stdin,
                Map.of("PATH", dir + ":" + System.getenv("PATH"), "PW_NEEDED", pwNeeded));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("line one\nit's $(two)\n[C]\n", r.stdout(), "the password must never reach the command");
    }

    @Test
    void sudoRefusalsAreRecognised(@TempDir Path dir) throws Exception {
        fakeSudo(dir);
        Map<String, String> env = Map.of("PATH", dir + ":" + System.getenv("PATH"), "PW_NEEDED", "1");
        ExecResult noPw = LocalShell.run(Become.sudo("true", "root", false), null, env);
        assertTrue(noPw.stderr().contains("a password is required"), noPw.stderr());
        ExecResult wrong = LocalShell.run(Become.sudo("true", "root", true),
                Become.withPasswordLine("nope".toCharArray(), null), env);
        assertTrue(wrong.stderr().contains("incorrect password"), wrong.stderr());
    }
}

package dev.ntpdeploy.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ntpdeploy.transport.ExecResult;
import dev.ntpdeploy.transport.LocalShell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The remote scripts as files: every one passes shellcheck, every captured output names the script that produced it
 * and is still that script's output, and the one output format reads back what the shell functions write.
 */
class RemoteScriptTest {

    static final Path REMOTE = Path.of("src/main/resources/remote");
    static final List<Path> CAPTURES = List.of(Path.of("src/test/resources/probe"), Path.of("src/test/resources/restart"));
    static final Pattern HEADER = Pattern.compile("(?m)^# script: (\\S+) sha256=([0-9a-f]{64})$");

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** One shellcheck process for every script (STYLE: remote scripts are linted in the build). */
    @Test
    void everyRemoteScriptPassesShellcheck() throws Exception {
        Assumptions.assumeTrue(LocalShell.run("command -v shellcheck").exitCode() == 0,
                "shellcheck is not installed here (apt-get install shellcheck)");
        List<Path> scripts = files(REMOTE, ".sh");
        assertTrue(scripts.size() >= 5, scripts.toString());
        StringBuilder cmd = new StringBuilder("shellcheck -s sh");
        scripts.forEach(p -> cmd.append(" '").append(p).append('\''));
        ExecResult r = LocalShell.run(cmd.toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    }

    /** A capture is pinned to its script: when the script changes, capture it again (lab/capture-fact). */
    @Test
    void everyCaptureWasProducedByTheScriptAsItIsNow() throws Exception {
        List<String> stale = new ArrayList<>();
        int n = 0;
        for (Path dir : CAPTURES) {
            for (Path capture : files(dir, ".txt")) {
                n++;
                Matcher m = HEADER.matcher(Files.readString(capture, StandardCharsets.UTF_8));
                if (!m.find()) {
                    stale.add(capture + ": no '# script: NAME sha256=HEX' header");
                } else if (!RemoteScript.of(m.group(1)).sha256().equals(m.group(2))) {
                    stale.add(capture + ": captured from another text of " + m.group(1) + " than remote/" + m.group(1)
                            + " now; capture it again with lab/capture-fact");
                }
            }
        }
        assertTrue(n >= 10, "captures found: " + n);
        assertEquals(List.of(), stale);
    }

    @Test
    void argumentsArePositionalParametersNeverScriptText() {
        String nasty = "/etc/it's $(reboot)\n`id`/ntp.conf";
        String cmd = new NtpProbe(nasty).command();
        assertTrue(cmd.startsWith("set -- " + dev.ntpdeploy.transport.RemoteCommand.quote(nasty) + " 'ntpq' 'client'\n"),
                cmd);
        assertEquals(NtpProbe.SCRIPT.text(), cmd.substring(cmd.indexOf("\n", cmd.indexOf("ntp.conf'")) + 1));
        assertFalse(NtpProbe.SCRIPT.text().contains("reboot"));
    }

    @Test
    void theFormatReadsBackWhatTheShellFunctionsWrite() throws Exception {
        String script = RemoteScript.file("common.sh") + """
                val one "$1"
                sec many; printf 'a\\nb\\n\\n'
                sec many; echo c
                val start.ntpd_pid 42
                sec end
                """;
        ExecResult r = LocalShell.run(new RemoteScript("t.sh", script).command(List.of(" it's\tspaced ")));
        ScriptOutput out = ScriptOutput.parse("noise before any section\n" + r.stdout());
        assertEquals(List.of(" it's\tspaced "), out.lines("one"));
        assertEquals(List.of(List.of("a", "b"), List.of("c")), out.all("many").stream().map(ScriptOutput.Section::lines).toList());
        assertEquals("42", out.within("start").value("ntpd_pid").orElseThrow());
        assertTrue(out.complete());
        assertFalse(ScriptOutput.parse("@@ntpdeploy:one@@\nx\n").complete());
    }
}

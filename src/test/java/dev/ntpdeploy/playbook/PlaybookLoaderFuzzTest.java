package dev.ntpdeploy.playbook;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ntpdeploy.FuzzSeeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any file given as a playbook loads into a {@link Playbook} or is refused with a {@link PlaybookException}: nothing
 * else escapes. The bytes go through a file, as an operator's do. Seeds: the shipped playbooks and this test's
 * inputs directory; see docs/fuzzing.md.
 */
class PlaybookLoaderFuzzTest {

    private static final Path FILE = FuzzSeeds.tempFile(".yml");

    static Stream<Arguments> examples() {
        return FuzzSeeds.projectFiles("playbooks");
    }

    /** A playbook's words and YAML's structure, in libFuzzer's dictionary syntax (newline: x0A). */
    @DictionaryEntries({"- hosts: ", "name: ", "serial: ", "max_fail_percentage: ", "any_errors_fatal: ",
        "tasks:", "- ntp_config: {}", "- verify: ", "wait: ", "timeout: ", "- pause: ", "minutes: ", "seconds: ", "true", "false", "10%", "'50%'",
        "[1, '10%', '50%']", "-1", "0", "12.5", "5m", "1h30m", "\\x0A  ", "\\x0A    ", "\\x0A- ", ": {", "}", ": [",
        "]", ", ", "&a ", "*a", "!!str ", "---\\x0A", "'", "\\\"", "~"})
    @MethodSource("examples")
    @FuzzTest
    void anyFileIsAPlaybookOrARefusal(byte[] yaml) throws IOException {
        Files.write(FILE, yaml);
        try {
            assertNotNull(PlaybookLoader.load(FILE));
        } catch (PlaybookException e) {
            assertNotNull(e.getMessage());
        }
    }
}

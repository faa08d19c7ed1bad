package dev.ntpdeploy.inventory;

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
 * Any file given as an inventory loads into an {@link Inventory} or is refused with an {@link InventoryException}:
 * nothing else escapes (no parser internals, no stack overflow). The bytes go through a file, as an operator's do,
 * so encoding errors are covered too; a file that is not a YAML mapping is read as INI, so INI (and its literal_eval
 * escapes) is fuzzed too. Seeds: the example inventories and this test's inputs directory; see
 * docs/fuzzing.md.
 */
class InventoryLoaderFuzzTest {

    private static final Path FILE = FuzzSeeds.tempFile(".yml");

    static Stream<Arguments> examples() {
        return FuzzSeeds.projectFiles("inventories");
    }

    /**
     * The words of an inventory and of YAML's structure, so mutations build groups, hosts and nesting. Written in
     * libFuzzer's dictionary syntax: a newline is the escape x0A, a double quote is escaped with a backslash.
     */
    @DictionaryEntries({"all:", "children:", "hosts:", "vars:", "masters:", "clients:", "ansible_host:",
        "ansible_port:", "ansible_user:", "ntp_upstream:", "ntp_allow:", "ntp_flavor:", "ntp_local_clock:",
        "ntp_orphan_stratum:", "ntp_conf_path:", "\\x0A  ", "\\x0A    ", ": {", "}", ": [", "]", ", ", "- ", "&a ",
        "*a", "<<: ", "!!str ", "---\\x0A", "'", "\\\"", "~", "0x1F", "10.0.0.1", "::1", "/24",
        "[masters]\\x0A", ":vars]\\x0A", ":children]\\x0A", "=", "\\\"'", "'\\\"", "\\\\n", "\\\\x00", "\\\\u202e",
        "[01:50]", "['a', 'b']"})
    @MethodSource("examples")
    @FuzzTest
    void anyFileIsAnInventoryOrARefusal(byte[] yaml) throws IOException {
        Files.write(FILE, yaml);
        try {
            assertNotNull(InventoryLoader.load(FILE));
        } catch (InventoryException e) {
            assertNotNull(e.getMessage());
        }
    }
}

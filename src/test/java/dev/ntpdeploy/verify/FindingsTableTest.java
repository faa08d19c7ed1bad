package dev.ntpdeploy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/verify.md's findings table is generated from the catalogue ({@link FindingCode}): this test fails when the
 * committed table is stale. To regenerate it after changing the catalogue:
 * {@code mvn -B -q -o test -Dtest=FindingsTableTest -Dfindings.update=true}, then commit docs/verify.md.
 */
class FindingsTableTest {

    static final Path DOC = Path.of("docs/verify.md");
    static final String BEGIN = "<!-- findings table: generated from src/main/java/dev/ntpdeploy/verify/FindingCode.java"
            + " by FindingsTableTest (-Dfindings.update=true rewrites it); edit the catalogue, not this table -->";
    static final String END = "<!-- end of findings table -->";

    /** The table as the catalogue says it, in catalogue order. */
    static String table() {
        return "| code | sev | cause |\n|---|---|---|\n" + java.util.Arrays.stream(FindingCode.values())
                .map(c -> "| " + c.code() + " | " + severity(c) + " | " + c.summary().replace("|", "\\|") + " |\n")
                .collect(Collectors.joining());
    }

    /** C, W or I; a downgrade says when it is W; a finding that leaves the state unknown says so. */
    static String severity(FindingCode c) {
        String s = c.severity().name().substring(0, 1);
        String when = c.downgrades().stream().map(d -> "W " + d.when()).collect(Collectors.joining("; "));
        if (!when.isEmpty()) {
            s += " (" + when + ")";
        }
        return c.stateUnknown() ? s + " (status UNKNOWN)" : s;
    }

    @Test
    void docsTableIsTheCatalogues() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, DOC + " must hold the markers " + BEGIN + " ... " + END);
        String current = doc.substring(begin + BEGIN.length() + 1, end);
        String wanted = table();
        if (!current.equals(wanted) && Boolean.getBoolean("findings.update")) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length() + 1) + wanted + doc.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(wanted, current, DOC + "'s findings table is stale: run `mvn -B -q -o test -Dtest=FindingsTableTest"
                + " -Dfindings.update=true` and commit " + DOC);
    }
}

package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every key and value passes the one check of {@link SafeText}, whichever source wrote it: an INI value whose
 * literal_eval escapes make a newline would otherwise inject a line into ntp.conf, as a YAML value cannot.
 */
class SafeTextTest {

    @TempDir
    Path dir;

    private static final String CLIENTS = "[clients]\nc1 ansible_host=10.0.0.2\n";

    private Path file(String name, String text) throws IOException {
        return InventoryFiles.write(dir, name, text);
    }

    private String error(Path inv) {
        return InventoryFiles.refusal(inv);
    }

    @Test
    void iniGroupVarWithAnEscapedNewlineIsRefusedWhereItIsWritten() throws Exception {
        // literal_eval turns "a\nserver evil" into two lines; rendered, the second would be a directive of its own
        Path inv = file("hosts.ini", "[masters]\nm1\n[masters:vars]\nntp_upstream=\"a\\nserver evil\"\n" + CLIENTS);
        assertEquals(inv + ":4:14: 'ntp_upstream' contains a newline (U+000A) (it could inject directives into"
                + " ntp.conf: write the value on one line, without it)", error(inv));
    }

    @Test
    void iniHostVarsWithEscapedControlAndInvisibleCharactersAreRefused() throws Exception {
        Path inv = file("hosts.ini", "[masters]\nm1 datacenter=\"'fra\\x00'\"\n" + CLIENTS);
        assertTrue(error(inv).startsWith(inv + ":2:4: 'datacenter' contains a control character (U+0000)"), error(inv));
        file("hosts.ini", "[masters]\nm1 site=\"'\\u202eevil'\"\n" + CLIENTS);
        assertTrue(error(inv).startsWith(inv + ":2:4: 'site' contains an invisible format character (U+202E)"), error(inv));
        file("hosts.ini", "[masters]\nm1 site=\"['ok', 'b\\rad']\"\n" + CLIENTS);
        assertTrue(error(inv).startsWith(inv + ":2:4: an item of 'site' contains a carriage return"), error(inv));
        file("hosts.ini", "[masters]\nm1 site=\"{'k\\n': 1}\"\n" + CLIENTS);
        assertTrue(error(inv).startsWith(inv + ":2:4: a key contains a newline"), error(inv));
    }

    @Test
    void iniValueOverTheLengthLimitIsRefused() throws Exception {
        // 'x' * 5000 written out: literal_eval's concatenation of short strings makes a long one too
        String parts = "'" + "x".repeat(1000) + "' ";
        Path inv = file("hosts.ini", "[masters]\nm1\n[masters:vars]\nnote=" + parts.repeat(5) + "\n" + CLIENTS);
        assertTrue(error(inv).startsWith(inv + ":4:6: a value of 5,000 characters in 'note', over ntpdeploy's limit"
                + " of 4,096 characters"), error(inv));
    }

    @Test
    void iniListOverTheItemLimitIsRefused() throws Exception {
        Path inv = file("hosts.ini", "[masters]\nm1 many=\"[" + "1,".repeat(1001) + "]\"\n" + CLIENTS);
        assertTrue(error(inv).contains("item 1,001 of 'many', over ntpdeploy's limit of 1,000 items"), error(inv));
    }

    @Test
    void iniGroupNameWithAnInvisibleCharacterIsRefused() throws Exception {
        // a raw control character is refused by the reading of the file's text already, host names by their grammar
        Path inv = file("hosts.ini", "[masters]\nm1\n[web\u200b]\nc2\n" + CLIENTS);
        assertTrue(error(inv).startsWith(inv + ":3:1: a key contains an invisible format character (U+200B)"), error(inv));
    }

    @Test
    void groupVarsJsonFileWithAnEscapedNewlineIsRefused() throws Exception {
        Path inv = file("hosts.ini", "[masters]\nm1\n" + CLIENTS);
        Path vars = file("group_vars/masters.json", "{\"ntp_extra\": [\"ok\", \"x\\u000aserver evil\"]}\n");
        assertTrue(error(inv).startsWith(vars + ":1:"), error(inv));
        assertTrue(error(inv).contains("contains a newline (U+000A)"), error(inv));
    }

    @Test
    void yamlEscapesAreRefusedAsBefore() throws Exception {
        Path inv = file("inv.yml", "all:\n  children:\n    masters:\n      hosts:\n        m1: {site: \"a\\u202eb\"}\n");
        assertTrue(error(inv).startsWith(inv + ":5:"), error(inv));
        assertTrue(error(inv).contains("contains an invisible format character (U+202E)"), error(inv));
    }
}

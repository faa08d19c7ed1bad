package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** literal_eval and shlex as Ansible's INI plugin uses them; expected values are Python 3.11's. */
class PythonLiteralTest {

    private static Object eval(String s) throws Exception {
        return PythonLiteral.eval(s).map(v -> v[0]).orElse("<text>");
    }

    @Test
    void literalsAndNonLiterals() throws Exception {
        assertEquals(80L, eval("80"));
        assertEquals(-5L, eval("-5"));
        assertEquals(31L, eval("0x1F"));
        assertEquals(15L, eval("0o17"));
        assertEquals(1000L, eval("1_000"));
        assertEquals(1.5, eval("1.5"));
        assertEquals(1000.0, eval("1e3"));
        assertEquals(true, eval("True"));
        assertEquals(null, PythonLiteral.eval("None").orElseThrow()[0]);
        assertEquals("a b", eval("'a b'"));
        assertEquals("ab", eval("'a' \"b\""));
        assertEquals("a\nb", eval("'a\\nb'"));
        assertEquals(List.of(1L, "x", List.of(2L)), eval("[1, 'x', [2]]"));
        assertEquals(List.of(1L, 2L), eval("(1, 2,)"));
        assertEquals(Map.of("k", 1L, "2", "v"), eval("{'k': 1, 2: 'v'}"));
        assertEquals(7L, eval("7 # a comment"));
        for (String text : List.of("yes", "0644", "1+2", "a b", "x=1", "[1,", "'open", "true", "12abc", "-'x'")) {
            assertEquals("<text>", eval(text), text);
        }
        assertThrows(PythonLiteral.Unsupported.class, () -> eval("{1, 2}"));
        assertThrows(PythonLiteral.Unsupported.class, () -> eval("1j"));
    }

    @Test
    void shlexSplitsHostLinesAsPython() {
        assertEquals(List.of("h", "a=two words", "b=x", "c=it's", "d=a \"q\" \\z", "e=a b"),
                words("h a='two words' b=x c=\"it's\" d=\"a \\\"q\\\" \\z\" e=a\\ b"));
        assertEquals(List.of("h", "b=x"), words("h b=x#comment c=1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shlex.split("h a='open"));
        assertTrue(e.getMessage().contains("no closing quotation"));
    }

    private static List<String> words(String line) {
        return Shlex.split(line).stream().map(Shlex.Token::text).toList();
    }
}

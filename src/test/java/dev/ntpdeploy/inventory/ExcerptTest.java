package dev.ntpdeploy.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExcerptTest {

    @Test
    void quotesShortValuesWhole() {
        assertEquals("'ntp1.example.net'", Excerpt.quote("ntp1.example.net"));
        assertEquals("''", Excerpt.quote(""));
        String eighty = "a".repeat(80);
        assertEquals("'" + eighty + "'", Excerpt.quote(eighty));
    }

    @Test
    void cutsLongValuesAndSaysHowLongTheyWere() {
        assertEquals("'" + "a".repeat(79) + "…' (81 characters)", Excerpt.quote("a".repeat(81)));
        assertEquals("'" + "b".repeat(79) + "…' (5,242,880 characters)", Excerpt.quote("b".repeat(5 * 1024 * 1024)));
    }

    @Test
    void neverCutsACharacterInHalf() {
        String clef = "\uD834\uDD1E"; // U+1D11E: one character, two Java chars; a cut after 79 chars would split it
        String s = "a".repeat(78) + clef + "tail";
        assertEquals("'" + "a".repeat(78) + clef + "…' (83 characters)", Excerpt.quote(s));
    }

    @Test
    void showsControlAndInvisibleCharactersAsEscapesSoAMessageStaysOneLine() {
        assertEquals("'a\\u000Ab\\u202Ec'", Excerpt.quote("a\nb\u202Ec"));
    }
}

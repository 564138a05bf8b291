package org.opentrunk.core.numbering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** IC-CNAM-OUT: what an operator may store as an outbound caller name. */
@Tag("IC-CNAM-OUT")
class CnamNameTest {

    private static String refusal(String name) {
        return assertThrows(InvalidCnamNameException.class, () -> CnamName.of(name)).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ACME CORP", "Bob's Diner", "A", "AT&T", "Smith, J.", "Hello-World!", "Who? 24 7",
            "FIFTEEN CHARS 1"})
    void namesInTheCnamSetOfAtMostFifteenCharactersAreStored(String name) {
        assertEquals(name, CnamName.of(name).value());
    }

    @Test
    void surroundingWhitespaceIsTrimmed() {
        assertEquals("Padded", CnamName.of("  Padded  ").value());
        assertEquals("Padded", new CnamName("\tPadded\n").toString());
        assertEquals("Fifteen chars 1", CnamName.of("   Fifteen chars 1   ").value());
    }

    @Test
    void moreThanFifteenCharactersIsRefused() {
        assertEquals("name is 16 characters; CNAM allows at most 15", refusal("SIXTEEN CHARS 12"));
        assertEquals("name is 18 characters; CNAM allows at most 15", refusal("ACME WIDGETS, INC."));
    }

    @Test
    void charactersOutsideTheCnamSetAreRefusedByName() {
        assertEquals("name contains 'é' (U+00E9), which CNAM does not allow;"
                + " use letters A-Z and a-z, digits 0-9, space and , . - & ' ! ?", refusal("Café"));
        assertEquals("name contains '#', '@', which CNAM does not allow;"
                + " use letters A-Z and a-z, digits 0-9, space and , . - & ' ! ?", refusal("#1 @ Joe's #"));
        assertEquals("name contains U+0009, which CNAM does not allow;"
                + " use letters A-Z and a-z, digits 0-9, space and , . - & ' ! ?", refusal("Tab\there"));
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertEquals("name is 20 characters; CNAM allows at most 15; name contains '*', which CNAM does not"
                + " allow; use letters A-Z and a-z, digits 0-9, space and , . - & ' ! ?", refusal("*** BEST PIZZA ***"
                + "xx"));
    }

    @Test
    void emptyOrMissingIsRefused() {
        assertEquals("name is empty", refusal(""));
        assertEquals("name is empty", refusal("    "));
        assertEquals("name is missing", refusal(null));
    }

    @Test
    void theCharacterSetIsExactlyTheDocumentedOne() {
        StringBuilder allowed = new StringBuilder();
        for (int c = 0; c < 0x250; c++) {
            if (CnamName.isAllowed(c)) {
                allowed.appendCodePoint(c);
            }
        }
        assertEquals(" !&',-.0123456789?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", allowed.toString());
        assertEquals(",.-&'!?", CnamName.ALLOWED_PUNCTUATION);
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        // 15 emoji are 30 UTF-16 units; the message must still say 15 characters and refuse them for the set.
        String fifteenEmoji = "\uD83D\uDE00".repeat(15);
        assertEquals("name contains '\uD83D\uDE00' (U+1F600), which CNAM does not allow;"
                + " use letters A-Z and a-z, digits 0-9, space and , . - & ' ! ?", refusal(fifteenEmoji));
    }
}

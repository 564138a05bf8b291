package org.opentrunk.core.cnam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("IC-CNAM-IN")
class CnamDisplayNameTest {

    @Test
    void aPlainNameStaysAsItIs() {
        assertEquals(Optional.of("JOHN SMITH"), CnamDisplayName.sanitize("JOHN SMITH"));
        assertEquals(Optional.of("O'Brien, Pat"), CnamDisplayName.sanitize("O'Brien, Pat"));
    }

    @Test
    void onlyTheFirstLineCounts() {
        assertEquals(Optional.of("JOHN SMITH"), CnamDisplayName.sanitize("JOHN SMITH\r\n"));
        assertEquals(Optional.of("JOHN"), CnamDisplayName.sanitize("\r\nJOHN\r\nVia: SIP/2.0/UDP evil"));
    }

    @Test
    void quotesBackslashesAndControlsCannotEscapeTheDisplayName() {
        assertEquals(Optional.of("Evil <sip:x>"), CnamDisplayName.sanitize("\"Evil\\\" <sip:x>"));
        assertEquals(Optional.of("A B C"), CnamDisplayName.sanitize("  A\t\u0000B \u001b C  "));
    }

    @Test
    void nonAsciiIsDroppedNotReplaced() {
        assertEquals(Optional.of("Mller"), CnamDisplayName.sanitize("M\u00fcller"));
        assertEquals(Optional.of("ACME"), CnamDisplayName.sanitize("\u202eACME\u200b"));
    }

    @Test
    void longNamesAreCutToTheCnamLength() {
        assertEquals(Optional.of("ABCDEFGHIJKLMNO"), CnamDisplayName.sanitize("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
        assertEquals(CnamDisplayName.MAX_LENGTH, CnamDisplayName.sanitize("X".repeat(1000)).orElseThrow().length());
        assertEquals(Optional.of("ABCDEFGHIJKLMN"), CnamDisplayName.sanitize("ABCDEFGHIJKLMN OPQ"),
                "no trailing space after the cut");
    }

    @Test
    void nothingDisplayableIsNoName() {
        assertEquals(Optional.empty(), CnamDisplayName.sanitize(null));
        assertEquals(Optional.empty(), CnamDisplayName.sanitize(""));
        assertEquals(Optional.empty(), CnamDisplayName.sanitize(" \r\n\t "));
        assertEquals(Optional.empty(), CnamDisplayName.sanitize("\"\\\"\u00e9"));
    }
}

package org.opentrunk.core.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-TAG. */
@Tag("IC-TAG")
class XTagTest {

    private static Optional<String> tag(String raw) {
        return XTag.of(raw).map(XTag::value);
    }

    @Test
    void shortValuesAreKeptTrimmed() {
        assertEquals(Optional.of("order-4711"), tag("  order-4711 "));
    }

    @Test
    void longValuesAreTruncatedNeverRejected() {
        String forty = "0123456789012345678901234567890123456789";
        assertEquals(Optional.of(forty.substring(0, XTag.MAX_LENGTH)), tag(forty));
        assertEquals(Optional.of("a".repeat(31)), tag("a".repeat(31) + " bcdef"), "no trailing space after the cut");
        assertEquals(32, tag("😀".repeat(40)).orElseThrow().codePointCount(0, 64), "characters, not UTF-16 units");
    }

    @Test
    void controlCharactersAreRemoved() {
        assertEquals(Optional.of("campaign;7"), tag("camp\u0000aign;\r\n7\u001b"));
        assertEquals(Optional.of("ab"), tag("a\u2028b\u0085"));
        assertEquals(Optional.empty(), tag("\t\r\n "));
        assertEquals(Optional.empty(), tag(null));
    }

    @Test
    void inviteBeatsTheAnswer() {
        assertEquals(Optional.of("from-invite"),
                XTag.choose(List.of("from-invite"), List.of("from-200")).map(XTag::value));
        assertEquals(Optional.of("from-200"),
                XTag.choose(List.of(), List.of("from-200")).map(XTag::value));
        assertEquals(Optional.of("from-200"),
                XTag.choose(List.of("  \u0000 "), List.of("from-200")).map(XTag::value), "an empty tag is no tag");
        assertEquals(Optional.of("second"),
                XTag.choose(Arrays.asList(null, "", "second"), null).map(XTag::value));
        assertEquals(Optional.empty(), XTag.choose(null, null));
    }

    @Test
    void theRecordOnlyHoldsCleanValues() {
        assertThrows(IllegalArgumentException.class, () -> new XTag(" padded "));
        assertThrows(IllegalArgumentException.class, () -> new XTag("x".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> new XTag("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> new XTag(""));
    }
}

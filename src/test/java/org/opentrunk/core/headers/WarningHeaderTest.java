package org.opentrunk.core.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** RFC 3261 section 20.43: {@code 399 agent "text"}, safe whatever the text quotes. */
@Tag("IC-E164")
class WarningHeaderTest {

    @Test
    void textIsQuotedEscapedCleanedAndBounded() {
        assertEquals("399 trunk.test \"dial +44\"", WarningHeader.value("trunk.test", "dial +44"));
        assertEquals("399 t \"a \\\"b\\\" c\\\\ dx\"", WarningHeader.value("t", "a \"b\" c\\ d\r\nx\u00e9"));
        String longText = WarningHeader.value("t", "x".repeat(1000));
        assertTrue(longText.length() <= "399 t \"\"".length() + WarningHeader.MAX_TEXT_LENGTH, longText);
        assertEquals("399 t \"\"", WarningHeader.value("t", null));
    }
}

package org.opentrunk.core.numbering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** IC-CNAM-OUT: toll-free numbers, Canadian numbers and iNums cannot hold CNAM storage. */
@Tag("IC-CNAM-OUT")
class CnamEligibilityTest {

    private static E164Number n(String number) {
        return NumberParser.parseOrThrow(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+12066418000", "+12025550123", "+442079460000"})
    void ordinaryNumbersMayHoldCnam(String number) {
        assertTrue(CnamEligibility.mayHoldCnam(n(number)));
        assertEquals(Optional.empty(), CnamEligibility.refusal(n(number)));
    }

    @Test
    void tollFreeNumbersMayNot() {
        assertFalse(CnamEligibility.mayHoldCnam(n("+18005550199")));
        assertEquals(Optional.of(CnamEligibility.TOLL_FREE_REFUSAL), CnamEligibility.refusal(n("+18885550199")));
    }

    @Test
    void canadianNumbersMayNot() {
        assertEquals(Optional.of(CnamEligibility.CANADIAN_REFUSAL), CnamEligibility.refusal(n("+14165550123")));
    }

    @Test
    void inumsMayNot() {
        assertEquals(Optional.of(CnamEligibility.INUM_REFUSAL), CnamEligibility.refusal(n("+883510012345678")));
        assertEquals(Optional.of(CnamEligibility.INUM_REFUSAL), CnamEligibility.refusal(n("+883510112345678")));
    }

    @Test
    void everyRefusalIsASentenceThatStartsWithTheRule() {
        assertEquals(3, CnamEligibility.REFUSALS.size());
        CnamEligibility.REFUSALS.values().forEach(reason -> {
            assertTrue(reason.contains("cannot hold CNAM storage: "), reason);
            assertFalse(reason.endsWith("."), "shown inside longer messages: " + reason);
        });
    }
}

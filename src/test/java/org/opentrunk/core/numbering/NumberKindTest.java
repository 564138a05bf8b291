package org.opentrunk.core.numbering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** IC-CNAM-OUT: the kinds of number the caller-name rules single out. */
@Tag("IC-CNAM-OUT")
class NumberKindTest {

    private static E164Number n(String number) {
        return NumberParser.parseOrThrow(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+18005550199", "+18335550199", "+18445550199", "+18555550199", "+18665550199",
            "+18775550199", "+18885550199", "+448001234567", "+80012345678"})
    void tollFreeNumbersAreTollFree(String number) {
        assertTrue(NumberKind.isTollFree(n(number)), number);
        assertFalse(NumberKind.isCanadian(n(number)), number);
        assertFalse(NumberKind.isInum(n(number)), number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+12066418000", "+442079460000", "+14165550123", "+883510012345678"})
    void geographicNumbersAndInumsAreNotTollFree(String number) {
        assertFalse(NumberKind.isTollFree(n(number)), number);
    }

    /** Toronto, Ottawa, Vancouver, Montreal. */
    @ParameterizedTest
    @ValueSource(strings = {"+14165550123", "+16135550123", "+16045550123", "+15145550123"})
    void canadianAreaCodesAreCanadian(String number) {
        assertTrue(NumberKind.isCanadian(n(number)), number);
        assertEquals(Set.of(NumberKind.CANADIAN), NumberKind.of(n(number)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+12066418000", "+12025550123", "+442079460000"})
    void otherNumbersAreNotCanadian(String number) {
        assertFalse(NumberKind.isCanadian(n(number)), number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+883510012345678", "+883510112345678", "+883510000000094", "+883510012345"})
    void everyNumberInThePlus883Block510IsAnInum(String number) {
        assertTrue(NumberKind.isInum(n(number)), number);
        assertEquals(EnumSet.of(NumberKind.INUM), NumberKind.of(n(number)));
    }

    @Test
    void otherPlus883NumbersAreNotInums() {
        assertFalse(NumberKind.isInum(n("+883100012345678")));
    }

    @Test
    void anOrdinaryNumberIsOfNoKind() {
        assertTrue(NumberKind.of(n("+12066418000")).isEmpty());
    }
}

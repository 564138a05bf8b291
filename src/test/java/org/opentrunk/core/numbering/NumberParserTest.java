package org.opentrunk.core.numbering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** IC-E164: what OpenTrunk accepts as a number, and the SIP answer (484/404) for what it does not. */
@Tag("IC-E164")
class NumberParserTest {

    private static E164Number valid(String input) {
        ParseResult result = NumberParser.parse(input);
        return assertInstanceOf(ParseResult.Valid.class, result, () -> input + " -> " + result).e164();
    }

    private static ParseResult.Rejected rejected(String input) {
        ParseResult result = NumberParser.parse(input);
        return assertInstanceOf(ParseResult.Rejected.class, result, () -> input + " -> " + result);
    }

    // --- valid numbers -------------------------------------------------------------------------

    @Test
    void aUsNumberIsValidAndRenderedWithPlus() {
        E164Number n = valid("+12066418000");
        assertEquals("+12066418000", n.value());
        assertEquals("+12066418000", n.toString());
        assertEquals(1, n.countryCode());
        assertEquals("2066418000", n.nationalNumber());
    }

    @ParameterizedTest
    @ValueSource(strings = {"12066418000", "+1 (206) 641-8000", "1.206.641.8000", "+1-206-641-8000",
            " +12066418000 ", "(+1) 206 641 8000", "+12066418000;npdi;rn=+12065550000", "12066418000;user=phone"})
    void plusIsOptionalAndSeparatorsAndUriParametersAreTolerated(String input) {
        assertEquals(valid("+12066418000"), valid(input));
    }

    @Test
    void aUkNumberIsValid() {
        E164Number n = valid("+442079460000");
        assertEquals(44, n.countryCode());
        assertEquals("2079460000", n.nationalNumber());
        assertEquals("+442079460000", n.value());
    }

    @Test
    void anItalianNumberKeepsTheLeadingZeroOfItsNationalNumber() {
        E164Number n = valid("+390612345678");
        assertEquals("0612345678", n.nationalNumber());
        assertEquals("+390612345678", n.value());
    }

    @Test
    void aCanadianNumberIsValid() {
        assertEquals("+14165550123", valid("+14165550123").value());
    }

    @Test
    void anInumThatLibphonenumberListsIsValid() {
        assertEquals("+883510012345678", valid("+883510012345678").value());
        assertEquals("+883510000000094", valid("883 510 000 000 094").value());
    }

    /** libphonenumber's metadata lists only +883 5100..., but carriers assign the whole +883 510 block. */
    @Test
    void anInumOutsideLibphonenumbersMetadataIsValidAllTheSame() {
        assertFalse(LibPhoneNumber.UTIL.isValidNumber(LibPhoneNumber.toPhoneNumber(883, "510112345678")),
                "premise: libphonenumber refuses this iNum");
        assertEquals("+883510112345678", valid("+883510112345678").value());
    }

    @Test
    void aTollFreeNumberIsValid() {
        assertEquals("+18005550199", valid("1-800-555-0199").value());
    }

    // --- 484 Address Incomplete ----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"+1206", "1206", "+120664", "+1206641800", "+12", "+331"})
    void tooFewDigitsIsAddressIncomplete(String input) {
        ParseResult.Rejected r = rejected(input);
        assertEquals(NumberProblem.TOO_SHORT, r.problem(), r.detail());
        assertEquals(484, r.sipStatus());
        assertEquals("Address Incomplete", r.reasonPhrase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1", "+44", "+883", "+8", "+88", "+99"})
    void aCountryCodeAloneOrPartOfOneIsAddressIncomplete(String input) {
        assertEquals(484, rejected(input).sipStatus(), input);
    }

    @Test
    void aLocallyDialableNumberIsAddressIncomplete() {
        ParseResult.Rejected r = rejected("+12065550");
        assertEquals(484, r.sipStatus());
        assertTrue(r.detail().contains("only dialable locally"), r.detail());
    }

    /** Possible length, but more digits are needed: Berlin numbers, German mobiles, New Zealand. */
    @ParameterizedTest
    @ValueSource(strings = {"+493012", "+491511234567", "+6421234"})
    void theStartOfAValidNumberIsAddressIncomplete(String input) {
        ParseResult.Rejected r = rejected(input);
        assertEquals(484, r.sipStatus(), r.detail());
        assertTrue(r.detail().contains("incomplete"), r.detail());
    }

    @Test
    void aShortInumIsAddressIncomplete() {
        assertEquals(484, rejected("+88351011234567").sipStatus());
    }

    /** Decision: zero digits is the extreme case of too few digits, so 484, not 404. */
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"+", " ", "()", "-", ";npdi"})
    void noDigitsAtAllIsAddressIncomplete(String input) {
        ParseResult.Rejected r = rejected(input);
        assertEquals(NumberProblem.EMPTY, r.problem());
        assertEquals(484, r.sipStatus());
    }

    // --- 404 -----------------------------------------------------------------------------------

    @Test
    void moreThanFifteenDigitsIsNotFound() {
        ParseResult.Rejected r = rejected("+1206641800012345");
        assertEquals(NumberProblem.TOO_LONG, r.problem());
        assertEquals(404, r.sipStatus());
        assertEquals("number '+1206641800012345' has 16 digits; E.164 allows at most 15", r.detail());
    }

    @Test
    void moreDigitsThanTheCountryAllowsIsNotFound() {
        ParseResult.Rejected r = rejected("+120664180001234");
        assertEquals(NumberProblem.TOO_LONG, r.problem());
        assertEquals(404, r.sipStatus());
        assertEquals("Number Too Long", r.reasonPhrase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+99912345678", "+0123456789", "0012066418000", "99912345678"})
    void anUnknownCountryCodeIsNotFound(String input) {
        ParseResult.Rejected r = rejected(input);
        assertEquals(NumberProblem.UNKNOWN_COUNTRY_CODE, r.problem(), r.detail());
        assertEquals(404, r.sipStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1800FLOWERS", "abc", "+1206641800O", "12345678*+12066418000", "+1206#6418000",
            "+1+2066418000", "1+2066418000", "+1\t2066418000", "+1_206_641_8000", "+1/206/641/8000",
            "+١٢٠٦٦٤١٨٠٠٠"})
    void lettersAndOtherCharactersAreNotFound(String input) {
        ParseResult.Rejected r = rejected(input);
        assertEquals(NumberProblem.INVALID_CHARACTER, r.problem(), r.detail());
        assertEquals(404, r.sipStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+12060000000", "+19995550199", "+447700900123", "+112066418000"})
    void aNumberTheCountryDoesNotHaveIsNotFound(String input) {
        ParseResult.Rejected r = rejected(input);
        assertEquals(404, r.sipStatus(), r.detail());
    }

    @Test
    void aTrunkPrefixAfterTheCountryCodeIsRefusedWithTheE164FormNamed() {
        ParseResult.Rejected r = rejected("+44 020 7946 0000");
        assertEquals(404, r.sipStatus());
        assertTrue(r.detail().contains("the E.164 form is +442079460000"), r.detail());
    }

    // --- messages ------------------------------------------------------------------------------

    @Test
    void theDetailNamesTheNumberAndTheOffendingCharacter() {
        assertEquals("number '+1206ABC' contains 'A'; a number is digits with an optional leading +,"
                + " and may be spaced with - . ( ) or spaces", rejected("+1206ABC").detail());
    }

    @Test
    void theDetailNeverCarriesControlCharactersOrUnboundedInput() {
        String detail = rejected("+1206\r\nVia: evil").detail();
        assertFalse(detail.contains("\r") || detail.contains("\n"), detail);
        assertTrue(detail.contains("U+000D"), detail);

        String longDetail = rejected("x".repeat(10_000)).detail();
        assertTrue(longDetail.length() < 300, longDetail);
    }

    @Test
    void reasonPhrasesNeverEchoTheInput() {
        for (NumberProblem p : NumberProblem.values()) {
            assertTrue(p.reasonPhrase().matches("[A-Za-z0-9 .]+"), p.name());
            assertTrue(p.sipStatus() == 484 || p.sipStatus() == 404, p.name());
        }
    }

    @Test
    void parseOrThrowReturnsTheNumberOrThrowsWithSipStatusAndMessage() {
        assertEquals("+12066418000", NumberParser.parseOrThrow("12066418000").value());

        InvalidNumberException e = assertThrows(InvalidNumberException.class,
                () -> NumberParser.parseOrThrow("+1206"));
        assertEquals(484, e.sipStatus());
        assertEquals(NumberProblem.TOO_SHORT, e.problem());
        assertEquals("number '+1206' has too few digits for a number of country code +1", e.getMessage());

        InvalidNumberException unknown = assertThrows(InvalidNumberException.class,
                () -> NumberParser.parseOrThrow("+99912345678"));
        assertEquals(404, unknown.sipStatus());
        assertEquals("number '+99912345678' does not start with a country calling code in use", unknown.getMessage());
    }

    @Test
    void theResultOffersTheNumberAsAnOptional() {
        assertEquals("+12066418000", NumberParser.parse("+12066418000").number().orElseThrow().value());
        assertTrue(NumberParser.parse("+1206").number().isEmpty());
    }
}

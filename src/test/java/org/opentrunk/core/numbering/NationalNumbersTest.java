package org.opentrunk.core.numbering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IC-COUNTRY: numbers a peer with a country sends in national format become E.164. */
@Tag("IC-COUNTRY")
class NationalNumbersTest {

    private static final Optional<Country> US = Optional.of(Country.of("us"));
    private static final Optional<Country> GB = Optional.of(Country.of("GB"));

    @ParameterizedTest
    @CsvSource({
            "US, 2065550123, +12065550123",      // 10 national digits
            "US, 12065550123, +12065550123",     // with the national prefix 1
            "US, (206) 555-0123, +12065550123",  // spaced as people write it
            "US, 011442079460000, +442079460000", // after the international call prefix
            "US, 442079460000, +442079460000",   // international without '+': untouched
            "US, +442079460000, +442079460000",
            "GB, 02079460000, +442079460000",    // national, with the trunk prefix 0
            "GB, 442079460000, +442079460000",
            "GB, 0033142685300, +33142685300",
            "GB, 33142685300, +33142685300",     // not a GB number: read as international
            "GB, 02079460000;npdi, +442079460000",
    })
    void aPeersNationalAndInternationalNumbersBecomeE164(String country, String sent, String e164) {
        ParseResult result = NumberParser.parse(sent, Optional.of(Country.of(country)));
        assertEquals(e164, assertInstanceOf(ParseResult.Valid.class, result, result::toString).e164().value());
    }

    @Test
    void withoutACountryOnlyInternationalNumbersAreUnderstood() {
        assertInstanceOf(ParseResult.Rejected.class, NumberParser.parse("02079460000", Optional.empty()));
        assertEquals("+442079460000", NumberParser.parse("442079460000", Optional.empty()).number().orElseThrow().value());
    }

    @Test
    @Tag("IC-E164")
    void lettersAndGarbageStayRefusedWhateverTheCountry() {
        // libphonenumber reads vanity letters as digits; OpenTrunk never guesses them (IC-E164).
        assertInstanceOf(ParseResult.Rejected.class, NumberParser.parse("1-800-FLOWERS", US));
        assertInstanceOf(ParseResult.Rejected.class, NumberParser.parse("", GB));
        assertInstanceOf(ParseResult.Rejected.class, NumberParser.parse("201", US));
        assertInstanceOf(ParseResult.Rejected.class, NumberParser.parse(null, US));
    }

    @Test
    void aDialledNationalNumberIsRefusedWithTheE164FormToDial() {
        ParseResult.Rejected rejected = assertInstanceOf(ParseResult.Rejected.class,
                NumberParser.parseDialled("02079460000", GB));
        assertEquals(404, rejected.sipStatus());
        assertTrue(rejected.detail().endsWith("it is a national number of GB: dial it in E.164, +442079460000"),
                rejected.detail());
        assertEquals("+442079460000", NumberParser.parseDialled("+442079460000", GB).number().orElseThrow().value());
        ParseResult.Rejected plain = assertInstanceOf(ParseResult.Rejected.class,
                NumberParser.parseDialled("02079460000", Optional.empty()));
        assertTrue(!plain.detail().contains("national number"), plain.detail());
    }

    @Test
    void countriesAreIsoCodesWithANumberingPlan() {
        assertEquals("GB", Country.of(" gb ").code());
        assertThrows(IllegalArgumentException.class, () -> Country.of("UK"));
        assertThrows(IllegalArgumentException.class, () -> Country.of("USA"));
        assertThrows(IllegalArgumentException.class, () -> Country.of(""));
    }
}

package org.opentrunk.core.numbering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IC-EMERGENCY: the short codes of the customer's country, recognised before any E.164 rule. */
@Tag("IC-EMERGENCY")
class EmergencyNumbersTest {

    @ParameterizedTest
    @CsvSource({
            "US, 911, 911", "CA, 911, 911", "US, 112, 112", "DE, 112, 112", "FR, 112, 112",
            "GB, 999, 999", "GB, 112, 112", "AU, 000, 000", "US, 911;phone-context=x, 911",
            "US, 999, ''", "GB, 911, ''", "US, +911, ''", "US, 9111, ''", "US, 12066418000, ''", "US, '', ''",
            "US, 91a, ''",
    })
    void theCodesOfTheCustomersCountry(String country, String dialled, String code) {
        assertEquals(code.isEmpty() ? Optional.empty() : Optional.of(code),
                EmergencyNumbers.match(dialled, Optional.of(Country.of(country))));
    }

    @ParameterizedTest
    @CsvSource({"911, 911", "112, 112", "999, 999", "000, 000", "12345, ''", "+112, ''"})
    void withoutACountryAnyCountrysCodeCounts(String dialled, String code) {
        assertEquals(code.isEmpty() ? Optional.empty() : Optional.of(code), EmergencyNumbers.match(dialled, Optional.empty()));
    }
}

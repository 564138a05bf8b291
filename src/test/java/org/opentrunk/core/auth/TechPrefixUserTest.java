package org.opentrunk.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrunk.core.numbering.NumberProblem;
import org.opentrunk.core.numbering.ParseResult;

/** IC-IPAUTH, IC-RURI: the tech prefix in the Request-URI user. */
@Tag("IC-IPAUTH") @Tag("IC-RURI")
class TechPrefixUserTest {

    @ParameterizedTest
    @ValueSource(strings = {"12345678*+12066418000", "12345678#+12066418000", "12345678%23+12066418000",
            "12345678%23%2B12066418000", "12345678%2a12066418000", "12345678#12066418000", "12345678%2312066418000"})
    void everyDelimiterForm(String user) {
        TechPrefixUser parsed = TechPrefixUser.parse(user).orElseThrow();
        assertEquals("12345678", parsed.techPrefix());
        assertEquals("+12066418000", parsed.dialledNumber().number().orElseThrow().value());
    }

    @Test
    void theRestIsKeptAsDialled() {
        assertEquals(new TechPrefixUser("12345678", "+12066418000"), TechPrefixUser.parse("12345678*+12066418000").orElseThrow());
        assertEquals("12066418000", TechPrefixUser.parse("12345678#12066418000").orElseThrow().dialled());
        assertEquals("%zz", TechPrefixUser.parse("12345678*%zz").orElseThrow().dialled(), "a bad escape stays, to be refused");
    }

    @Test
    void aPrefixWithoutANumberIsIncomplete() {
        ParseResult dialled = TechPrefixUser.parse("12345678*").orElseThrow().dialledNumber();
        assertEquals(NumberProblem.EMPTY, ((ParseResult.Rejected) dialled).problem());
        assertEquals(484, ((ParseResult.Rejected) dialled).sipStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+12066418000", "12066418000", "1234567*+12066418000", "123456789*+12066418000",
            "12345678+12066418000", "12345678", "1234567a*+1206", "١٢٣٤٥٦٧٨*+12066418000", "12345678%2+1206", "12345678%"})
    void notATechPrefixUser(String user) {
        assertEquals(Optional.empty(), TechPrefixUser.parse(user));
    }

    @Test
    void nullIsNoPrefix() {
        assertTrue(TechPrefixUser.parse(null).isEmpty());
    }

    @Test
    void theRecordChecksThePrefix() {
        assertThrows(IllegalArgumentException.class, () -> new TechPrefixUser("1234", "+1"));
    }
}

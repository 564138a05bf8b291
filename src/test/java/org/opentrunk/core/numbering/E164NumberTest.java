package org.opentrunk.core.numbering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** IC-E164: the value type every number in OpenTrunk is held in. */
@Tag("IC-E164")
class E164NumberTest {

    private final E164Number seattle = NumberParser.parseOrThrow("+12066418000");
    private final E164Number london = NumberParser.parseOrThrow("+442079460000");

    @Test
    void equalNumbersAreEqualValues() {
        assertEquals(new E164Number(1, "2066418000"), seattle);
        assertEquals(seattle.hashCode(), NumberParser.parseOrThrow("1 206 641 8000").hashCode());
        assertNotEquals(seattle, london);
    }

    @Test
    void startsWithMatchesAllowListPrefixesWithOrWithoutPlus() {
        assertTrue(seattle.startsWith("+1"));
        assertTrue(seattle.startsWith("+1206"));
        assertTrue(seattle.startsWith("1206"));
        assertTrue(seattle.startsWith("+12066418000"));
        assertFalse(seattle.startsWith("+44"));
        assertFalse(seattle.startsWith("+120664180001"));
        assertTrue(london.startsWith("+4420"));
        assertFalse(london.startsWith("+4421"));
    }

    @Test
    void startsWithRefusesSomethingThatIsNotAPrefix() {
        for (String bad : new String[] {"", "+", "+1-206", "+44x", "+1234567890123456", null}) {
            assertThrows(IllegalArgumentException.class, () -> seattle.startsWith(bad), String.valueOf(bad));
        }
    }

    @Test
    void theConstructorChecksTheShape() {
        assertThrows(IllegalArgumentException.class, () -> new E164Number(999, "12345678"));
        assertThrows(IllegalArgumentException.class, () -> new E164Number(0, "12345678"));
        assertThrows(IllegalArgumentException.class, () -> new E164Number(1, ""));
        assertThrows(IllegalArgumentException.class, () -> new E164Number(1, null));
        assertThrows(IllegalArgumentException.class, () -> new E164Number(1, "206-641-8000"));
        assertThrows(IllegalArgumentException.class, () -> new E164Number(1, "206641800012345"));
        assertEquals("+883510012345678", new E164Number(883, "510012345678").value());
    }

    /** The split into country code and national number is canonical only because codes are prefix-free. */
    @Test
    void countryCallingCodesArePrefixFree() {
        List<String> codes = new ArrayList<>();
        LibPhoneNumber.UTIL.getSupportedCallingCodes().forEach(c -> codes.add(String.valueOf(c)));
        for (String a : codes) {
            for (String b : codes) {
                assertTrue(a.equals(b) || !b.startsWith(a), a + " is a prefix of " + b);
            }
        }
    }
}

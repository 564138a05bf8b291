package org.opentrunk.core.address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of {@link AddressParser}: any input gives a result and never an exception, and
 * whatever parses renders to text that parses back to the same addresses (so nothing OpenTrunk
 * accepts can break the header it is written into on the other leg).
 */
class AddressFuzzTest {

    static final long SEED = FuzzInput.SEED;
    static final int ROUNDS = 60_000;

    @Test
    void neverThrowsAndWhatParsesRoundTrips() {
        Random random = new Random(SEED);
        int parsedCount = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String value = FuzzInput.next(random);
            AddressParseResult result = AddressParser.parse(value);
            assertNotNull(result, value);
            if (result instanceof AddressParseResult.Parsed parsed) {
                parsedCount++;
                for (SipAddress address : parsed.values()) {
                    String rendered = address.render();
                    assertTrue(rendered.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0), rendered);
                    AddressParseResult again = AddressParser.parse(rendered);
                    assertEquals(List.of(address), again.addresses(), () -> "input " + LogText.quote(value)
                            + " rendered " + LogText.quote(rendered) + " reparsed " + again);
                }
            }
        }
        assertTrue(parsedCount > ROUNDS / 20, "the fuzzer should reach the parsed path often, got " + parsedCount);
    }
}

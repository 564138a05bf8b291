package org.opentrunk.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A customer's maximum call duration (issue 25, long calls). */
class CustomerTest {

    private static Customer withLimit(int maxCallSeconds) {
        return new Customer(1, "A", Set.of(), "11111111", Optional.empty(), 10, 10, false, List.of(), Optional.empty(),
                CallerIdPolicy.ANY, Set.of(), maxCallSeconds);
    }

    @Test
    void theDefaultIsFourHours() {
        Customer c = Customer.byIp(1, "A", "11111111", Set.of("192.0.2.1"));
        assertEquals(14_400, c.maxCallSeconds());
        assertEquals(Optional.of(Duration.ofHours(4)), c.maxCallDuration());
    }

    @Test
    void zeroIsNoLimitAndNegativeIsRefused() {
        assertTrue(withLimit(0).maxCallDuration().isEmpty());
        assertEquals(Optional.of(Duration.ofSeconds(2)), withLimit(2).maxCallDuration());
        assertThrows(IllegalArgumentException.class, () -> withLimit(-1));
    }
}

package org.opentrunk.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.Transport;

class CarrierSelectionTest {

    private static Carrier carrier(long id, int priority, int weight, boolean enabled) {
        return new Carrier(id, "c" + id, "192.0.2." + id, 5060, Transport.UDP, priority, weight, enabled);
    }

    @Test
    void lowerPriorityValueFirstDisabledAndDownLeftOut() {
        List<Carrier> carriers = List.of(carrier(1, 20, 1, true), carrier(2, 10, 1, true), carrier(3, 5, 1, false),
                carrier(4, 1, 1, true));
        List<Carrier> order = CarrierSelection.order(carriers, Set.of(4L), new Random(1));
        assertEquals(List.of(2L, 1L), order.stream().map(Carrier::id).toList());
    }

    @Test
    @org.junit.jupiter.api.Tag("IC-EMERGENCY")
    void forEmergencyCallsCarriersMarkedDownComeLastNotNever() {
        List<Carrier> carriers = List.of(carrier(1, 20, 1, true), carrier(2, 10, 1, true), carrier(3, 5, 1, false),
                carrier(4, 1, 1, true));
        assertEquals(List.of(2L, 1L, 4L), CarrierSelection.orderDownLast(carriers, Set.of(4L), new Random(1)).stream()
                .map(Carrier::id).toList(), "the down one last; the disabled one still never");
        assertEquals(List.of(4L), CarrierSelection.orderDownLast(List.of(carrier(4, 1, 1, true)), Set.of(4L), new Random(1))
                .stream().map(Carrier::id).toList());
    }

    @Test
    void weightsShareTheFirstAttemptAmongEqualPriorities() {
        List<Carrier> carriers = List.of(carrier(1, 10, 3, true), carrier(2, 10, 1, true), carrier(3, 10, 0, true));
        Random random = new Random(42);
        int firstIsOne = 0;
        int calls = 20_000;
        for (int i = 0; i < calls; i++) {
            List<Carrier> order = CarrierSelection.order(carriers, Set.of(), random);
            assertEquals(3, order.size());
            assertEquals(3L, order.get(2).id(), "weight 0 comes last");
            if (order.get(0).id() == 1L) {
                firstIsOne++;
            }
        }
        double share = firstIsOne / (double) calls;
        assertTrue(share > 0.72 && share < 0.78, "weight 3 of 4 first in ~75% of calls: " + share);
    }

    @Test
    void onlyTransientFailuresMoveOn() {
        for (int s : new int[] {408, 480, 500, 501, 502, 503, 504, 513, 580, 599}) {
            assertTrue(Failover.triesNextCarrier(s), String.valueOf(s));
        }
        for (int s : new int[] {404, 484, 486, 487, 488, 600, 603, 403}) {
            assertFalse(Failover.triesNextCarrier(s), String.valueOf(s));
        }
    }
}

package org.opentrunk.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CarrierHealthTest {

    @Test
    void twoFailuresInARowMarkDownOneAnswerMarksUp() {
        CarrierHealth health = new CarrierHealth();
        assertEquals(CarrierHealth.State.UNKNOWN, health.status(7).state());
        health.answered(7, 1_000);
        health.failed(7);
        assertEquals(CarrierHealth.State.UP, health.status(7).state(), "one lost probe is not an outage");
        health.failed(7);
        assertEquals(CarrierHealth.State.DOWN, health.status(7).state());
        assertEquals(Set.of(7L), health.down());
        assertEquals(1_000, health.status(7).lastSeenMs());
        health.answered(7, 5_000);
        assertEquals(CarrierHealth.State.UP, health.status(7).state());
        assertTrue(health.down().isEmpty());
    }

    @Test
    void whatCountsAsAlive() {
        assertTrue(CarrierHealth.isAlive(200));
        assertTrue(CarrierHealth.isAlive(404));
        assertTrue(CarrierHealth.isAlive(405));
        assertFalse(CarrierHealth.isAlive(408));
        assertFalse(CarrierHealth.isAlive(503));
        assertFalse(CarrierHealth.isAlive(500));
    }
}

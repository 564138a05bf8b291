package org.opentrunk.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterEventTest {

    @Test
    void eachKindSurvivesTheTrip() {
        List<ClusterEvent> events = List.of(
                ClusterEvent.of("node1", ClusterEvent.Kind.CONFIG),
                ClusterEvent.of("node-2", ClusterEvent.Kind.BINDINGS, 42),
                ClusterEvent.of("n3", ClusterEvent.Kind.BLOCKED, "127.3.0.9", 3_600_000, 5),
                ClusterEvent.of("n3", ClusterEvent.Kind.UNBLOCKED, "[2001:db8::1]"),
                ClusterEvent.of("n3", ClusterEvent.Kind.SUSPENDED, 7, 44, 20),
                ClusterEvent.of("n3", ClusterEvent.Kind.SUSPENSION_CLEARED, 7, 44),
                ClusterEvent.of("n3", ClusterEvent.Kind.NONCE_RUN, "0011223344556677"));
        for (ClusterEvent event : events) {
            assertEquals(event, ClusterEvent.parse(event.format()).orElseThrow(), event.format());
        }
        assertEquals("node1|CONFIG", events.get(0).format());
        assertEquals(3_600_000, events.get(2).longArgument(1));
    }

    @Test
    void anythingElseIsNoEvent() {
        for (String garbage : new String[] {null, "", "node1", "node1|NOPE", "node1|BINDINGS", "node1|BINDINGS|1|2",
                "node1|BLOCKED|a b|1|1", "no de|CONFIG", "x".repeat(600), "node1|CONFIG|"}) {
            assertTrue(ClusterEvent.parse(garbage).isEmpty(), String.valueOf(garbage));
        }
    }

    @Test
    void anArgumentCannotCarryTheSeparator() {
        assertThrows(IllegalArgumentException.class, () -> ClusterEvent.of("n1", ClusterEvent.Kind.UNBLOCKED, "1.2.3.4|CONFIG"));
        assertThrows(IllegalArgumentException.class, () -> ClusterEvent.of("n1", ClusterEvent.Kind.BINDINGS));
    }
}

package org.opentrunk.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigSnapshotTest {

    private static Carrier carrier(long id, String host, int priority) {
        return new Carrier(id, "c" + id, host, 5060, Transport.UDP, priority, 1, true);
    }

    @Test
    void customersAreFoundByTheirSourceAddress() {
        Customer acme = Customer.byIp(1, "Acme", "11111111", Set.of("192.0.2.10", "192.0.2.11"));
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(acme), List.of(), List.of());
        assertEquals(acme, snapshot.customerByIp("192.0.2.11").orElseThrow());
        assertTrue(snapshot.customerByIp("192.0.2.12").isEmpty());
    }

    @Test
    void customersAreFoundByIdForTheirNumbers() {
        Customer acme = Customer.byIp(7, "Acme", "11111111", Set.of("192.0.2.10"));
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(acme), List.of(), List.of());
        assertEquals(Optional.of(acme), snapshot.customer(7));
        assertEquals(Optional.empty(), snapshot.customer(8));
    }

    @Test
    void carriersComeLowestPriorityValueFirst() {
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(),
                List.of(carrier(1, "198.51.100.1", 20), carrier(2, "198.51.100.2", 10), carrier(3, "198.51.100.3", 20)),
                List.of());
        assertEquals(List.of(2L, 1L, 3L), snapshot.carriers().stream().map(Carrier::id).toList());
        assertEquals(3L, snapshot.carrierByAddress("198.51.100.3").orElseThrow().id());
    }

    @Test
    void anAddressCannotBelongToTwoCustomers() {
        List<Customer> clash = List.of(Customer.byIp(1, "A", "11111111", Set.of("192.0.2.10")),
                Customer.byIp(2, "B", "22222222", Set.of("192.0.2.10")));
        assertThrows(IllegalArgumentException.class, () -> new ConfigSnapshot(clash, List.of(), List.of()));
    }

    @Test
    void transportParsesOnlyUdpAndTcp() {
        assertEquals(Transport.TCP, Transport.parse(" TCP "));
        assertEquals("udp", Transport.parse("udp").uriParameter());
        assertThrows(IllegalArgumentException.class, () -> Transport.parse("tls"));
        assertThrows(IllegalArgumentException.class, () -> Transport.parse(null));
    }
}

package org.opentrunk.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ConfigSnapshotTest {

    private static Carrier carrier(long id, String host, int priority) {
        return new Carrier(id, "c" + id, host, 5060, Transport.UDP, priority, 1, true);
    }

    @Test
    void customersAreFoundByTheirSourceAddress() {
        Customer acme = Customer.byIp(1, "Acme", "11111111", Set.of("192.0.2.10", "192.0.2.11"));
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(acme), List.of(), List.of());
        assertEquals(List.of(acme), snapshot.customersByIp("192.0.2.11"));
        assertTrue(snapshot.customersByIp("192.0.2.12").isEmpty());
        assertTrue(snapshot.isCustomerAddress("192.0.2.10"));
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
    @Tag("IC-SHARED-IP")
    void anAddressMayBelongToSeveralCustomers() {
        // IC-SHARED-IP: a hosted PBX platform; the tech prefix tells them apart (IpAuthentication).
        Customer a = Customer.byIp(1, "A", "11111111", Set.of("192.0.2.10"));
        Customer b = Customer.byIp(2, "B", "22222222", Set.of("192.0.2.10", "192.0.2.11"));
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(a, b), List.of(), List.of());
        assertEquals(List.of(a, b), snapshot.customersByIp("192.0.2.10"));
        assertEquals(List.of(b), snapshot.customersByIp("192.0.2.11"));
    }

    @Test
    void transportParsesOnlyUdpTcpAndTls() {
        assertEquals(Transport.TCP, Transport.parse(" TCP "));
        assertEquals("udp", Transport.parse("udp").uriParameter());
        assertEquals(Transport.TLS, Transport.parse("tls"), "IC-TLS");
        assertEquals(";transport=tls", Transport.TLS.uriSuffix());
        assertEquals("", Transport.UDP.uriSuffix());
        assertEquals(Transport.TLS, Transport.ofReceived("TLS"));
        assertEquals(Transport.UDP, Transport.ofReceived(null));
        assertThrows(IllegalArgumentException.class, () -> Transport.parse("sctp"));
        assertThrows(IllegalArgumentException.class, () -> Transport.parse(null));
    }
}

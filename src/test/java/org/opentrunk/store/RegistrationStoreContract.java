package org.opentrunk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.config.Transport;
import org.opentrunk.core.registrar.Binding;
import org.opentrunk.core.registrar.QValue;

/**
 * The registrar's storage, run unchanged on the embedded database and on PostgreSQL: the real
 * migrations (V4) and the real persistence unit, as {@link ProvisioningStoreContract} does it.
 * Every test works on a customer of its own, so the tests share one database.
 */
abstract class RegistrationStoreContract {

    private static final long NOW = 1_735_689_600_000L;

    private static EntityManagerFactory factory;
    private static DataSource database;

    /** Migrates the schema and opens the persistence unit "opentrunk" on {@code dataSource}. */
    static void open(DataSource dataSource) {
        SchemaMigration.migrate(dataSource);
        Map<String, Object> properties = new HashMap<>();
        properties.put("javax.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("javax.persistence.jtaDataSource", "");
        properties.put("javax.persistence.nonJtaDataSource", dataSource);
        properties.put("eclipselink.logging.level", "WARNING");
        factory = Persistence.createEntityManagerFactory("opentrunk", properties);
        database = dataSource;
    }

    @AfterAll
    static void closeFactory() {
        if (factory != null && factory.isOpen()) {
            factory.close();
        }
    }

    /** Runs {@code work} in one transaction, as the container's @Transactional does. */
    static <T> T tx(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private static long newCustomer(String techPrefix) {
        CustomerEntity c = new CustomerEntity();
        c.setName("Registering " + techPrefix);
        c.setTechPrefix(techPrefix);
        c.setMaxChannels(10);
        c.setMaxCps(2);
        return tx(em -> ProvisioningStore.using(em).saveCustomer(c).getId());
    }

    private static Binding binding(long customerId, String user, long expiresAtMs) {
        return new Binding(customerId, "sip:" + user + "@192.168.1.5:5060;transport=udp", "198.51.100.7", 40123,
                Transport.UDP, expiresAtMs, "reg-" + user + "@192.168.1.5", 3, Optional.of(new QValue(500)),
                Optional.of("Yealink SIP-T46U"));
    }

    private static void replace(long customerId, List<Binding> current) {
        tx(em -> {
            RegistrationStore.using(em).replaceBindings(customerId, current);
            return null;
        });
    }

    private static List<Binding> stored(long customerId, long nowMs) {
        return tx(em -> RegistrationStore.using(em).loadUnexpired(nowMs)).stream()
                .filter(b -> b.customerId() == customerId).toList();
    }

    @Test
    void bindingsRoundTripExactly() {
        long id = newCustomer("20000001");
        Binding bare = new Binding(id, "sip:192.168.1.9", "203.0.113.4", 5060, Transport.TCP, NOW + 60_000,
                "x@y", 0, Optional.empty(), Optional.empty());
        List<Binding> current = List.of(binding(id, "100", NOW + 3_600_000), bare);
        replace(id, current);
        assertEquals(List.of(bare, current.get(0)), stored(id, NOW), "soonest expiry first");
    }

    @Test
    void replacingMakesTheStoredBindingsExactlyTheGivenOnes() {
        long id = newCustomer("20000002");
        replace(id, List.of(binding(id, "100", NOW + 60_000), binding(id, "101", NOW + 60_000)));
        Binding refreshed = binding(id, "101", NOW + 120_000);
        replace(id, List.of(refreshed));
        assertEquals(List.of(refreshed), stored(id, NOW));
        replace(id, List.of());
        assertEquals(List.of(), stored(id, NOW));
    }

    @Test
    void expiredBindingsAreNotLoadedAndAreDeleted() {
        long id = newCustomer("20000003");
        Binding soon = binding(id, "100", NOW + 1_000);
        Binding later = binding(id, "101", NOW + 60_000);
        replace(id, List.of(soon, later));
        assertEquals(List.of(later), stored(id, NOW + 1_000), "expired at the instant of expiry");
        assertEquals(1, (int) tx(em -> RegistrationStore.using(em).deleteExpired(NOW + 1_000)));
        assertEquals(List.of(later), stored(id, 0), "only the expired one is gone");
    }

    @Test
    void aCustomersBindingsGoWithTheCustomer() {
        long id = newCustomer("20000004");
        replace(id, List.of(binding(id, "100", NOW + 60_000)));
        tx(em -> {
            ProvisioningStore.using(em).deleteCustomer(id);
            return null;
        });
        assertEquals(List.of(), stored(id, 0));
        assertThrows(NotFoundException.class, () -> replace(id, List.of()), "the customer is gone");
    }

    @Test
    void anotherCustomersBindingIsRefused() {
        long id = newCustomer("20000005");
        long other = newCustomer("20000006");
        assertThrows(IllegalArgumentException.class, () -> replace(id, List.of(binding(other, "100", NOW + 60_000))));
    }

    @Test
    void aRowThatBreaksTheRulesIsSkippedNotFatal() throws SQLException {
        long id = newCustomer("20000007");
        replace(id, List.of(binding(id, "100", NOW + 60_000)));
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO registration (customer_id, contact_uri, source_address, source_port, transport,"
                    + " expires_at_ms, call_id, cseq) VALUES (" + id + ", 'sip:101@192.168.1.5', 'not-an-address', 5060,"
                    + " 'udp', " + (NOW + 60_000) + ", 'x@y', 1)");
        }
        assertEquals(List.of(binding(id, "100", NOW + 60_000)), stored(id, NOW));
        tx(em -> {
            ProvisioningStore.using(em).deleteCustomer(id); // and the bad row with it
            return null;
        });
    }

    @Test
    void concurrentReplacesOfOneCustomerTakeTurns() throws Exception {
        long id = newCustomer("20000009");
        List<Binding> desk = List.of(binding(id, "100", NOW + 60_000));
        List<Binding> both = List.of(binding(id, "100", NOW + 60_000), binding(id, "101", NOW + 60_000));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<Binding> current : List.of(desk, both)) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        replace(id, current); // without the customer row lock, one would hit the primary key
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Binding> last = stored(id, NOW);
        assertTrue(Set.copyOf(last).equals(Set.copyOf(desk)) || Set.copyOf(last).equals(Set.copyOf(both)), last.toString());
    }

    @Test
    void theLongestValuesABindingAllowsFitTheColumns() {
        long id = newCustomer("20000008");
        String uri = "sip:100@192.168.1.5;x=" + "a".repeat(Binding.MAX_CONTACT_URI_LENGTH - "sip:100@192.168.1.5;x=".length());
        Binding longest = new Binding(id, uri, "255.255.255.255", 65535, Transport.TCP, NOW + 60_000,
                "c".repeat(Binding.MAX_CALL_ID_LENGTH), Binding.MAX_CSEQ, Optional.of(new QValue(1000)),
                Optional.of("u".repeat(Binding.MAX_USER_AGENT_LENGTH)),
                java.util.Collections.nCopies(Binding.MAX_PATH_ENTRIES,
                        "<sip:" + "p".repeat(Binding.MAX_PATH_LENGTH - "<sip:;lr>".length()) + ";lr>"));
        replace(id, List.of(longest));
        assertEquals(List.of(longest), stored(id, NOW));
    }

    /** Issue 20: the Path a REGISTER came through (the cluster's front) survives a restart, in order. */
    @Test
    void aBindingsPathRoundTripsInOrder() {
        long id = newCustomer("20000020");
        Binding viaFront = new Binding(id, "sip:100@192.168.1.5:5060", "198.51.100.7", 40123, Transport.UDP, NOW + 60_000,
                "p@q", 1, Optional.empty(), Optional.empty(),
                List.of("<sip:127.0.0.10;lr;received=sip:198.51.100.7:40123>", "<sip:edge.example;lr>"));
        replace(id, List.of(viaFront));
        assertEquals(List.of(viaFront), stored(id, NOW));
    }
}

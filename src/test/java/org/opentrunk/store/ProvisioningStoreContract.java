package org.opentrunk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.admin.CdrCsv;
import org.opentrunk.admin.CdrFilter;
import org.opentrunk.admin.CdrJson;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.CallRecordLine;
import org.opentrunk.core.cdr.DisconnectCause;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.RouteType;

/**
 * The repository suite, run unchanged on the embedded database and on PostgreSQL: the real
 * Flyway migrations and the real persistence unit, bootstrapped outside the container with the
 * JPA provider Liberty runs (EclipseLink 2.7).
 */
abstract class ProvisioningStoreContract {

    private static EntityManagerFactory factory;

    /** Migrates the schema and opens the persistence unit "opentrunk" on {@code dataSource}. */
    static void open(DataSource dataSource) {
        SchemaMigration.migrate(dataSource);
        Map<String, Object> properties = new HashMap<>();
        properties.put("javax.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("javax.persistence.jtaDataSource", "");
        properties.put("javax.persistence.nonJtaDataSource", dataSource);
        properties.put("eclipselink.logging.level", "WARNING");
        factory = Persistence.createEntityManagerFactory("opentrunk", properties);
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

    private static CustomerEntity customer(String prefix, String... ips) {
        CustomerEntity c = new CustomerEntity();
        c.setName("Customer " + prefix);
        c.setTechPrefix(prefix);
        c.setMaxChannels(10);
        c.setMaxCps(2);
        c.getIps().addAll(List.of(ips));
        return c;
    }

    @Test
    void customersRoundTripWithCollectionsAndDigest() {
        CustomerEntity c = customer("10000001", "192.0.2.1", "192.0.2.2");
        c.getAllowedPrefixes().add("+1");
        c.setDigest("acme", "trunk.test", "0".repeat(32), "f".repeat(64));
        long id = tx(em -> ProvisioningStore.using(em).saveCustomer(c).getId());
        CustomerEntity read = tx(em -> ProvisioningStore.using(em).customer(id));
        assertEquals(List.of("192.0.2.1", "192.0.2.2"), List.copyOf(read.getIps()));
        assertEquals("acme", read.getSipUsername());
        assertEquals("f".repeat(64), read.getHa1Sha256());
        assertEquals(List.of("+1"), List.copyOf(read.getAllowedPrefixes()));
    }

    @Test
    void countryCallerIdPolicyVerifiedNumbersAndDigestAlgorithmsRoundTrip() {
        CustomerEntity c = customer("10000011", "192.0.2.31");
        c.setCountry("GB");
        c.setCallerIdPolicy("own");
        c.getVerifiedNumbers().addAll(List.of("+442079460001", "+442079460002"));
        c.setDigest("gb-pbx", "trunk.test", "0".repeat(32), "f".repeat(64));
        c.setDigestAlgorithms("SHA-256");
        long id = tx(em -> ProvisioningStore.using(em).saveCustomer(c).getId());
        CarrierEntity carrier = new CarrierEntity();
        carrier.setName("uk-gw");
        carrier.setHost("198.51.100.44");
        carrier.setPort(5060);
        carrier.setTransport("udp");
        carrier.setEnabled(true);
        carrier.setCountry("GB");
        carrier.setEmergency(true);
        tx(em -> ProvisioningStore.using(em).saveCarrier(carrier));

        ConfigSnapshot snapshot = tx(em -> ProvisioningStore.using(em).snapshot());
        var customer = snapshot.customer(id).orElseThrow();
        assertEquals("GB", customer.country().orElseThrow().code());
        assertEquals(org.opentrunk.core.config.CallerIdPolicy.OWN, customer.callerIdPolicy());
        assertEquals(java.util.Set.of("+442079460001", "+442079460002"), customer.verifiedNumbers());
        assertEquals(List.of(org.opentrunk.core.auth.digest.DigestAlgorithm.SHA_256),
                customer.digest().orElseThrow().algorithms());
        var gw = snapshot.carriers().stream().filter(k -> k.name().equals("uk-gw")).findFirst().orElseThrow();
        assertEquals("GB", gw.country().orElseThrow().code());
        assertTrue(gw.emergency());
    }

    @Test
    @Tag("IC-SHARED-IP")
    void customersMayShareAnAddress() {
        // IC-SHARED-IP: a hosted PBX platform sends several customers' calls from one address.
        long first = tx(em -> ProvisioningStore.using(em).saveCustomer(customer("10000021", "192.0.2.50")).getId());
        long second = tx(em -> ProvisioningStore.using(em).saveCustomer(customer("10000022", "192.0.2.50")).getId());
        ConfigSnapshot snapshot = tx(em -> ProvisioningStore.using(em).snapshot());
        assertEquals(List.of(first, second), snapshot.customersByIp("192.0.2.50").stream().map(k -> k.id()).toList());
    }

    @Test
    void uniquenessIsReportedByField() {
        tx(em -> ProvisioningStore.using(em).saveCustomer(customer("10000002", "192.0.2.10")));
        DuplicateException prefix = assertThrows(DuplicateException.class,
                () -> tx(em -> ProvisioningStore.using(em).saveCustomer(customer("10000002"))));
        assertEquals("techPrefix", prefix.field());
    }

    @Test
    @Tag("IC-STIR")
    void stirFieldsRoundTripAndCustomersWithoutAnOrigidGetOne() {
        CustomerEntity c = customer("10000031", "192.0.2.31");
        String origid = c.getOrigid();
        assertTrue(origid.matches("[0-9a-f-]{36}"), origid);
        long id = tx(em -> ProvisioningStore.using(em).saveCustomer(c).getId());
        CustomerEntity old = customer("10000032", "192.0.2.32");
        old.setOrigid(null); // a customer from before schema version 9
        long oldId = tx(em -> ProvisioningStore.using(em).saveCustomer(old).getId());
        int assignedNow = tx(em -> ProvisioningStore.using(em).assignMissingOrigids());
        assertTrue(assignedNow >= 1);
        int again = tx(em -> ProvisioningStore.using(em).assignMissingOrigids());
        assertEquals(0, again, "once only");
        String assigned = tx(em -> ProvisioningStore.using(em).customer(oldId).getOrigid());
        assertTrue(assigned != null && assigned.matches("[0-9a-f-]{36}") && !assigned.equals(origid), assigned);

        CarrierEntity carrier = new CarrierEntity();
        carrier.setName("signing-gw");
        carrier.setHost("198.51.100.45");
        carrier.setPort(5060);
        carrier.setTransport("udp");
        carrier.setEnabled(true);
        carrier.setSigning(true);
        tx(em -> ProvisioningStore.using(em).saveCarrier(carrier));
        NumberEntity n = new NumberEntity("+12066418031");
        n.setCustomerId(id);
        n.setStirFailedStatus(608);
        tx(em -> ProvisioningStore.using(em).createNumber(n));

        ConfigSnapshot snapshot = tx(em -> ProvisioningStore.using(em).snapshot());
        assertEquals(origid, snapshot.customer(id).orElseThrow().origid(), "stable: the stored one, not a derived one");
        assertEquals(assigned, snapshot.customer(oldId).orElseThrow().origid());
        assertTrue(snapshot.carriers().stream().filter(k -> k.name().equals("signing-gw")).findFirst().orElseThrow().signing());
        assertEquals(608, snapshot.number("+12066418031").orElseThrow().stirFailedStatus());
    }

    /** Issue 25: a carrier's inbound policy is stored and read back; a carrier without one is open. */
    @Test
    void carrierInboundPolicyRoundTrips() {
        CarrierEntity strict = new CarrierEntity();
        strict.setName("strict-gw");
        strict.setHost("198.51.100.46");
        strict.setPort(5060);
        strict.setTransport("tcp");
        strict.setEnabled(true);
        org.opentrunk.core.config.CarrierInboundPolicy policy = new org.opentrunk.core.config.CarrierInboundPolicy(
                org.opentrunk.core.config.CarrierInboundPolicy.InboundTransports.TCP_TLS, 40, true);
        strict.getInbound().set(policy);
        tx(em -> ProvisioningStore.using(em).saveCarrier(strict));
        CarrierEntity open = new CarrierEntity();
        open.setName("open-gw");
        open.setHost("198.51.100.47");
        open.setPort(5060);
        open.setTransport("udp");
        open.setEnabled(true);
        tx(em -> ProvisioningStore.using(em).saveCarrier(open));

        ConfigSnapshot snapshot = tx(em -> ProvisioningStore.using(em).snapshot());
        assertEquals(policy, snapshot.carrierByAddress("198.51.100.46").orElseThrow().inbound());
        assertEquals(org.opentrunk.core.config.CarrierInboundPolicy.OPEN,
                snapshot.carrierByAddress("198.51.100.47").orElseThrow().inbound());
    }

    @Test
    @Tag("IC-ROUTE")
    void numbersKeepRouteOrderAndBlockCustomerDeletion() {
        long customerId = tx(em -> ProvisioningStore.using(em).saveCustomer(customer("10000004", "192.0.2.20")).getId());
        NumberEntity n = new NumberEntity("+12066418000");
        n.setCustomerId(customerId);
        n.setCnamLookup(true);
        n.getRoutes().add(new RouteEmbeddable("srv", "pbx.example.net", 20));
        n.getRoutes().add(new RouteEmbeddable("host", "192.0.2.20:5060", 10));
        tx(em -> ProvisioningStore.using(em).createNumber(n));
        NumberEntity read = tx(em -> ProvisioningStore.using(em).number("+12066418000"));
        assertEquals(List.of("srv", "host"), read.getRoutes().stream().map(RouteEmbeddable::getType).toList());
        assertThrows(InUseException.class, () -> tx(em -> {
            ProvisioningStore.using(em).deleteCustomer(customerId);
            return null;
        }));
        assertEquals(1, tx(em -> ProvisioningStore.using(em).numbers("641", customerId, 0, 10)).size());

        ConfigSnapshot snapshot = tx(em -> ProvisioningStore.using(em).snapshot());
        var number = snapshot.number("+12066418000").orElseThrow();
        assertEquals(RouteType.HOST, number.routesInPriorityOrder().get(0).type(), "priority 10 before 20");
        assertEquals(customerId, snapshot.customersByIp("192.0.2.20").get(0).id());
    }

    @Test
    void cdrsAreFilteredAndNewestFirst() {
        tx(em -> {
            CdrStore store = CdrStore.using(em);
            store.record(List.of(cdr("a1", "+12065550100", 1_000L, 77L), cdr("a2", "+12065550199", 2_000L, 77L),
                    cdr("a3", "+12065550100", 3_000L, 78L)));
            return null;
        });
        List<CdrEntity> all = tx(em -> CdrStore.using(em).find(new CdrQuery(null, null, null, null, 100)));
        assertTrue(all.size() >= 3);
        assertTrue(all.get(0).getStartMs() >= all.get(all.size() - 1).getStartMs(), "newest first");
        assertEquals(List.of("a3", "a1"), tx(em -> CdrStore.using(em)
                .find(new CdrQuery(null, null, "+12065550100", null, 10))).stream().map(CdrEntity::getACallId).toList());
        assertEquals(List.of("a2"), tx(em -> CdrStore.using(em)
                .find(new CdrQuery(1_500L, 2_500L, null, 77L, 10))).stream().map(CdrEntity::getACallId).toList());
    }

    /**
     * IC-EMERGENCY, IC-CDR: the flag goes from the call record through its journal line into the
     * database and out as JSON and CSV, and the API's filter finds the emergency calls.
     */
    @Test
    @Tag("IC-EMERGENCY") @Tag("IC-CDR")
    void emergencyCallsRoundTripAndAreFiltered() {
        long customer = 9_110L;
        CallRecord emergency = CallRecordLine.parse(CallRecordLine.format(CallRecord.builder()
                .direction(CallDirection.OUTBOUND).customerCallId("e1").customerId(customer).callee("911")
                .startMs(10_000).endMs(10_500).sipStatus(380).disconnectCause(DisconnectCause.REFUSED)
                .emergency(true).build()));
        CallRecord ordinary = CallRecordLine.parse(CallRecordLine.format(CallRecord.builder()
                .direction(CallDirection.OUTBOUND).customerCallId("o1").customerId(customer).callee("+12066418000")
                .startMs(11_000).endMs(11_500).sipStatus(486).disconnectCause(DisconnectCause.REJECTED)
                .attestation("A").origid("0a1b2c3d-0000-4000-8000-000000000001").build()));
        tx(em -> {
            CdrStore.using(em).record(List.of(JpaCdrSink.toEntity(emergency), JpaCdrSink.toEntity(ordinary)));
            return null;
        });

        CdrFilter filter = new CdrFilter();
        filter.setCustomerId(String.valueOf(customer));
        assertEquals(List.of("o1", "e1"), callIds(filter));
        filter.setEmergency("true");
        assertEquals(List.of("e1"), callIds(filter));
        filter.setEmergency("false");
        assertEquals(List.of("o1"), callIds(filter));

        filter.setEmergency("");
        List<CdrJson> json = tx(em -> CdrStore.using(em).find(filter.query(10))).stream().map(CdrJson::of).toList();
        assertEquals(List.of(false, true), json.stream().map(c -> c.emergency).toList());
        String[] csv = CdrCsv.of(json).split("\r\n");
        assertTrue(csv[0].endsWith(",emergency,attestation,verstat,origid,node"), csv[0]);
        assertTrue(csv[1].endsWith(",false,A,,0a1b2c3d-0000-4000-8000-000000000001,") && csv[2].endsWith(",true,,,,"),
                String.join("\n", csv));
        // IC-STIR: the attestation and origid of a signed call come back from the V9 columns
        assertEquals("A", json.get(0).attestation);
        assertEquals("0a1b2c3d-0000-4000-8000-000000000001", json.get(0).origid);
        assertEquals(null, json.get(1).attestation);
    }

    private static List<String> callIds(CdrFilter filter) {
        return tx(em -> CdrStore.using(em).find(filter.query(10))).stream().map(CdrEntity::getACallId).toList();
    }

    private static CdrEntity cdr(String callId, String caller, long start, long customer) {
        CdrEntity c = new CdrEntity();
        c.setDirection("outbound");
        c.setACallId(callId);
        c.setCaller(caller);
        c.setCallee("+442079460000");
        c.setStartMs(start);
        c.setEndMs(start + 500);
        c.setCustomerId(customer);
        c.setSipStatus(200);
        c.setXTag("tag-" + callId);
        return c;
    }
}

package org.opentrunk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import javax.persistence.PersistenceException;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * IC-CDR: migration V2 gives each CDR a unique record id, so a record written twice is stored
 * once; checked on H2 (the embedded database), through JDBC and through the JPA mapping. And
 * IC-EMERGENCY: migration V7's flag, false on the CDRs of a database upgraded to it.
 */
@Tag("IC-CDR")
class CdrSchemaTest {

    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private static JdbcDataSource migratedDatabase() {
        JdbcDataSource ds = emptyDatabase();
        SchemaMigration.migrate(ds);
        return ds;
    }

    private static JdbcDataSource emptyDatabase() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:cdr-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    private static String insert(long id, String recordId) {
        return "INSERT INTO cdr (id, direction, a_call_id, start_ms, fax, record_id) VALUES (" + id
                + ", 'outbound', 'call-" + id + "', 1, FALSE, " + (recordId == null ? "NULL" : "'" + recordId + "'") + ")";
    }

    @Test
    void aRecordIdIsStoredOnceAndOlderRowsNeedNone() throws SQLException {
        JdbcDataSource ds = migratedDatabase();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(insert(1, null));
            s.executeUpdate(insert(2, null));
            s.executeUpdate(insert(3, ID));
            SQLException duplicate = assertThrows(SQLException.class, () -> s.executeUpdate(insert(4, ID)));
            assertEquals("23505", duplicate.getSQLState(), "unique violation, the same SQLSTATE on PostgreSQL");
            s.executeUpdate(insert(5, "x".repeat(36)));
            assertThrows(SQLException.class, () -> s.executeUpdate(insert(6, "y".repeat(37))));
        }
    }

    @Test
    void theEntityMapsTheRecordId() {
        JdbcDataSource ds = migratedDatabase();
        EntityManagerFactory emf = Persistence.createEntityManagerFactory("opentrunk", Map.of(
                "javax.persistence.transactionType", "RESOURCE_LOCAL",
                "javax.persistence.jtaDataSource", "",
                "javax.persistence.nonJtaDataSource", ds));
        try {
            EntityManager em = emf.createEntityManager();
            em.getTransaction().begin();
            CdrStore.using(em).record(List.of(entity(ID), entity(null)));
            em.getTransaction().commit();
            em.clear();
            List<CdrEntity> found = CdrStore.using(em).find(new CdrQuery(null, null, null, null, 10));
            assertEquals(2, found.size());
            assertEquals(1, found.stream().filter(e -> ID.equals(e.getRecordId())).count());
            assertNull(found.stream().filter(e -> e.getRecordId() == null).findFirst().orElseThrow().getRecordId());

            em.getTransaction().begin();
            CdrStore.using(em).record(List.of(entity(ID)));
            assertThrows(PersistenceException.class, () -> em.getTransaction().commit());
            em.close();
        } finally {
            emf.close();
        }
    }

    @Test
    @Tag("IC-EMERGENCY")
    void cdrsStoredBeforeV7AreNotEmergencyCalls() throws SQLException {
        JdbcDataSource ds = emptyDatabase();
        // the schema as an installation before this version has it, with a CDR in it
        Flyway.configure(SchemaMigration.class.getClassLoader()).dataSource(ds).locations("classpath:db/migration")
                .target("5").load().migrate();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(insert(1, ID));
        }
        SchemaMigration.migrate(ds);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(insert(2, null)); // an insert that names no emergency column gets the default
            s.executeUpdate("INSERT INTO cdr (id, direction, a_call_id, start_ms, fax, emergency)"
                    + " VALUES (3, 'outbound', 'call-3', 1, FALSE, TRUE)");
            ResultSet rows = s.executeQuery("SELECT id, emergency FROM cdr ORDER BY id");
            assertTrue(rows.next());
            assertFalse(rows.getBoolean("emergency"), "the upgraded row");
            assertTrue(rows.next());
            assertFalse(rows.getBoolean("emergency"), "the default");
            assertTrue(rows.next());
            assertTrue(rows.getBoolean("emergency"));
            assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE cdr SET emergency = NULL WHERE id = 1"));
        }
    }

    private static CdrEntity entity(String recordId) {
        CdrEntity e = new CdrEntity();
        e.setRecordId(recordId);
        e.setDirection("outbound");
        e.setACallId("call-" + recordId);
        e.setStartMs(1);
        return e;
    }
}

package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import java.util.concurrent.Executors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class DatabaseCheckTest {

    @Test
    void upWhenTheDatabaseAnswers() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:health-check");
        CheckResult result = new DatabaseCheck(h2).check();
        assertTrue(result.up(), result::detail);
        assertTrue(result.detail().matches("answered in \\d+ ms"), result.detail());
    }

    @Test
    void deadPooledConnectionsAreTriedPastUpToALimit() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:health-check-retry");
        AtomicInteger handedOut = new AtomicInteger();
        int dead = DatabaseCheck.MAX_POOLED_ATTEMPTS - 1;
        DataSource pool = pool(h2, handedOut, dead);
        assertTrue(new DatabaseCheck(pool).check().up());
        assertEquals(dead + 1, handedOut.get());

        AtomicInteger more = new AtomicInteger();
        SQLException e = assertThrows(SQLException.class,
                new DatabaseCheck(pool(h2, more, DatabaseCheck.MAX_POOLED_ATTEMPTS))::check);
        assertEquals("57P01", e.getSQLState());
        assertEquals(DatabaseCheck.MAX_POOLED_ATTEMPTS, more.get());
    }

    @Test
    void aDatabaseThatRefusesEveryConnectionIsDownAfterTheLastAttempt() {
        AtomicInteger tries = new AtomicInteger();
        DataSource refusing = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    tries.incrementAndGet();
                    throw new SQLException("Connection refused", "08001");
                });
        SQLException e = assertThrows(SQLException.class, new DatabaseCheck(refusing)::check);
        assertEquals("Connection refused", e.getMessage());
        assertEquals(DatabaseCheck.MAX_POOLED_ATTEMPTS, tries.get());
    }

    /** A pool whose first {@code dead} connections the server has closed: their queries fail. */
    private static DataSource pool(JdbcDataSource h2, AtomicInteger handedOut, int dead) {
        return (DataSource) Proxy.newProxyInstance(DatabaseCheckTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object real = method.invoke(h2, args);
                    if (!"getConnection".equals(method.getName()) || handedOut.incrementAndGet() > dead) {
                        return real;
                    }
                    Connection connection = (Connection) real;
                    return Proxy.newProxyInstance(DatabaseCheckTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if ("createStatement".equals(m.getName())) {
                                    throw new SQLException("FATAL: terminating connection due to administrator command", "57P01");
                                }
                                return m.invoke(connection, a);
                            });
                });
    }

    @Test
    void aFailingConnectionIsDownWithTheDriversMessage() {
        JdbcDataSource unreachable = new JdbcDataSource();
        unreachable.setURL("jdbc:h2:tcp://127.0.0.1:1/nothing-listens-here");
        DatabaseCheck check = new DatabaseCheck(unreachable);
        assertThrows(SQLException.class, check::check);
        var executor = Executors.newSingleThreadExecutor();
        try {
            CheckResult result = new BoundedCheck(check, executor).resultBy(System.nanoTime() + 5_000_000_000L);
            assertFalse(result.up());
            assertTrue(result.detail().startsWith("JdbcSQLNonTransientConnectionException: "), result.detail());
        } finally {
            executor.shutdownNow();
        }
    }
}

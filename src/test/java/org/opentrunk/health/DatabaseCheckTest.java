package org.opentrunk.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
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

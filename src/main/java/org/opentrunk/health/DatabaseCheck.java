package org.opentrunk.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The database answers: a connection from the pool runs {@code SELECT 1} (valid on H2 and
 * PostgreSQL). A real query rather than {@link Connection#isValid}: a query on a dead pooled
 * connection fails with a connection error, which makes Liberty discard it; the check then tries
 * another (see {@link #check}). The caller's {@link BoundedCheck} bounds all attempts together.
 */
public final class DatabaseCheck implements HealthCheck {

    public static final String NAME = "database";
    /** The driver's own limit on the query (JDBC counts whole seconds); the caller's bound is shorter. */
    static final int QUERY_TIMEOUT_SECONDS = 1;
    /**
     * Connections tried before the database counts as down: a dead pooled one makes Liberty purge
     * the pool (its default purge policy), so the next is normally new; one more for connections
     * that were in use during the purge and came back dead.
     */
    static final int MAX_POOLED_ATTEMPTS = 3;

    private final DataSource dataSource;

    public DatabaseCheck(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check() throws SQLException {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                try (ResultSet result = statement.executeQuery("SELECT 1")) {
                    if (!result.next()) {
                        return CheckResult.down(NAME, "SELECT 1 returned no row");
                    }
                }
                return CheckResult.up(NAME, "answered in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            } catch (SQLException e) {
                // After a database restart the pool still holds connections the server closed
                // (PostgreSQL: 57P01, 08003, from the query or already from getConnection); a
                // failing one makes Liberty purge the pool, so the next says whether the database
                // is there. A database that is down fails every attempt at once (refused).
                if (attempt >= MAX_POOLED_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}

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
 * connection fails with a connection error, which makes Liberty purge its pool, so the check
 * after the database is back gets a new connection and sees it.
 */
public final class DatabaseCheck implements HealthCheck {

    public static final String NAME = "database";
    /** The driver's own limit on the query (JDBC counts whole seconds); the caller's bound is shorter. */
    static final int QUERY_TIMEOUT_SECONDS = 1;

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
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet result = statement.executeQuery("SELECT 1")) {
                if (!result.next()) {
                    return CheckResult.down(NAME, "SELECT 1 returned no row");
                }
            }
        }
        return CheckResult.up(NAME, "answered in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }
}

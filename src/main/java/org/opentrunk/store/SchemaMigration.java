package org.opentrunk.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema to the version this build expects (Flyway, db/migration). On
 * Liberty, Flyway finds a classpath location only when it holds a file named flyway.location:
 * db/migration and db/callback (Flyway's default callback location, empty) each have one.
 */
public final class SchemaMigration {

    private SchemaMigration() {
    }

    /** Applies pending migrations; returns the schema version now in force. */
    public static String migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : String.valueOf(result.initialSchemaVersion);
    }
}

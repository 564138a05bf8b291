package org.opentrunk.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opentrunk.testing.PostgresServer;

/** The same registration storage suite on a real PostgreSQL server. */
class RegistrationStorePostgresIT extends RegistrationStoreContract {

    private static PostgresServer postgres;

    @BeforeAll
    static void database() throws Exception {
        postgres = PostgresServer.start();
        open(postgres.dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        closeFactory();
        if (postgres != null) {
            postgres.close();
        }
    }
}

package org.opentrunk.store;

import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The registration storage suite on the embedded database, as OpenTrunk runs it by default. */
class RegistrationStoreH2Test extends RegistrationStoreContract {

    @TempDir
    static Path dir;

    @BeforeAll
    static void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("opentrunk") + ";DB_CLOSE_ON_EXIT=FALSE");
        ds.setUser("opentrunk");
        ds.setPassword("opentrunk");
        open(ds);
    }
}

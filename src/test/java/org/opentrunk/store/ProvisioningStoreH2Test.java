package org.opentrunk.store;

import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The repository suite on the embedded database, as OpenTrunk runs it by default. */
class ProvisioningStoreH2Test extends ProvisioningStoreContract {

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

package org.opentrunk.admin;

import java.util.Optional;
import java.util.logging.Logger;
import javax.inject.Inject;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;
import javax.servlet.annotation.WebListener;
import org.opentrunk.core.auth.PasswordHash;
import org.opentrunk.core.settings.TrunkSettings;
import org.opentrunk.store.AdminCredentialFile;

/**
 * Makes sure the {@code admin} user has a password at start-up. {@code OT_ADMIN_PASSWORD}, when
 * set, is the password (re-hashed only when it changed). Otherwise a password stored earlier is
 * kept; on the very first start without either, a random one is generated, stored hashed and
 * printed once in the server log: it cannot be recovered afterwards, only replaced.
 */
@WebListener
public class AdminAccountBootstrap implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(AdminAccountBootstrap.class.getName());

    @Inject
    private TrunkAssembly assembly;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        TrunkSettings settings = assembly.settings();
        AdminCredentialFile store = new AdminCredentialFile(settings.dataDir());
        Optional<String> stored = store.read();
        Optional<String> configured = settings.adminPassword();
        if (configured.isPresent()) {
            if (stored.isEmpty() || !PasswordHash.matches(configured.get(), stored.get())) {
                store.write(PasswordHash.hash(configured.get()));
                LOG.info("Admin password set from OT_ADMIN_PASSWORD (stored hashed in " + store.path() + ")");
            }
        } else if (stored.isEmpty()) {
            String generated = PasswordHash.randomPassword();
            store.write(PasswordHash.hash(generated));
            LOG.warning("OpenTrunk generated the password of the admin user 'admin': " + generated
                    + "  (shown this once; set OT_ADMIN_PASSWORD to choose your own)");
        }
    }
}

package org.opentrunk.admin;

import java.util.logging.Logger;
import javax.annotation.Resource;
import javax.inject.Inject;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;
import javax.servlet.annotation.WebListener;
import javax.sql.DataSource;
import org.opentrunk.sip.Trunk;
import org.opentrunk.store.SchemaMigration;

/**
 * At start-up: bring the schema up to date, then hand the call path its first configuration
 * snapshot. A failure here stops the application from starting, loudly, rather than leaving a
 * trunk that answers calls with no configuration.
 */
@WebListener
public class ProvisioningStartup implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(ProvisioningStartup.class.getName());

    @Resource(lookup = "jdbc/opentrunk")
    private DataSource dataSource;
    @Inject
    private ConfigPublisher publisher;
    @Inject
    private TrunkHolder holder;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        holder.bind(Trunk.of(event.getServletContext()));
        String version = SchemaMigration.migrate(dataSource);
        publisher.publish();
        LOG.info("OpenTrunk database schema at version " + version + "; configuration loaded");
    }
}

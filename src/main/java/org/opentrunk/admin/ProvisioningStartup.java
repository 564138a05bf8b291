package org.opentrunk.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Logger;
import javax.annotation.Resource;
import javax.enterprise.concurrent.ManagedThreadFactory;
import javax.inject.Inject;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;
import javax.servlet.annotation.WebListener;
import javax.sql.DataSource;
import org.opentrunk.sip.Trunk;
import org.opentrunk.store.CdrJournal;
import org.opentrunk.store.CdrWriter;
import org.opentrunk.store.JpaCdrSink;
import org.opentrunk.store.JpaBindingPersistence;
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
    private org.opentrunk.store.ProvisioningStore store;
    @Inject
    private TrunkHolder holder;
    @Inject
    private JpaCdrSink cdrSink;
    @Inject
    private JpaBindingPersistence bindingPersistence;
    /** Threads that carry the application's context, so the CDR sink can use JPA and JTA. */
    @Resource
    private ManagedThreadFactory threads;
    private CdrWriter cdrWriter;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Trunk trunk = Trunk.of(event.getServletContext());
        holder.bind(trunk);
        String version = SchemaMigration.migrate(dataSource);
        int origids = store.assignMissingOrigids();
        if (origids > 0) {
            LOG.info("Gave " + origids + " customers their STIR/SHAKEN origid");
        }
        publisher.publish();
        try {
            cdrWriter = new CdrWriter(CdrJournal.inDataDirectory(trunk.settings().dataDir()), cdrSink,
                    CdrWriter.Limits.DEFAULTS, threads);
            cdrWriter.start();
            trunk.attachCdrs(cdrWriter);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the CDR journal in " + trunk.settings().dataDir(), e);
        }
        try {
            trunk.attachBindings(bindingPersistence);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot load the registrar's bindings", e);
        }
        LOG.info("OpenTrunk database schema at version " + version + "; configuration loaded");
    }

    /** A normal shutdown writes every CDR still queued (IC-CDR: none is lost). */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (cdrWriter != null) {
            cdrWriter.close();
        }
    }
}

package org.opentrunk.admin;

import java.util.logging.Logger;
import javax.enterprise.context.ApplicationScoped;
import javax.inject.Inject;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.store.ProvisioningStore;

/**
 * Rebuilds the call path's configuration snapshot from the database and swaps it in. Called at
 * start-up and after every committed change, so SIP threads never wait for the database.
 */
@ApplicationScoped
public class ConfigPublisher {

    private static final Logger LOG = Logger.getLogger(ConfigPublisher.class.getName());

    @Inject
    private ProvisioningStore store;
    @Inject
    private TrunkHolder holder;

    public synchronized void publish() {
        ConfigSnapshot snapshot = store.snapshot();
        holder.trunk().config().replace(snapshot);
        LOG.fine(() -> "Configuration published: " + snapshot.customers().size() + " customers, "
                + snapshot.carriers().size() + " carriers, " + snapshot.numberCount() + " numbers");
    }
}

package org.opentrunk.admin;

import java.util.logging.Logger;
import javax.enterprise.context.ApplicationScoped;
import javax.inject.Inject;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.sip.Trunk;
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
    private TrunkAssembly assembly;

    /** After a committed change: the running trunk gets the new snapshot. */
    public void publish() {
        publish(assembly.trunk());
        assembly.configurationChanged(); // the other nodes read it too (issue 20)
    }

    /** Into {@code trunk}: at start-up, before the assembly hands the trunk out. */
    synchronized void publish(Trunk trunk) {
        ConfigSnapshot snapshot = store.snapshot();
        trunk.config().replace(snapshot);
        LOG.fine(() -> "Configuration published: " + snapshot.customers().size() + " customers, "
                + snapshot.carriers().size() + " carriers, " + snapshot.numberCount() + " numbers");
    }
}

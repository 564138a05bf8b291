package org.opentrunk.admin;

import javax.inject.Inject;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;
import javax.servlet.annotation.WebListener;

/**
 * Builds the trunk when the application starts and closes it when it stops. A failure here stops
 * the application from starting, loudly, rather than leaving a trunk that answers calls with no
 * configuration.
 */
@WebListener
public class TrunkStartup implements ServletContextListener {

    @Inject
    private TrunkAssembly assembly;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        assembly.trunk();
    }

    /** After the servlets are gone (so after the calls): a normal shutdown writes every CDR still queued. */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        assembly.close();
    }
}

package org.opentrunk.admin;

import javax.annotation.Resource;
import javax.enterprise.concurrent.ManagedThreadFactory;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;
import javax.servlet.annotation.WebListener;
import javax.sql.DataSource;
import org.opentrunk.sip.Trunk;

/**
 * Starts the node's health checks with the application and stops them with it. Its own listener,
 * apart from {@link ProvisioningStartup}: the checks read the trunk's parts when they run, so they
 * need nothing from that start-up but find out when it has not happened.
 */
@WebListener
public class HealthStartup implements ServletContextListener {

    @Resource(lookup = "jdbc/opentrunk")
    private DataSource dataSource;
    /** Threads with the application's context: the database check uses the container's data source. */
    @Resource
    private ManagedThreadFactory threads;
    private NodeHealth health;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        health = NodeHealth.start(event.getServletContext(), Trunk.of(event.getServletContext()), dataSource, threads);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (health != null) {
            health.close();
        }
    }
}

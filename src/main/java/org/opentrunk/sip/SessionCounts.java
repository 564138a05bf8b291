package org.opentrunk.sip;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.servlet.sip.SipApplicationSessionEvent;
import javax.servlet.sip.SipApplicationSessionListener;
import javax.servlet.sip.SipSessionEvent;
import javax.servlet.sip.SipSessionListener;
import javax.servlet.sip.annotation.SipListener;

/** Counts the container's application and SIP sessions as they are created and destroyed. */
@SipListener
public class SessionCounts implements SessionCountsMBean, SipApplicationSessionListener,
        SipSessionListener {

    public static final String OBJECT_NAME = "org.opentrunk:type=SessionCounts";
    private static final Logger LOG = Logger.getLogger(SessionCounts.class.getName());

    // Static: the container may create one listener instance per listener interface.
    private static final LongAdder APP_CREATED = new LongAdder();
    private static final LongAdder APP_DESTROYED = new LongAdder();
    private static final LongAdder SIP_CREATED = new LongAdder();
    private static final LongAdder SIP_DESTROYED = new LongAdder();

    @Override
    public long getLiveApplicationSessions() {
        return APP_CREATED.sum() - APP_DESTROYED.sum();
    }

    @Override
    public long getLiveSipSessions() {
        return SIP_CREATED.sum() - SIP_DESTROYED.sum();
    }

    @Override
    public long getCreatedApplicationSessions() {
        return APP_CREATED.sum();
    }

    @Override
    public void sessionCreated(SipApplicationSessionEvent event) {
        APP_CREATED.increment();
    }

    @Override
    public void sessionDestroyed(SipApplicationSessionEvent event) {
        APP_DESTROYED.increment();
    }

    @Override
    public void sessionExpired(SipApplicationSessionEvent event) {
        // CallExpiry decides about expiry; counting happens on destruction.
    }

    @Override
    public void sessionReadyToInvalidate(SipApplicationSessionEvent event) {
    }

    @Override
    public void sessionCreated(SipSessionEvent event) {
        SIP_CREATED.increment();
    }

    @Override
    public void sessionDestroyed(SipSessionEvent event) {
        SIP_DESTROYED.increment();
    }

    @Override
    public void sessionReadyToInvalidate(SipSessionEvent event) {
    }

    /** Publishes the counts over JMX (idempotent: a redeployed application finds them there). */
    static void publish() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (!server.isRegistered(name)) {
                server.registerMBean(new SessionCounts(), name);
            }
        } catch (JMException e) {
            LOG.log(Level.WARNING, "Session counts not published over JMX", e);
        }
    }

    static void unpublish() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(OBJECT_NAME));
        } catch (JMException e) {
            LOG.log(Level.FINE, "Session counts MBean already gone", e);
        }
    }
}

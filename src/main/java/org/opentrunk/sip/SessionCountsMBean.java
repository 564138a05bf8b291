package org.opentrunk.sip;

/**
 * Live SIP container sessions of the OpenTrunk application, published over JMX as
 * {@code org.opentrunk:type=SessionCounts}. A call that ends leaves none behind; a count that
 * only grows is a leak (the session life-cycle test and operators watch it).
 */
public interface SessionCountsMBean {

    long getLiveApplicationSessions();

    long getLiveSipSessions();

    long getCreatedApplicationSessions();
}

package org.opentrunk.sip;

import javax.servlet.sip.ServletParseException;
import javax.servlet.sip.SipFactory;
import javax.servlet.sip.SipServletRequest;
import javax.servlet.sip.SipServletResponse;
import javax.servlet.sip.SipSession;
import javax.servlet.sip.SipURI;

/**
 * The way back to a registered PBX for the requests within its dialog (ACK, BYE, re-INVITE ...):
 * the same next hop as its INVITE, the flow its REGISTER came over ({@link RouteTargets}), kept on
 * the callee's SIP session. Without it those requests go to the PBX's Contact, which names a
 * private address behind NAT, or, over TCP and TLS, a port Liberty holds no connection for (baresip
 * writes its connection's local port there): Liberty then opens a new connection, which a PBX
 * behind NAT never receives and which a PBX without a TLS server certificate cannot accept (issue
 * 21). A PBX that Record-Routes chose its own route set, which is then followed instead.
 */
final class CalleeFlow {

    private static final String ATTRIBUTE = "org.opentrunk.calleeFlow";

    private CalleeFlow() {
    }

    /** Keeps {@code nextHop} (a loose-route URI, or null for none) for the dialog {@code invite} starts. */
    static void remember(SipServletRequest invite, String nextHop) {
        if (nextHop != null) {
            invite.getSession().setAttribute(ATTRIBUTE, nextHop);
        }
    }

    /** A 2xx with Record-Route: the dialog's route set decides, not the flow. */
    static void settle(SipServletResponse answer) {
        SipSession session = answer.getSession();
        if (answer.getHeader("Record-Route") != null && session.isValid()) {
            session.removeAttribute(ATTRIBUTE);
        }
    }

    /** Sends {@code inDialog} along its session's flow, when it has one. */
    static void follow(SipServletRequest inDialog, SipFactory sipFactory) throws ServletParseException {
        SipSession session = inDialog.getSession();
        if (session != null && session.isValid() && session.getAttribute(ATTRIBUTE) instanceof String nextHop) {
            inDialog.pushRoute((SipURI) sipFactory.createURI(nextHop));
        }
    }
}

package org.opentrunk.sip;

import java.util.logging.Logger;
import javax.servlet.sip.SipApplicationSession;
import javax.servlet.sip.SipApplicationSessionEvent;
import javax.servlet.sip.SipApplicationSessionListener;
import javax.servlet.sip.annotation.SipListener;

/**
 * Keeps answered calls alive past the application-session timeout of sip.xml. That timeout
 * reaps sessions of calls that never got anywhere (an INVITE whose transaction vanished, a
 * dialog-less request); an answered call may last hours and is ended by BYE (and by the RFC 4028
 * session timer, IC-TIMER), not by the container's idle clock.
 */
@SipListener
public class CallExpiry implements SipApplicationSessionListener {

    /** Minutes an answered call's application session is extended by at each expiry. */
    public static final int EXTENSION_MINUTES = 30;
    private static final Logger LOG = Logger.getLogger(CallExpiry.class.getName());

    @Override
    public void sessionExpired(SipApplicationSessionEvent event) {
        SipApplicationSession session = event.getApplicationSession();
        SipCall call = (SipCall) session.getAttribute(SipCall.ATTRIBUTE);
        if (call != null && call.state() == org.opentrunk.call.CallState.ANSWERED) {
            session.setExpires(EXTENSION_MINUTES);
        } else if (call != null) {
            LOG.fine(() -> "Reaping call in state " + call.state() + ": " + session.getId());
        }
    }

    @Override
    public void sessionCreated(SipApplicationSessionEvent event) {
    }

    @Override
    public void sessionDestroyed(SipApplicationSessionEvent event) {
        Object call = event.getApplicationSession().getAttribute(SipCall.ATTRIBUTE);
        if (call instanceof SipCall c) {
            c.onReaped(); // a call the container reaped still gives back what it held and leaves its CDR
        }
    }

    @Override
    public void sessionReadyToInvalidate(SipApplicationSessionEvent event) {
    }
}

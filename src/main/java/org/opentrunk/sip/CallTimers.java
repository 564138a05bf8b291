package org.opentrunk.sip;

import javax.servlet.sip.ServletTimer;
import javax.servlet.sip.TimerListener;
import javax.servlet.sip.annotation.SipListener;

/**
 * Delivers a call's container timer (one ServletTimer per call, tied to the call's application
 * session so that it dies with it) to the call, whose deadlines say which of its timers are due. Also
 * runs the continuations of requests that waited for work elsewhere ({@link SessionResume}).
 */
@SipListener
public class CallTimers implements TimerListener {

    /** The info of a call's one container timer: the call's own deadlines say which of its timers are due. */
    static final String DEADLINE = "org.opentrunk.call.deadline";

    @Override
    public void timeout(ServletTimer timer) {
        if (timer.getInfo() instanceof SessionResume.Continuation continuation) {
            continuation.run();
            return;
        }
        Object call = timer.getApplicationSession().getAttribute(SipCall.ATTRIBUTE);
        if (call instanceof SipCall c) {
            c.onTimer(timer);
        }
    }
}

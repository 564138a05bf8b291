package org.opentrunk.sip;

import javax.servlet.sip.ServletTimer;
import javax.servlet.sip.TimerListener;
import javax.servlet.sip.annotation.SipListener;

/**
 * Delivers a call's container timers (ServletTimer, tied to the call's application session so
 * they die with it) to the call; the timer's info says which of the call's timers fired. Also
 * runs the continuations of requests that waited for work elsewhere ({@link SessionResume}).
 */
@SipListener
public class CallTimers implements TimerListener {

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

package org.opentrunk.sip;

import javax.servlet.sip.ServletTimer;
import javax.servlet.sip.TimerListener;
import javax.servlet.sip.annotation.SipListener;

/**
 * Delivers a call's container timers (ServletTimer, tied to the call's application session so
 * they die with it) to the call. The timer's info says which of the call's timers fired.
 */
@SipListener
public class CallTimers implements TimerListener {

    @Override
    public void timeout(ServletTimer timer) {
        Object call = timer.getApplicationSession().getAttribute(Call.ATTRIBUTE);
        if (call instanceof Call c) {
            c.onTimer(timer.getInfo());
        }
    }
}

package org.opentrunk.admin;

import java.util.concurrent.atomic.LongAdder;
import javax.servlet.annotation.WebListener;
import javax.servlet.http.HttpSessionEvent;
import javax.servlet.http.HttpSessionListener;

/**
 * HTTP sessions created and live (issue 25): a session is created only by a login, never by
 * anyone fetching the login page, so that a flood of GETs cannot fill the heap with sessions that
 * live 30 minutes each. {@code /metrics} shows both, so the claim can be watched.
 */
@WebListener
public class HttpSessionCounts implements HttpSessionListener {

    private static final LongAdder CREATED = new LongAdder();
    private static final LongAdder DESTROYED = new LongAdder();

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        CREATED.increment();
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        DESTROYED.increment();
    }

    /** Sessions created since start. */
    public static long created() {
        return CREATED.sum();
    }

    /** Sessions live now. */
    public static long live() {
        return CREATED.sum() - DESTROYED.sum();
    }
}

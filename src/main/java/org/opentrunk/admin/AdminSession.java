package org.opentrunk.admin;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;

/**
 * The admin pages' login, kept in the HTTP session: the login page starts it after checking the
 * password, {@link AdminAccessFilter} reads it on each request, logout ends it. The
 * session's lifetime (web.xml session-timeout) is the login's.
 */
public final class AdminSession {

    /** Session attribute holding the logged-in caller's name. */
    static final String CALLER = AdminSession.class.getName() + ".caller";

    private AdminSession() {
    }

    /** Starts the login under a new session id, so a session id planted before login is worthless. */
    public static void begin(HttpServletRequest request, String caller) {
        HttpSession existing = request.getSession(false);
        if (existing != null) {
            request.changeSessionId();
        }
        request.getSession(true).setAttribute(CALLER, caller);
    }

    /** The logged-in caller, or null when this request has no login. */
    public static String caller(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? null : (String) session.getAttribute(CALLER);
    }

    public static void end(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }
}

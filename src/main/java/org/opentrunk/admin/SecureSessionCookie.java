package org.opentrunk.admin;

import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

/**
 * Issue 21: the admin login's session cookie becomes {@code Secure} once the login is used over
 * HTTPS, so that the browser never sends it over plain HTTP again (SameSite=Strict comes from
 * server.xml's httpSession).
 *
 * <p>Liberty makes every session cookie Secure or none ({@code httpSession cookieSecure}), and a
 * browser drops a Secure cookie set over plain HTTP, which would break the admin on the HTTP port;
 * and the cookie it sets at login is not visible to the application. So on the first HTTPS request
 * of a logged-in session (the page the login redirects to), the cookie the browser sent is set
 * again, same value, with {@code Secure}; the browser replaces its copy. With OT_HTTP_PORT=0 the
 * whole admin is HTTPS anyway.
 */
public final class SecureSessionCookie {

    /** Liberty's default session cookie name (httpSession cookieName, not changed by OpenTrunk). */
    static final String SESSION_COOKIE = "JSESSIONID";
    /** Session attribute: the Secure cookie was sent for this session. */
    static final String MARKED = SecureSessionCookie.class.getName() + ".marked";

    private SecureSessionCookie() {
    }

    /** On HTTPS, for a logged-in session whose cookie was not made Secure yet: sets it again with Secure. */
    public static void markIfHttps(HttpServletRequest request, HttpServletResponse response) {
        if (!request.isSecure() || request.getCookies() == null) {
            return;
        }
        HttpSession session = request.getSession(false);
        if (session == null || session.getAttribute(AdminSession.CALLER) == null || session.getAttribute(MARKED) != null) {
            return;
        }
        for (Cookie cookie : request.getCookies()) {
            if (SESSION_COOKIE.equals(cookie.getName()) && isToken(cookie.getValue())) {
                response.addHeader("Set-Cookie", SESSION_COOKIE + "=" + cookie.getValue()
                        + "; Path=/; Secure; HttpOnly; SameSite=Strict");
                session.setAttribute(MARKED, Boolean.TRUE);
                return;
            }
        }
    }

    /** Only a value Liberty could have made is echoed: letters, digits and {@code : - _ .} (no header injection). */
    static boolean isToken(String value) {
        return value != null && !value.isEmpty() && value.length() <= 256 && value.chars().allMatch(c ->
                (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '-'
                        || c == '_' || c == '.');
    }
}

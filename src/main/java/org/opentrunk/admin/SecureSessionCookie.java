package org.opentrunk.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Issue 21: the admin login's session cookie is {@code Secure} when the login happened over
 * HTTPS, so that the browser never sends it over plain HTTP (SameSite=Strict comes from
 * server.xml's httpSession). Liberty can only make every session cookie Secure or none
 * ({@code httpSession cookieSecure}), and a Secure cookie set over plain HTTP is dropped by
 * browsers, which would break the admin on the HTTP port; so the cookie the container has just
 * set is rewritten on HTTPS answers only. With OT_HTTP_PORT=0 the whole admin is HTTPS anyway.
 */
public final class SecureSessionCookie {

    private static final String SET_COOKIE = "Set-Cookie";
    private static final String SECURE = "; Secure";

    private SecureSessionCookie() {
    }

    /** Adds {@code Secure} to the Set-Cookie headers of this HTTPS answer that lack it; nothing over HTTP. */
    public static void markIfHttps(HttpServletRequest request, HttpServletResponse response) {
        if (!request.isSecure()) {
            return;
        }
        List<String> cookies = new ArrayList<>(response.getHeaders(SET_COOKIE));
        if (cookies.isEmpty()) {
            return;
        }
        boolean first = true;
        for (String cookie : cookies) {
            String value = cookie.toLowerCase(Locale.ROOT).contains("; secure") ? cookie : cookie + SECURE;
            if (first) {
                response.setHeader(SET_COOKIE, value); // replaces them all
                first = false;
            } else {
                response.addHeader(SET_COOKIE, value);
            }
        }
    }
}

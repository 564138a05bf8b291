package org.opentrunk.admin;

import java.io.IOException;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Headers that keep a browser from misusing the answers (mapped in WEB-INF/web.xml): no MIME
 * sniffing of JSON into script, nothing cached (answers carry customers' data and credentials'
 * state), never framed (clickjacking), and a content policy: the API's answers may run and load
 * nothing should a browser ever render one; the admin pages load only their own scripts and
 * styles, from files, and post only to themselves. No 'unsafe-inline' (issue 25): the pages have no
 * inline script, event handler or style (confirmations, Ajax buttons and the refresh are wired by
 * resources/admin.js from data- attributes), so markup injected past the output escaping could
 * still not run.
 */
public class SecurityHeadersFilter implements Filter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** RFC 6797: a year, this host only (the trunk's domain may have other hosts that are not HTTPS). */
    static final String HSTS = "max-age=31536000";
    static final String PAGES_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            // Set before the chain runs: the headers must be there however the response is committed.
            http.setHeader("X-Content-Type-Options", "nosniff");
            http.setHeader("Cache-Control", "no-store");
            http.setHeader("Pragma", "no-cache");
            http.setHeader("X-Frame-Options", "DENY");
            boolean page = request instanceof HttpServletRequest req
                    && !req.getRequestURI().startsWith(req.getContextPath() + AdminAccessFilter.API_PATH);
            http.setHeader("Content-Security-Policy", page ? PAGES_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY);
            // Pages: same-origin, so that their own form posts carry their Origin (with no-referrer a
            // browser sends "Origin: null" on every POST) and SameOriginFilter can tell them from forgeries.
            http.setHeader("Referrer-Policy", page ? "same-origin" : "no-referrer");
            if (request.isSecure()) {
                // Issue 21: a browser that reached the admin over HTTPS keeps to HTTPS for a year
                // (RFC 6797). Not over plain HTTP, where the header means nothing and may not be sent.
                http.setHeader("Strict-Transport-Security", HSTS);
                if (request instanceof HttpServletRequest req) {
                    SecureSessionCookie.markIfHttps(req, http);
                }
            }
        }
        chain.doFilter(request, response);
    }
}

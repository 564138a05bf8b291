package org.opentrunk.admin;

import java.io.IOException;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletResponse;

/**
 * Headers that keep a browser from misusing the API's answers (mapped in WEB-INF/web.xml): no
 * MIME sniffing of JSON into script, nothing cached (answers carry customers' data and
 * credentials' state), never framed (clickjacking), and a content policy that lets a response run
 * nothing and load nothing should a browser ever render one.
 */
public class SecurityHeadersFilter implements Filter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            // Set before the chain runs: the headers must be there however the response is committed.
            http.setHeader("X-Content-Type-Options", "nosniff");
            http.setHeader("Cache-Control", "no-store");
            http.setHeader("Pragma", "no-cache");
            http.setHeader("X-Frame-Options", "DENY");
            http.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            http.setHeader("Referrer-Policy", "no-referrer");
        }
        chain.doFilter(request, response);
    }
}

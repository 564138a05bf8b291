package org.opentrunk.admin;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * CSRF defence of the admin pages (issue 25), in front of the form login: a request that changes
 * something (any method but GET, HEAD and OPTIONS) must come from a page of this server. Browsers
 * name the page's origin in {@code Origin} on every such request (the pages' Referrer-Policy is
 * {@code same-origin} so that theirs is not "null"); a request naming another origin, or
 * "null" (a sandboxed frame, a data: page), is refused with 403 before the form is looked at. A
 * request naming none and no {@code Referer} either is not from a browser, so no one's session
 * can be borrowed by it, and goes on. JSF's server-side view state, which a forged form cannot
 * know, and the session cookie's SameSite attribute are the other two layers.
 */
public class SameOriginFilter implements Filter {

    /** Methods that change nothing (RFC 9110 safe methods). */
    static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response
                && !SAFE_METHODS.contains(request.getMethod().toUpperCase(Locale.ROOT))
                && !isSameOrigin(request.getHeader("Origin"), request.getHeader("Referer"), request.getScheme(),
                        request.getServerName(), request.getServerPort())) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "cross-origin request refused");
            return;
        }
        chain.doFilter(req, res);
    }

    /**
     * Whether a state-changing request may go on: its Origin (else its Referer's origin) is this
     * server as the client addressed it ({@code scheme://name:port} as the container read it from
     * the Host header or HTTP/2's authority; the port may be left out when it is the scheme's
     * default); true when the request names neither (not a browser). Behind a reverse proxy the
     * proxy must pass the Host on (docs/security.md).
     */
    static boolean isSameOrigin(String origin, String referer, String scheme, String serverName, int serverPort) {
        String named = origin != null ? origin.strip() : referer == null ? null : originOf(referer.strip());
        if (named == null) {
            return origin == null && referer == null;
        }
        if (serverName == null || named.equals("null")) {
            return false;
        }
        String self = scheme + "://" + serverName + ":" + serverPort;
        return named.equalsIgnoreCase(self) || named.equalsIgnoreCase(withoutDefaultPort(scheme, self));
    }

    /** {@code scheme://host[:port]} of a URL, null when it is not an absolute http(s) URL. */
    static String originOf(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getRawAuthority().replaceFirst("^.*@", "");
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String withoutDefaultPort(String scheme, String host) {
        String defaultPort = "https".equalsIgnoreCase(scheme) ? ":443" : ":80";
        return host.endsWith(defaultPort) ? host.substring(0, host.length() - defaultPort.length()) : host;
    }
}

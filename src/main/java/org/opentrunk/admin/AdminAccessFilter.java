package org.opentrunk.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Admin only, but for a short list of open paths: the REST API with HTTP basic (RFC 7617:
 * scripts, no session, no cookie a browser could be tricked into sending), the pages and the CSV
 * export with the form login's session ({@link AdminSession}), else off to the login page. Mapped
 * in WEB-INF/web.xml to the servlets that serve them (not to paths), and deciding by the
 * container's normalised path, so that another spelling of a protected page ({@code //admin/...})
 * is not a way round it: what is not listed as open needs the login.
 *
 * <p>Why a filter and not the container's security (appSecurity): with Liberty's security service
 * present, its SIP container checks every incoming SIP request against a trusted-address list by
 * resolving the host names in the request's top two Vias with a blocking DNS lookup on a SIP
 * container thread; a stranger's made-up names then hold the container's few task slots for as
 * long as the resolver takes to give up (docs/security.md, "Via host names"). The admin logic was
 * OpenTrunk's own anyway; the container only enforced it.
 */
public class AdminAccessFilter implements Filter {

    public static final String API_PATH = "/api/";
    public static final String LOGIN_PAGE = "/login.xhtml";
    public static final String REALM = "OpenTrunk";
    /**
     * What anyone may fetch of what the guarded servlets serve: the login and error pages. (Health,
     * metrics, the API's description and static files come from servlets this filter is not mapped
     * to, and are open.)
     */
    static final Set<String> OPEN_PATHS = Set.of(LOGIN_PAGE, "/error.xhtml");
    /** Below this, anyone may fetch: JSF's resources (the pages' style sheet). */
    static final List<String> OPEN_PREFIXES = List.of("/javax.faces.resource/");
    private static final String BASIC = "Basic ";
    /** RFC 6585: the client sent too many requests; the API uses it for a throttled login. */
    private static final int TOO_MANY_REQUESTS = 429;

    @Inject
    private AdminCredentials credentials;

    @Inject
    private AdminLoginThrottle throttle;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res); // not mapped to anything that is not HTTP; let it be
            return;
        }
        String path = path(request);
        boolean admitted = isOpen(path) || (path.startsWith(API_PATH) ? basic(request, response) : form(request, response));
        if (admitted) {
            chain.doFilter(request, response);
        }
    }

    /** The request's path in the application, as the container mapped it (decoded, dot segments resolved). */
    static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }

    /**
     * Open only when listed and spelt plainly: a path with dot segments, doubled or back slashes or
     * escapes left in it (a container that decodes after resolving dot segments) could name a
     * protected page behind an open prefix, so it needs the login.
     */
    static boolean isOpen(String path) {
        boolean plain = !path.contains("..") && !path.contains("//") && !path.contains("/./") && !path.contains("\\")
                && !path.contains("%") && !path.contains(";");
        return plain && (OPEN_PATHS.contains(path) || OPEN_PREFIXES.stream().anyMatch(path::startsWith));
    }

    private static boolean form(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (AdminSession.caller(request) != null) {
            return true;
        }
        response.sendRedirect(request.getContextPath() + LOGIN_PAGE);
        return false;
    }

    private boolean basic(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String source = request.getRemoteAddr();
        if (throttle.isBlocked(source)) {
            // Refused without looking at the credentials: a blocked guesser costs no hash.
            response.setHeader("Retry-After", String.valueOf(throttle.retryAfterSeconds()));
            response.sendError(TOO_MANY_REQUESTS);
            return false;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return challenge(response);
        }
        String[] userAndPassword = decode(header.substring(BASIC.length()).trim());
        if (userAndPassword != null && credentials.matches(userAndPassword[0], userAndPassword[1])) {
            return true;
        }
        throttle.recordFailure(source);
        return challenge(response);
    }

    private static boolean challenge(HttpServletResponse response) throws IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
        return false;
    }

    /** {user, password} from base64 "user:password", or null when it is not that. */
    private static String[] decode(String token) {
        try {
            String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return colon < 0 ? null : new String[] {text.substring(0, colon), text.substring(colon + 1)};
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}

package org.opentrunk.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import javax.enterprise.context.ApplicationScoped;
import javax.inject.Inject;
import javax.security.enterprise.AuthenticationStatus;
import javax.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import javax.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import javax.security.enterprise.credential.UsernamePasswordCredential;
import javax.security.enterprise.identitystore.CredentialValidationResult;
import javax.security.enterprise.identitystore.IdentityStoreHandler;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

/**
 * One application has one authentication mechanism, and OpenTrunk needs two: HTTP basic for the
 * REST API (RFC 7617: scripts, no session, no cookie a browser could be tricked into sending) and
 * form login for the admin pages (a session started by the login page, see {@link AdminSession}).
 * The path decides which applies; WEB-INF/web.xml decides what is protected. Basic is written out
 * rather than declared with {@code @BasicAuthenticationMechanismDefinition} because login
 * throttling per source address ({@link AdminLoginThrottle}) needs the client's address, which an
 * identity store never sees. The password itself is checked by {@link AdminIdentityStore}.
 */
@ApplicationScoped
public class AdminAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String API_PATH = "/api/";
    public static final String LOGIN_PAGE = "/login.xhtml";
    public static final String REALM = "OpenTrunk";
    private static final String BASIC = "Basic ";
    /** RFC 6585: the client sent too many requests; the API uses it for a throttled login. */
    private static final int TOO_MANY_REQUESTS = 429;

    @Inject
    private IdentityStoreHandler identityStores;

    @Inject
    private AdminLoginThrottle throttle;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith(API_PATH)) {
            return basic(request, response, context);
        }
        HttpSession session = request.getSession(false);
        String caller = session == null ? null : (String) session.getAttribute(AdminSession.CALLER);
        if (caller != null) {
            return context.notifyContainerAboutLogin(caller, Set.of(AdminIdentityStore.ADMIN_ROLE));
        }
        if (!context.isProtected()) {
            return context.doNothing();
        }
        return context.redirect(request.getContextPath() + LOGIN_PAGE);
    }

    private AuthenticationStatus basic(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        if (!context.isProtected()) {
            return context.doNothing(); // health, metrics, OpenAPI: open to all
        }
        String source = request.getRemoteAddr();
        if (throttle.isBlocked(source)) {
            // Refused without looking at the credentials: a blocked guesser costs no hash.
            response.setHeader("Retry-After", String.valueOf(throttle.retryAfterSeconds()));
            try {
                response.sendError(TOO_MANY_REQUESTS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return AuthenticationStatus.SEND_FAILURE;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return challenge(response, context);
        }
        UsernamePasswordCredential credential = decode(header.substring(BASIC.length()).trim());
        if (credential == null) {
            throttle.recordFailure(source);
            return challenge(response, context);
        }
        CredentialValidationResult result = identityStores.validate(credential);
        if (result.getStatus() == CredentialValidationResult.Status.VALID) {
            return context.notifyContainerAboutLogin(result);
        }
        throttle.recordFailure(source);
        return challenge(response, context);
    }

    private static AuthenticationStatus challenge(HttpServletResponse response, HttpMessageContext context) {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        return context.responseUnauthorized();
    }

    /** user:password from base64, or null when it is not that. */
    private static UsernamePasswordCredential decode(String token) {
        try {
            String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return colon < 0 ? null : new UsernamePasswordCredential(text.substring(0, colon), text.substring(colon + 1));
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}

package org.opentrunk.admin.web;

import java.io.IOException;
import java.io.PrintWriter;
import javax.inject.Inject;
import javax.servlet.DispatcherType;
import javax.servlet.ServletException;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.opentrunk.admin.AdminCredentials;
import org.opentrunk.admin.AdminLoginThrottle;
import org.opentrunk.admin.AdminSession;

/**
 * The admin login page, a plain servlet at {@code /login.xhtml} (the exact mapping wins over the
 * Faces servlet's {@code *.xhtml}). Issue 25: the JSF page it replaces started an HTTP session for
 * every GET (its flash scope and view state live in the session), so anyone could fill the heap
 * with sessions that each live 30 minutes by fetching the page. Here nothing is kept before a
 * login succeeds; {@link AdminSession#begin} then starts the session. Same form, field ids,
 * messages and throttling as before.
 */
@WebServlet(name = LoginServlet.NAME, urlPatterns = "/login.xhtml")
public class LoginServlet extends HttpServlet {

    /** The servlet's name, for the filter mappings in web.xml. */
    public static final String NAME = "admin-login";
    static final String USERNAME = "login:username";
    static final String PASSWORD = "login:password";
    /** Longest user name echoed back into the form. */
    private static final int MAX_ECHOED_USERNAME = 64;

    @Inject
    private AdminCredentials credentials;
    /** The same per-address throttle as the API's basic authentication. */
    @Inject
    private AdminLoginThrottle throttle;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page(request, response, AdminCredentials.ADMIN_USER, null, null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            doGet(request, response); // an expired admin page's POST, sent here as its error page
            return;
        }
        String username = request.getParameter(USERNAME);
        String password = request.getParameter(PASSWORD);
        if (username == null || username.isEmpty()) {
            page(request, response, "", "User is required.", null);
            return;
        }
        if (password == null || password.isEmpty()) {
            page(request, response, username, null, "Password is required.");
            return;
        }
        String source = request.getRemoteAddr();
        if (throttle.isBlocked(source)) {
            page(request, response, username, null, "Too many failed logins from this address; try again in "
                    + throttle.retryAfterSeconds() / 60 + " minutes.");
            return;
        }
        if (!credentials.matches(username, password)) {
            throttle.recordFailure(source);
            page(request, response, username, null, "Wrong user name or password.");
            return;
        }
        AdminSession.begin(request, username);
        response.sendRedirect(request.getContextPath() + LoginBean.HOME);
    }

    private static void page(HttpServletRequest request, HttpServletResponse response, String username,
            String usernameError, String passwordError) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        String context = request.getContextPath();
        boolean loggedOut = "true".equals(request.getParameter("loggedOut"));
        String shown = username.length() > MAX_ECHOED_USERNAME ? username.substring(0, MAX_ECHOED_USERNAME) : username;
        PrintWriter out = response.getWriter();
        out.print("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="UTF-8"/>
                  <meta name="viewport" content="width=device-width, initial-scale=1"/>
                  <title>OpenTrunk · Log in</title>
                  <link rel="stylesheet" href="%1$s/resources/admin.css"/>
                </head>
                <body>
                  <div class="login">
                    <h1>OpenTrunk admin</h1>
                    %2$s
                    <form id="login" name="login" method="post" action="%1$s/login.xhtml">
                      <div class="field">
                        <label for="login:username">User</label>
                        <input id="login:username" name="login:username" type="text" value="%3$s" autocomplete="username"/>
                      </div>
                      %4$s
                      <div class="field">
                        <label for="login:password">Password</label>
                        <input id="login:password" name="login:password" type="password" autofocus="autofocus" autocomplete="current-password"/>
                      </div>
                      %5$s
                      <div class="actions">
                        <input id="login:submit" name="login:submit" type="submit" value="Log in"/>
                      </div>
                    </form>
                    <p class="hint">The password of the user admin was printed in the server log on the first start,
                      unless OT_ADMIN_PASSWORD set it.</p>
                  </div>
                </body>
                </html>
                """.formatted(escape(context), loggedOut ? "<span class=\"hint\">You are logged out.</span>" : "",
                escape(shown), error(usernameError), error(passwordError)));
    }

    private static String error(String message) {
        return message == null ? "" : "<span class=\"error\">" + escape(message) + "</span>";
    }

    /** HTML text and attribute values: the user name is whatever was posted. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 ? ' ' : c);
            }
        }
        return out.toString();
    }
}

package org.opentrunk.admin.web;

import java.io.IOException;
import java.io.PrintWriter;
import javax.servlet.RequestDispatcher;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The page shown for a missing page (404) or a failure (500), as a plain servlet at
 * {@code /error.xhtml} like {@link LoginServlet}: the JSF page it replaces started an HTTP session
 * on every render (JSF's and CDI's bookkeeping live in the session), so anyone could create
 * sessions by asking for pages that do not exist, and a browser's favicon request racing a login
 * could replace the fresh login's session cookie with one of those empty sessions. Nothing here
 * touches the session. No stack trace, no exception text: the server log has the details.
 */
@WebServlet(name = "error-page", urlPatterns = "/error.xhtml")
public class ErrorPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Every method: the error page answers whatever request failed. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean notFound = Integer.valueOf(HttpServletResponse.SC_NOT_FOUND)
                .equals(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
        response.setContentType("text/html;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.print("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="UTF-8"/>
                  <title>OpenTrunk · Something went wrong</title>
                  <link rel="stylesheet" href="%1$s/resources/admin.css"/>
                </head>
                <body>
                  <div class="login">
                    <h1 id="error-title">%2$s</h1>
                    <p>%3$s</p>
                    <p><a href="%1$s/admin/">Back to the admin pages</a></p>
                  </div>
                </body>
                </html>
                """.formatted(LoginServlet.escape(request.getContextPath()), notFound ? "Page not found" : "Something went wrong",
                notFound ? "There is no such page."
                        : "The request could not be completed. Nothing was changed unless the page said so; details are in the server log."));
    }
}

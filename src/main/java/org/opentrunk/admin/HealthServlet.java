package org.opentrunk.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.opentrunk.health.HealthReport;

/**
 * {@code GET /health/live}, {@code /health/ready} and {@code /health} (the same as ready, what it
 * always meant to load balancers): the named checks and their verdict as JSON, 200 when up, 503
 * when not. Answers within the checks' bound however a dependency hangs.
 *
 * <p>A plain servlet rather than Liberty's mpHealth feature (which served {@code /health} before
 * with no checks at all): the SIP side needs the same checks and their verdict for its OPTIONS
 * answer, so they are OpenTrunk's own code either way; mpHealth would only add CDI discovery of
 * check beans and its own endpoint application in front of the same logic, runs its checks on the
 * HTTP thread with no time bound of its own, and its newer versions (4.0+) cannot be combined with
 * sipServlet-1.1's Java EE 8 feature set, so it is a dead end. The JSON keeps mpHealth's shape.
 *
 * <p>Open without login, like {@code /metrics}: states and figures, no customer data. Bind the HTTP
 * port to a management address (OT_HTTP_HOST) where that matters.
 */
@WebServlet({HealthServlet.HEALTH, HealthServlet.LIVE, HealthServlet.READY})
public class HealthServlet extends HttpServlet {

    static final String HEALTH = "/health";
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    private static final long serialVersionUID = 1L;

    @Inject
    private TrunkAssembly assembly;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        NodeHealth health = assembly.health();
        HealthReport report = LIVE.equals(request.getServletPath()) ? health.live() : health.ready();
        response.setStatus(report.up() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(report.toJson());
    }
}

package org.opentrunk.admin.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.inject.Inject;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.opentrunk.admin.CdrCsv;
import org.opentrunk.admin.CdrFilter;
import org.opentrunk.admin.CdrJson;
import org.opentrunk.core.provisioning.InvalidFieldException;
import org.opentrunk.store.CdrQuery;
import org.opentrunk.store.CdrStore;

/**
 * The CDR page's CSV download: the page's filter as query parameters, answered with the same CSV
 * as the API's. Under /admin/*, so the admin session authorizes it (the API wants basic auth).
 */
@WebServlet("/admin/cdrs.csv")
public class CdrCsvServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    private CdrStore store;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CdrFilter filter = new CdrFilter();
        filter.setSince(request.getParameter("since"));
        filter.setUntil(request.getParameter("until"));
        filter.setNumber(request.getParameter("number"));
        filter.setCustomerId(request.getParameter("customerId"));
        filter.setDirection(request.getParameter("direction"));
        filter.setStatus(request.getParameter("status"));
        List<CdrJson> cdrs;
        try {
            cdrs = store.find(filter.query(CdrQuery.MAX_LIMIT)).stream().map(CdrJson::of).toList();
        } catch (InvalidFieldException e) {
            response.setContentType("text/plain;charset=UTF-8");
            response.setStatus(422);
            response.getWriter().write(e.getMessage());
            return;
        }
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"opentrunk-cdrs-"
                + Instant.now().getEpochSecond() + ".csv\"");
        response.getOutputStream().write(CdrCsv.of(cdrs).getBytes(StandardCharsets.UTF_8));
    }
}

package org.opentrunk.admin;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import javax.inject.Inject;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.opentrunk.sip.SessionCounts;
import org.opentrunk.sip.Trunk;
import org.opentrunk.store.CdrWriter;

/**
 * {@code GET /metrics}: the trunk's own figures in the Prometheus text format (version 0.0.4), for
 * a scraper. OpenTrunk writes them itself rather than through MicroProfile Metrics, whose Liberty
 * feature pulls in Liberty's security service, and that makes the SIP container resolve every
 * request's Via host names (docs/security.md, "Via host names"). Open like /health: counts, no
 * customer data; bind the HTTP port to a management address (OT_HTTP_HOST) if that matters.
 */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    private TrunkHolder holder;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Trunk trunk = holder.trunk();
        response.setContentType(CONTENT_TYPE);
        PrintWriter out = response.getWriter();
        gauge(out, "opentrunk_calls_active", "Calls in progress (both directions)", trunk.liveCalls().summaries().size());
        gauge(out, "opentrunk_invites_in_setup", "INVITEs admitted and not yet answered or failed", trunk.admission().inProgress());
        gauge(out, "opentrunk_invites_in_setup_max", "Capacity for INVITEs in setup (OT_MAX_INVITES_IN_PROGRESS)",
                trunk.admission().maxInProgress());
        SessionCounts sessions = new SessionCounts();
        gauge(out, "opentrunk_sip_application_sessions", "Live SIP application sessions in the container",
                sessions.getLiveApplicationSessions());
        counter(out, "opentrunk_sip_application_sessions_created_total", "SIP application sessions created",
                sessions.getCreatedApplicationSessions());
        counter(out, "opentrunk_caller_id_refused_total", "Outbound calls refused for a caller ID the customer may not present",
                trunk.callerIdRefusals().total());
        gauge(out, "opentrunk_media_port_pairs_free", "RTP/RTCP port pairs free for anchored calls", trunk.mediaPortPairsFree());
        gauge(out, "opentrunk_auth_blocked_addresses", "Addresses blocked after failed digest authentications",
                trunk.authFailures().blocks(System.currentTimeMillis()).size());
        trunk.cdrCounters().ifPresent(cdr -> cdrs(out, cdr));
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        gauge(out, "jvm_heap_used_bytes", "Heap in use", heap.getUsed());
        gauge(out, "jvm_heap_max_bytes", "Largest heap the JVM may use", heap.getMax());
        gauge(out, "jvm_threads", "Live threads", ManagementFactory.getThreadMXBean().getThreadCount());
        gauge(out, "process_uptime_seconds", "Seconds since the JVM started",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }

    private static void cdrs(PrintWriter out, CdrWriter.Counters cdr) {
        String name = "opentrunk_cdr_records_total";
        out.printf(Locale.ROOT, "# HELP %s CDRs by what became of them since start%n# TYPE %s counter%n", name, name);
        sample(out, name + "{state=\"submitted\"}", cdr.submitted());
        sample(out, name + "{state=\"journaled\"}", cdr.journaled());
        sample(out, name + "{state=\"written\"}", cdr.written());
        sample(out, name + "{state=\"refused\"}", cdr.overflow());
        sample(out, name + "{state=\"lost\"}", cdr.lost());
        gauge(out, "opentrunk_cdr_pending", "CDRs not in the database yet (queued or journaled)", cdr.pending());
        counter(out, "opentrunk_cdr_write_retries_total", "Failed database writes of CDRs, each retried", cdr.retries());
    }

    private static void gauge(PrintWriter out, String name, String help, double value) {
        out.printf(Locale.ROOT, "# HELP %s %s%n# TYPE %s gauge%n", name, help, name);
        sample(out, name, value);
    }

    private static void counter(PrintWriter out, String name, String help, double value) {
        out.printf(Locale.ROOT, "# HELP %s %s%n# TYPE %s counter%n", name, help, name);
        sample(out, name, value);
    }

    private static void sample(PrintWriter out, String name, double value) {
        out.print(name);
        out.print(' ');
        out.print(value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value));
        out.print('\n');
    }
}

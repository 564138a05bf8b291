package org.opentrunk.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import javax.inject.Inject;
import javax.servlet.annotation.WebServlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.opentrunk.core.timer.SteadyClock;
import org.opentrunk.sip.SessionCounts;
import org.opentrunk.sip.Trunk;
import org.opentrunk.store.CdrWriter;

/**
 * {@code GET /metrics}: the trunk's own figures in the Prometheus text format (version 0.0.4), for
 * a scraper. Micrometer's Prometheus registry (on the Prometheus Java client 1.x) writes the text:
 * escaping of HELP texts and label values, number formatting, the {@code _total} suffix of counters,
 * the name rules. Each series is a gauge or a {@link FunctionCounter} that reads the trunk's live
 * value at scrape time, so nothing here counts by itself.
 *
 * <p>The registry is a plain library object owned by this servlet, not Liberty's mpMetrics feature:
 * sipServlet-1.1 pins the Java EE 8 feature set, mpMetrics pulls in Liberty's security service (which
 * makes the SIP container resolve every request's Via host names: docs/security.md, "Via host
 * names"), and one registry we create is simpler than a feature's lifecycle. No JVM binders are
 * registered: the JVM series keep the names they had before Micrometer.
 *
 * <p>One name changed: the registry refuses a counter whose name ends in {@code _created} (OpenMetrics
 * reserves that suffix for a counter's creation time), so the SIP application sessions created are
 * {@code opentrunk_sip_application_sessions_started_total}, no longer
 * {@code opentrunk_sip_application_sessions_created_total} (docs/operations.md).
 *
 * <p>Open like /health: counts, no customer data; bind the HTTP port to a management address
 * (OT_HTTP_HOST) if that matters.
 */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    @Inject
    private TrunkHolder holder;

    private transient PrometheusMeterRegistry registry;

    @Override
    public void init() {
        registry = register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> holder.trunk());
    }

    @Override
    public void destroy() {
        registry.close();
    }

    /** The trunk's series in {@code registry}, each reading its value from {@code trunk} when scraped. */
    static PrometheusMeterRegistry register(PrometheusMeterRegistry registry, Supplier<Trunk> trunk) {
        gauge(registry, "opentrunk.calls.active", "Calls in progress (both directions)",
                () -> trunk.get().liveCalls().summaries().size());
        gauge(registry, "opentrunk.invites.in.setup", "INVITEs admitted and not yet answered or failed",
                () -> trunk.get().admission().inProgress());
        gauge(registry, "opentrunk.invites.in.setup.max", "Capacity for INVITEs in setup (OT_MAX_INVITES_IN_PROGRESS)",
                () -> trunk.get().admission().maxInProgress());
        SessionCounts sessions = new SessionCounts(); // reads the container-wide counts kept by its listener
        gauge(registry, "opentrunk.sip.application.sessions", "Live SIP application sessions in the container",
                sessions::getLiveApplicationSessions);
        counter(registry, "opentrunk.sip.application.sessions.started", "SIP application sessions created",
                trunk, t -> sessions.getCreatedApplicationSessions());
        counter(registry, "opentrunk.caller.id.refused", "Outbound calls refused for a caller ID the customer may not present",
                trunk, t -> t.callerIdRefusals().total());
        gauge(registry, "opentrunk.http.sessions", "Live HTTP sessions (admin page logins)", HttpSessionCounts::live);
        counter(registry, "opentrunk.http.sessions.started", "HTTP sessions created (only a login creates one)",
                trunk, t -> HttpSessionCounts.created());
        gauge(registry, "opentrunk.media.port.pairs.free", "RTP/RTCP port pairs free for anchored calls",
                () -> trunk.get().mediaPortPairsFree());
        gauge(registry, "opentrunk.auth.blocked.addresses", "Addresses blocked after failed digest authentications",
                () -> trunk.get().authFailures().blocks(SteadyClock.millis()).size());

        String records = "opentrunk.cdr.records";
        String recordsHelp = "CDRs by what became of them since start";
        cdrCounter(registry, records, recordsHelp, "submitted", trunk, CdrWriter.Counters::submitted);
        cdrCounter(registry, records, recordsHelp, "journaled", trunk, CdrWriter.Counters::journaled);
        cdrCounter(registry, records, recordsHelp, "written", trunk, CdrWriter.Counters::written);
        cdrCounter(registry, records, recordsHelp, "refused", trunk, CdrWriter.Counters::overflow);
        cdrCounter(registry, records, recordsHelp, "lost", trunk, CdrWriter.Counters::lost);
        gauge(registry, "opentrunk.cdr.pending", "CDRs not in the database yet (queued or journaled)",
                () -> cdr(trunk).map(CdrWriter.Counters::pending).orElse(0L));
        cdrCounter(registry, "opentrunk.cdr.write.retries", "Failed database writes of CDRs, each retried", null, trunk,
                CdrWriter.Counters::retries);

        gauge(registry, "jvm.heap.used.bytes", "Heap in use",
                () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        gauge(registry, "jvm.heap.max.bytes", "Largest heap the JVM may use",
                () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
        gauge(registry, "jvm.threads", "Live threads", () -> ManagementFactory.getThreadMXBean().getThreadCount());
        gauge(registry, "process.uptime.seconds", "Seconds since the JVM started",
                () -> ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        return registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        holder.trunk(); // before start-up has finished: an error, as before, rather than a page of NaN
        response.setContentType(CONTENT_TYPE);
        registry.scrape(response.getOutputStream(), CONTENT_TYPE);
    }

    private static void gauge(PrometheusMeterRegistry registry, String name, String help, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).register(registry);
    }

    private static void counter(PrometheusMeterRegistry registry, String name, String help, Supplier<Trunk> trunk,
                                ToLongFunction<Trunk> count) {
        // the object a FunctionCounter reads is held weakly: the registry itself lives as long as the meter
        FunctionCounter.builder(name, registry, r -> count.applyAsLong(trunk.get())).description(help).register(registry);
    }

    /** A count of the CDR writer; 0 before start-up has attached it. */
    private static void cdrCounter(PrometheusMeterRegistry registry, String name, String help, String state,
                                   Supplier<Trunk> trunk, ToLongFunction<CdrWriter.Counters> count) {
        FunctionCounter.Builder<PrometheusMeterRegistry> builder = FunctionCounter.builder(name, registry,
                r -> cdr(trunk).map(count::applyAsLong).orElse(0L)).description(help);
        if (state != null) {
            builder.tag("state", state);
        }
        builder.register(registry);
    }

    private static Optional<CdrWriter.Counters> cdr(Supplier<Trunk> trunk) {
        return trunk.get().cdrCounters();
    }
}

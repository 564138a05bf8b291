package org.opentrunk.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.opentrunk.core.config.Carrier;
import org.opentrunk.core.config.ConfigSnapshot;
import org.opentrunk.core.config.Customer;
import org.opentrunk.core.timer.SteadyClock;
import org.opentrunk.hep.HepExport;
import org.opentrunk.metrics.TrunkMetrics;
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
 * <p>The registry is the trunk's ({@link TrunkMetrics}: the per-carrier and per-customer call series,
 * fed from each CDR, and Micrometer's JVM binders); this servlet adds the gauges that read the
 * trunk's state, and before each scrape sets the per-peer gauges (live calls, channels, probe
 * state) from it. It is a plain library object, not Liberty's mpMetrics feature:
 * sipServlet-1.1 pins the Java EE 8 feature set, mpMetrics pulls in Liberty's security service (which
 * makes the SIP container resolve every request's Via host names: docs/security.md, "Via host
 * names"), and one registry we create is simpler than a feature's lifecycle. The JVM series are
 * Micrometer's binders' ({@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*} ...), beside the
 * three hand-made ones of before ({@code jvm_heap_used_bytes}, {@code jvm_heap_max_bytes},
 * {@code jvm_threads}), kept for existing dashboards.
 *
 * <p>One name changed: the registry refuses a counter whose name ends in {@code _created} (OpenMetrics
 * reserves that suffix for a counter's creation time), so the SIP application sessions created are
 * {@code opentrunk_sip_application_sessions_started_total}, no longer
 * {@code opentrunk_sip_application_sessions_created_total} (docs/operations.md).
 *
 * <p>Open like /health, as scrapers expect. It names carriers and customers (ids and name-safe
 * names) with their call volumes, which is business data though no call's: bind the HTTP port to a
 * management address (OT_HTTP_HOST) or filter /metrics in front of it (docs/operations.md).
 */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    @Inject
    private TrunkAssembly assembly;

    /** The trunk's registry with this servlet's gauges, once start-up has finished; guarded by this. */
    private transient PrometheusMeterRegistry registry;

    /** The registry, with the trunk gauges registered on first use. */
    private synchronized PrometheusMeterRegistry registry(Trunk trunk) {
        if (registry == null) {
            registry = register(trunk.metrics().registry(), () -> assembly.trunk(), () -> assembly.cdrs(), () -> assembly.hep());
        }
        return registry;
    }

    /** The trunk's series in {@code registry}, each reading its value from {@code trunk} when scraped. */
    static PrometheusMeterRegistry register(PrometheusMeterRegistry registry, Supplier<Trunk> trunk,
                                            Supplier<CdrWriter> cdrs, Supplier<HepExport> hep) {
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
        gauge(registry, "opentrunk.media.port.pairs.in.use", "RTP/RTCP port pairs the relay has bound (two per anchored call)",
                () -> trunk.get().mediaPortPairsInUse());
        gauge(registry, "opentrunk.media.port.pairs", "RTP/RTCP port pairs of the relay in all (OT_RTP_PORTS)",
                () -> trunk.get().mediaPortPairs());
        gauge(registry, "opentrunk.auth.blocked.addresses", "Addresses blocked after failed digest authentications",
                () -> trunk.get().authFailures().blocks(SteadyClock.millis()).size());
        counter(registry, "opentrunk.auth.failures", "Failed authentications (wrong digest password, wrong or missing tech prefix)",
                trunk, t -> t.authFailures().failuresCounted());
        counter(registry, "opentrunk.auth.blocks", "Source addresses blocked after repeated failed authentications",
                trunk, t -> t.authFailures().blocksImposed());
        // Per-source memory (issue 25, floods from many addresses): each is bounded; these show how full.
        gauge(registry, "opentrunk.admission.tracked.sources", "Source addresses with an INVITE rate bucket (at most "
                + org.opentrunk.core.limits.AdmissionGuard.MAX_TRACKED_SOURCES + ")", () -> trunk.get().admission().trackedSources());
        gauge(registry, "opentrunk.auth.tracked.addresses", "Source addresses with failed authentications being counted (at most "
                + org.opentrunk.core.limits.AuthFailureGuard.MAX_TRACKED_ADDRESSES + ")", () -> trunk.get().authFailures().trackedAddresses());
        gauge(registry, "opentrunk.registrar.bindings", "Registered contacts held by the registrar",
                () -> trunk.get().bindings().size());

        String records = "opentrunk.cdr.records";
        String recordsHelp = "CDRs by what became of them since start";
        cdrCounter(registry, records, recordsHelp, "submitted", cdrs, CdrWriter.Counters::submitted);
        cdrCounter(registry, records, recordsHelp, "journaled", cdrs, CdrWriter.Counters::journaled);
        cdrCounter(registry, records, recordsHelp, "written", cdrs, CdrWriter.Counters::written);
        cdrCounter(registry, records, recordsHelp, "refused", cdrs, CdrWriter.Counters::overflow);
        cdrCounter(registry, records, recordsHelp, "lost", cdrs, CdrWriter.Counters::lost);
        gauge(registry, "opentrunk.cdr.pending", "CDRs not in the database yet (queued or journaled)",
                () -> cdrs.get().counters().pending());
        cdrCounter(registry, "opentrunk.cdr.write.retries", "Failed database writes of CDRs, each retried", null, cdrs,
                CdrWriter.Counters::retries);

        String hepPackets = "opentrunk.hep.messages";
        String hepHelp = "SIP messages for the HEP collector (OT_HEP_ADDRESS) by what became of them";
        hepCounter(registry, hepPackets, hepHelp, "sent", hep, HepExport.Counters::sent);
        hepCounter(registry, hepPackets, hepHelp, "dropped", hep, HepExport.Counters::dropped);
        hepCounter(registry, hepPackets, hepHelp, "failed", hep, HepExport.Counters::failed);

        gauge(registry, "jvm.heap.used.bytes", "Heap in use",
                () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        gauge(registry, "jvm.heap.max.bytes", "Largest heap the JVM may use",
                () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
        gauge(registry, "jvm.threads", "Live threads", () -> ManagementFactory.getThreadMXBean().getThreadCount());
        // process_uptime_seconds: Micrometer's UptimeMetrics binder (TrunkMetrics), same name and meaning
        return registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Trunk trunk = assembly.trunk(); // before start-up has finished: an error, as before, rather than a page of NaN
        PrometheusMeterRegistry scraped = registry(trunk);
        String text;
        synchronized (this) { // one scrape at a time sets the peer gauges and writes them
            trunk.metrics().peers(peerState(trunk));
            text = scraped.scrape(CONTENT_TYPE);
        }
        response.setContentType(CONTENT_TYPE);
        response.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Live calls per carrier and customer, probe states and channels, as they are now. */
    static TrunkMetrics.PeerState peerState(Trunk trunk) {
        Map<Long, Integer> byCarrier = trunk.liveCalls().byCarrier();
        Map<Long, Integer> byCustomer = trunk.liveCalls().byCustomer();
        ConfigSnapshot config = trunk.config().current();
        Map<Long, String> probes = new HashMap<>();
        for (Carrier carrier : config.carriers()) {
            probes.put(carrier.id(), trunk.carrierHealth().status(carrier.id()).state().name().toLowerCase(Locale.ROOT));
            byCarrier.putIfAbsent(carrier.id(), 0);
        }
        Map<Long, Integer> inUse = new HashMap<>();
        Map<Long, Integer> max = new HashMap<>();
        for (Customer customer : config.customers()) {
            inUse.put(customer.id(), trunk.callAdmission().inUse(customer.id()));
            max.put(customer.id(), customer.maxChannels());
            byCustomer.putIfAbsent(customer.id(), 0);
        }
        return new TrunkMetrics.PeerState(byCarrier, byCustomer, probes, inUse, max);
    }

    private static void gauge(PrometheusMeterRegistry registry, String name, String help, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).register(registry);
    }

    private static void counter(PrometheusMeterRegistry registry, String name, String help, Supplier<Trunk> trunk,
                                ToLongFunction<Trunk> count) {
        // the object a FunctionCounter reads is held weakly: the registry itself lives as long as the meter
        FunctionCounter.builder(name, registry, r -> count.applyAsLong(trunk.get())).description(help).register(registry);
    }

    /** A count of the HEP export. */
    private static void hepCounter(PrometheusMeterRegistry registry, String name, String help, String state,
                                   Supplier<HepExport> hep, ToLongFunction<HepExport.Counters> count) {
        FunctionCounter.builder(name, registry, r -> count.applyAsLong(hep.get().counters()))
                .description(help).tag("state", state).register(registry);
    }

    /** A count of the CDR writer. */
    private static void cdrCounter(PrometheusMeterRegistry registry, String name, String help, String state,
                                   Supplier<CdrWriter> cdrs, ToLongFunction<CdrWriter.Counters> count) {
        FunctionCounter.Builder<PrometheusMeterRegistry> builder = FunctionCounter.builder(name, registry,
                r -> count.applyAsLong(cdrs.get().counters())).description(help);
        if (state != null) {
            builder.tag("state", state);
        }
        builder.register(registry);
    }

}

package org.opentrunk.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;

/**
 * The trunk's Prometheus series about calls, per carrier and per customer, and the JVM's, in one
 * Micrometer registry that {@code /metrics} writes (MetricsServlet adds the gauges that read the
 * trunk's other state at scrape time).
 *
 * <p><b>Counters, not ratios.</b> ASR (answer-seizure ratio) and ACD (average call duration) are
 * not exported as gauges over a window this process chooses: Prometheus practice is to export
 * monotonic counters and sums and let the query pick the window, because a ratio cannot be
 * aggregated across nodes or carriers (an average of ASRs is not the ASR of the sum), a gauge
 * computed over a fixed window hides what happened between two scrapes and cannot be re-windowed,
 * and counters survive a missed scrape ({@code rate()} spans it). So, per carrier:
 * <pre>
 *   ASR = sum by (carrier_id) (rate(opentrunk_carrier_calls_answered_total[15m]))
 *       / sum by (carrier_id) (rate(opentrunk_carrier_call_attempts_total[15m]))
 *   ACD = sum by (carrier_id) (rate(opentrunk_carrier_call_duration_seconds_sum[15m]))
 *       / sum by (carrier_id) (rate(opentrunk_carrier_call_duration_seconds_count[15m]))
 * </pre>
 * (the same with {@code customer}); the rules and the dashboard in {@code deploy/} use them.
 *
 * <p><b>Fed from the CDR.</b> Every call attempt leaves exactly one CDR (IC-CDR), so the call
 * series count {@link #recorded CDRs as they are handed to the writer}: an attempt is one CDR,
 * answered when it has an answer time, failed otherwise (by SIP status class and disconnect
 * cause), its duration and post-dial delay from the CDR's times. The carrier is the CDR's: the
 * last one an outbound call tried (an earlier carrier that timed out before a failover is not
 * counted as an attempt of its own), the one an inbound call came from.
 *
 * <p>Each carrier and customer is labelled by id and a name-safe name ({@link PeerLabels}),
 * bounded in number. Series are separate per carrier and per customer, never their product.
 * Thread-safe.
 */
public final class TrunkMetrics {

    /**
     * Upper bounds of the post-dial delay histogram's buckets (INVITE to first 18x): a PSTN call
     * rings within a few seconds; beyond 10 s the caller notices, beyond 30 s something is wrong.
     */
    public static final List<Duration> POST_DIAL_DELAY_BUCKETS = List.of(Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(8), Duration.ofSeconds(13),
            Duration.ofSeconds(20), Duration.ofSeconds(30));

    /** Binder series left out: their names break Prometheus' conventions (promtool check metrics). */
    static final java.util.Set<String> NONCONFORMING_BINDER_SERIES = java.util.Set.of("system.cpu.count", "process.cpu.time");

    /** The two kinds of peer a call series is kept for. */
    private enum Peer {
        CARRIER("carrier"), CUSTOMER("customer");

        final String prefix;
        final String idLabel;
        final String nameLabel;

        Peer(String name) {
            this.prefix = "opentrunk." + name + ".";
            this.idLabel = name + "_id";
            this.nameLabel = name;
        }
    }

    /** What the peer gauges show at one scrape. */
    public record PeerState(Map<Long, Integer> liveByCarrier, Map<Long, Integer> liveByCustomer,
                            Map<Long, String> probeStateByCarrier, Map<Long, Integer> channelsInUseByCustomer,
                            Map<Long, Integer> maxChannelsByCustomer) {
    }

    private final PrometheusMeterRegistry registry;
    private final PeerLabels carriers;
    private final PeerLabels customers;
    private final CallHistory history = new CallHistory();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge carrierLive;
    private final MultiGauge customerLive;
    private final MultiGauge probeState;
    private final MultiGauge channelsInUse;
    private final MultiGauge channelsMax;

    /**
     * @param carrierNames a carrier's current name by id, null when unknown
     * @param customerNames a customer's current name by id, null when unknown
     */
    public TrunkMetrics(LongFunction<String> carrierNames, LongFunction<String> customerNames) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.carriers = new PeerLabels(carrierNames);
        this.customers = new PeerLabels(customerNames);
        // Two of ProcessorMetrics' series break Prometheus' naming rules (promtool check metrics):
        // system_cpu_count (a gauge ending in _count) and process_cpu_time_ns_total (an abbreviated unit).
        registry.config().meterFilter(MeterFilter.deny(id -> NONCONFORMING_BINDER_SERIES.contains(id.getName())));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        carrierLive = MultiGauge.builder("opentrunk.carrier.calls.live")
                .description("Calls in progress with this carrier (the carrier being tried or that answered)").register(registry);
        customerLive = MultiGauge.builder("opentrunk.customer.calls.live")
                .description("Calls in progress of this customer, both directions").register(registry);
        probeState = MultiGauge.builder("opentrunk.carrier.probe.state")
                .description("The carrier's OPTIONS probe state: 1 for the state it is in (up, down, unknown), 0 for the others")
                .register(registry);
        channelsInUse = MultiGauge.builder("opentrunk.customer.channels.in.use")
                .description("Channels the customer holds now (counted against maxChannels)").register(registry);
        channelsMax = MultiGauge.builder("opentrunk.customer.channels.max")
                .description("The customer's maxChannels").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The last hour, minute by minute, for the admin pages. */
    public CallHistory history() {
        return history;
    }

    /**
     * A call attempt's CDR, handed to the writer now: counted in its carrier's and its customer's
     * series and in the admin's history.
     */
    public void recorded(CallRecord record, long nowMs) {
        boolean answered = record.answerMs() != null;
        history.attempt(record.carrierId(), answered, nowMs);
        if (record.carrierId() != null) {
            count(Peer.CARRIER, carriers.of(record.carrierId()), record, answered);
        }
        if (record.customerId() != null) {
            count(Peer.CUSTOMER, customers.of(record.customerId()), record, answered);
        }
    }

    private void count(Peer peer, PeerLabels.Labels labels, CallRecord record, boolean answered) {
        Tags tags = Tags.of(peer.idLabel, labels.id(), peer.nameLabel, labels.name(),
                "direction", record.direction().text());
        Counter.builder(peer.prefix + "call.attempts")
                .description("Call attempts (CDRs) with this " + peer.nameLabel).tags(tags).register(registry).increment();
        String cause = record.disconnectCause().text();
        if (answered) {
            Counter.builder(peer.prefix + "calls.answered")
                    .description("Answered call attempts, by how the call ended").tags(tags).tag("cause", cause)
                    .register(registry).increment();
            long seconds = Math.max(0, record.endMs() - record.answerMs());
            Timer.builder(peer.prefix + "call.duration")
                    .description("Duration of answered calls, answer to end (ACD = _sum / _count)").tags(tags)
                    .register(registry).record(seconds, TimeUnit.MILLISECONDS);
        } else {
            Counter.builder(peer.prefix + "calls.failed")
                    .description("Call attempts not answered, by SIP status class of the final answer and by disconnect cause")
                    .tags(tags).tag("sip_class", sipClass(record.sipStatus())).tag("cause", cause)
                    .register(registry).increment();
        }
        if (record.postDialDelayMs() != null) {
            Timer.builder(peer.prefix + "post.dial.delay")
                    .description("Post-dial delay: the caller's INVITE to the first 18x")
                    .tags(tags).serviceLevelObjectives(POST_DIAL_DELAY_BUCKETS.toArray(Duration[]::new))
                    .register(registry).record(Math.max(0, record.postDialDelayMs()), TimeUnit.MILLISECONDS);
        }
    }

    /** {@code 4xx} for 486; {@code other} for a status outside 100-699. */
    static String sipClass(int status) {
        return status >= 100 && status < 700 ? (status / 100) + "xx" : "other";
    }

    /**
     * OpenTrunk turned an INVITE down itself for {@code reason}: counted overall and, when the
     * customer is known, for it.
     */
    public void refused(Long customerId, RefusalReason reason) {
        Counter.builder("opentrunk.calls.refused").description("INVITEs OpenTrunk turned down itself, by reason")
                .tag("reason", reason.label()).register(registry).increment();
        if (customerId != null) {
            PeerLabels.Labels labels = customers.of(customerId);
            Counter.builder("opentrunk.customer.calls.refused")
                    .description("This customer's INVITEs OpenTrunk turned down itself, by reason")
                    .tags(Peer.CUSTOMER.idLabel, labels.id(), Peer.CUSTOMER.nameLabel, labels.name())
                    .tag("reason", reason.label()).register(registry).increment();
        }
    }

    /**
     * Sets the per-peer gauges from {@code state}; called before each scrape. Peers missing from
     * it (deleted) lose their gauge series.
     */
    public void peers(PeerState state) {
        carrierLive.register(rows(Peer.CARRIER, carriers, state.liveByCarrier()), true);
        customerLive.register(rows(Peer.CUSTOMER, customers, state.liveByCustomer()), true);
        channelsInUse.register(rows(Peer.CUSTOMER, customers, state.channelsInUseByCustomer()), true);
        channelsMax.register(rows(Peer.CUSTOMER, customers, state.maxChannelsByCustomer()), true);
        List<MultiGauge.Row<?>> probes = new ArrayList<>();
        state.probeStateByCarrier().forEach((id, current) -> {
            PeerLabels.Labels labels = carriers.of(id);
            for (String s : new String[] {"up", "down", "unknown"}) {
                probes.add(MultiGauge.Row.of(Tags.of(Peer.CARRIER.idLabel, labels.id(), Peer.CARRIER.nameLabel, labels.name(),
                        "state", s), s.equals(current) ? 1 : 0));
            }
        });
        probeState.register(probes, true);
    }

    private static List<MultiGauge.Row<?>> rows(Peer peer, PeerLabels labelsOf, Map<Long, Integer> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>(values.size());
        // Peers past PeerLabels.MAX_PEERS share one label set: summed, not listed twice.
        Map<PeerLabels.Labels, Integer> byLabels = new java.util.LinkedHashMap<>();
        values.forEach((id, value) -> byLabels.merge(labelsOf.of(id), value, Integer::sum));
        byLabels.forEach((labels, value) -> rows.add(MultiGauge.Row.of(
                Tags.of(peer.idLabel, labels.id(), peer.nameLabel, labels.name()), value)));
        return rows;
    }

    /** Releases the GC listener (at undeploy) and the registry. */
    public void close() {
        gc.close();
        registry.close();
    }
}

package org.opentrunk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;
import org.opentrunk.testing.PrometheusText;

/**
 * The per-carrier and per-customer call series as /metrics writes them, from CDRs: attempts,
 * answered by cause, failed by SIP class and cause, duration (ACD) and post-dial delay, refusals,
 * peer gauges; read back with the strict text-format reader.
 */
@Tag("IC-CDR")
class TrunkMetricsTest {

    private static final Map<Long, String> CARRIER_NAMES = Map.of(7L, "Acme Telecom (EU)", 8L, "gw-2");
    private static final Map<Long, String> CUSTOMER_NAMES = Map.of(41L, "Hotel \"Zur Post\"", 42L, "b");

    private final TrunkMetrics metrics = new TrunkMetrics(CARRIER_NAMES::get, CUSTOMER_NAMES::get);

    @AfterEach
    void close() {
        metrics.close();
    }

    private static CallRecord.Builder cdr(Long customer, Long carrier) {
        return CallRecord.builder().direction(CallDirection.OUTBOUND).customerCallId("c@pbx").customerId(customer)
                .carrierId(carrier).startMs(1_000).endMs(2_000);
    }

    private Map<String, PrometheusText.Family> scrape() {
        return PrometheusText.parse(metrics.registry().scrape("text/plain; version=0.0.4; charset=utf-8"));
    }

    @Test
    void eachCdrCountsForItsCarrierAndItsCustomer() {
        // answered 30 s, post-dial delay 1.2 s; answered 90 s; busy (486); carrier 5xx; no 18x
        metrics.recorded(cdr(41L, 7L).answerMs(10_000L).endMs(40_000).sipStatus(200).postDialDelayMs(1_200L)
                .disconnectCause(DisconnectCause.CALLER_BYE).build(), 0);
        metrics.recorded(cdr(41L, 7L).answerMs(10_000L).endMs(100_000).sipStatus(200).postDialDelayMs(4_000L)
                .disconnectCause(DisconnectCause.CALLEE_BYE).build(), 0);
        metrics.recorded(cdr(41L, 7L).sipStatus(486).postDialDelayMs(300L).disconnectCause(DisconnectCause.REJECTED).build(), 0);
        metrics.recorded(cdr(42L, 7L).sipStatus(503).disconnectCause(DisconnectCause.FAILED).build(), 0);
        // refused by OpenTrunk before any carrier: the customer's only
        metrics.recorded(cdr(42L, null).sipStatus(403).disconnectCause(DisconnectCause.REFUSED).build(), 0);

        Map<String, PrometheusText.Family> f = scrape();
        Map<String, String> acme = Map.of("carrier_id", "7", "carrier", "Acme_Telecom__EU_", "direction", "outbound");
        assertEquals(4, f.get("opentrunk_carrier_call_attempts_total").value(acme));
        assertEquals("counter", f.get("opentrunk_carrier_call_attempts_total").type());
        assertEquals(1, f.get("opentrunk_carrier_calls_answered_total").value(with(acme, "cause", "caller_bye")));
        assertEquals(1, f.get("opentrunk_carrier_calls_answered_total").value(with(acme, "cause", "callee_bye")));
        assertEquals(1, f.get("opentrunk_carrier_calls_failed_total").value(with(with(acme, "sip_class", "4xx"), "cause", "rejected")));
        assertEquals(1, f.get("opentrunk_carrier_calls_failed_total").value(with(with(acme, "sip_class", "5xx"), "cause", "failed")));
        // ACD = sum / count = (30 + 90) / 2
        assertEquals(120.0, value(f, "opentrunk_carrier_call_duration_seconds_sum", acme), 1e-9);
        assertEquals(2, value(f, "opentrunk_carrier_call_duration_seconds_count", acme));
        // post-dial delay: a histogram with the fixed buckets, cumulative
        PrometheusText.Family pdd = f.get("opentrunk_carrier_post_dial_delay_seconds");
        assertEquals("histogram", pdd.type());
        assertEquals(1, value(f, "opentrunk_carrier_post_dial_delay_seconds_bucket", with(acme, "le", "0.5")));
        assertEquals(2, value(f, "opentrunk_carrier_post_dial_delay_seconds_bucket", with(acme, "le", "2.0")));
        assertEquals(3, value(f, "opentrunk_carrier_post_dial_delay_seconds_bucket", with(acme, "le", "5.0")));
        assertEquals(3, value(f, "opentrunk_carrier_post_dial_delay_seconds_count", acme));
        assertEquals(5.5, value(f, "opentrunk_carrier_post_dial_delay_seconds_sum", acme), 1e-9);

        Map<String, String> hotel = Map.of("customer_id", "41", "customer", "Hotel__Zur_Post_", "direction", "outbound");
        Map<String, String> b = Map.of("customer_id", "42", "customer", "b", "direction", "outbound");
        assertEquals(3, f.get("opentrunk_customer_call_attempts_total").value(hotel));
        assertEquals(2, f.get("opentrunk_customer_call_attempts_total").value(b));
        assertEquals(1, f.get("opentrunk_customer_calls_failed_total").value(with(with(b, "sip_class", "4xx"), "cause", "refused")));
        assertFalse(f.get("opentrunk_carrier_call_attempts_total").samples().stream()
                .anyMatch(s -> "8".equals(s.labels().get("carrier_id"))), "no series for a carrier without calls");
    }

    @Test
    void refusalsCountOverallAndForAKnownCustomer() {
        metrics.refused(null, RefusalReason.BLOCKED_ADDRESS);
        metrics.refused(null, RefusalReason.AUTH);
        metrics.refused(41L, RefusalReason.CHANNEL_LIMIT);
        metrics.refused(41L, RefusalReason.CHANNEL_LIMIT);
        metrics.refused(42L, RefusalReason.FRAUD_GUARD);
        Map<String, PrometheusText.Family> f = scrape();
        PrometheusText.Family all = f.get("opentrunk_calls_refused_total");
        assertEquals(1, all.value(Map.of("reason", "blocked_address")));
        assertEquals(1, all.value(Map.of("reason", "auth")));
        assertEquals(2, all.value(Map.of("reason", "channel_limit")));
        assertEquals(1, all.value(Map.of("reason", "fraud_guard")));
        PrometheusText.Family perCustomer = f.get("opentrunk_customer_calls_refused_total");
        assertEquals(2, perCustomer.value(Map.of("customer_id", "41", "customer", "Hotel__Zur_Post_", "reason", "channel_limit")));
        assertEquals(2, perCustomer.samples().size(), "unknown customers are in the overall count only");
    }

    @Test
    void peerGaugesFollowTheStateGivenAtEachScrape() {
        metrics.peers(new TrunkMetrics.PeerState(Map.of(7L, 3, 8L, 0), Map.of(41L, 3), Map.of(7L, "up", 8L, "down"),
                Map.of(41L, 3), Map.of(41L, 10)));
        Map<String, PrometheusText.Family> f = scrape();
        assertEquals(3, f.get("opentrunk_carrier_calls_live").value(Map.of("carrier_id", "7", "carrier", "Acme_Telecom__EU_")));
        assertEquals(1, f.get("opentrunk_carrier_probe_state").value(Map.of("carrier_id", "8", "carrier", "gw-2", "state", "down")));
        assertEquals(0, f.get("opentrunk_carrier_probe_state").value(Map.of("carrier_id", "8", "carrier", "gw-2", "state", "up")));
        assertEquals(3, f.get("opentrunk_customer_channels_in_use").value(Map.of("customer_id", "41", "customer", "Hotel__Zur_Post_")));
        assertEquals(10, f.get("opentrunk_customer_channels_max").value(Map.of("customer_id", "41", "customer", "Hotel__Zur_Post_")));

        metrics.peers(new TrunkMetrics.PeerState(Map.of(7L, 1), Map.of(), Map.of(7L, "up"), Map.of(), Map.of()));
        f = scrape();
        assertEquals(1, f.get("opentrunk_carrier_calls_live").value(Map.of("carrier_id", "7", "carrier", "Acme_Telecom__EU_")));
        assertTrue(f.get("opentrunk_carrier_probe_state").samples().stream().noneMatch(s -> "8".equals(s.labels().get("carrier_id"))),
                "a deleted carrier's gauges go");
    }

    @Test
    void theJvmBindersAreThere() {
        Map<String, PrometheusText.Family> f = scrape();
        for (String name : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds",
                "jvm_classes_loaded_classes"}) {
            assertTrue(f.containsKey(name), name + " in " + f.keySet());
        }
    }

    @Test
    void sipClasses() {
        assertEquals("4xx", TrunkMetrics.sipClass(486));
        assertEquals("6xx", TrunkMetrics.sipClass(603));
        assertEquals("other", TrunkMetrics.sipClass(0));
        assertEquals("other", TrunkMetrics.sipClass(700));
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(labels);
        more.put(name, value);
        return more;
    }

    /** A histogram's or summary's sample (_bucket, _sum, _count) is in its base name's family. */
    private static double value(Map<String, PrometheusText.Family> f, String sample, Map<String, String> labels) {
        return f.values().stream().flatMap(family -> family.samples().stream())
                .filter(s -> s.name().equals(sample) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + sample + labels)).value();
    }
}

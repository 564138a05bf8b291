package org.opentrunk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.json.Json;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.opentrunk.core.cdr.CallDirection;
import org.opentrunk.core.cdr.CallRecord;
import org.opentrunk.core.cdr.DisconnectCause;
import org.opentrunk.testing.PrometheusTools;

/**
 * deploy/: the alert rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}: the ASR drop, probe down and journal backlog alerts fire on the
 * series they are meant for and not before); the call series pass {@code promtool check metrics};
 * the Grafana dashboard is JSON whose queries name only series /metrics writes.
 */
class PrometheusRulesTest {

    private static final Path RULES = Path.of("deploy/prometheus/opentrunk-rules.yml");
    private static final Path RULE_TESTS = Path.of("deploy/prometheus/opentrunk-rules.test.yml");
    private static final Path DASHBOARD = Path.of("deploy/grafana/opentrunk.json");

    @Test
    void theRulesAreValidPromQl() throws Exception {
        assertTrue(PrometheusTools.checkRules(RULES).contains("SUCCESS"));
    }

    @Test
    void theAlertsFireOnTheirUnitTestsSeries() throws Exception {
        Process promtool = new ProcessBuilder("promtool", "test", "rules", RULE_TESTS.getFileName().toString())
                .directory(RULE_TESTS.getParent().toFile()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), output);
        assertTrue(output.contains("SUCCESS"), output);
    }

    @Test
    void theCallSeriesFollowPrometheusNamingRules() throws Exception {
        TrunkMetrics metrics = new TrunkMetrics(id -> "carrier " + id, id -> "customer " + id);
        try {
            metrics.recorded(CallRecord.builder().direction(CallDirection.OUTBOUND).customerCallId("a").customerId(1L)
                    .carrierId(2L).startMs(0).answerMs(100L).endMs(5_000).sipStatus(200).postDialDelayMs(80L)
                    .disconnectCause(DisconnectCause.CALLER_BYE).build(), 0);
            metrics.recorded(CallRecord.builder().direction(CallDirection.INBOUND).carrierCallId("b").customerId(1L)
                    .carrierId(2L).startMs(0).endMs(5_000).sipStatus(486)
                    .disconnectCause(DisconnectCause.REJECTED).build(), 0);
            metrics.refused(1L, RefusalReason.FRAUD_GUARD);
            metrics.peers(new TrunkMetrics.PeerState(Map.of(2L, 1), Map.of(1L, 1), Map.of(2L, "up"), Map.of(1L, 1), Map.of(1L, 4)));
            String text = metrics.registry().scrape("text/plain; version=0.0.4; charset=utf-8");
            PrometheusTools.checkMetrics(text);
            assertEquals(1, PrometheusTools.value(PrometheusTools.parse(text), "opentrunk_customer_call_attempts_total",
                    Map.of("customer_id", "1", "customer", "customer_1", "direction", "inbound")));
        } finally {
            metrics.close();
        }
    }

    @Test
    void theDashboardQueriesOnlySeriesThatExist() throws Exception {
        JsonObject dashboard;
        try (var reader = Json.createReader(Files.newBufferedReader(DASHBOARD))) {
            dashboard = reader.readObject();
        }
        List<String> written = List.of("opentrunk_carrier_call_attempts_total", "opentrunk_carrier_calls_answered_total",
                "opentrunk_carrier_calls_failed_total", "opentrunk_carrier_call_duration_seconds_sum",
                "opentrunk_carrier_call_duration_seconds_count", "opentrunk_carrier_post_dial_delay_seconds_bucket",
                "opentrunk_carrier_calls_live", "opentrunk_carrier_probe_state", "opentrunk_customer_call_attempts_total",
                "opentrunk_customer_calls_answered_total", "opentrunk_customer_calls_failed_total",
                "opentrunk_customer_calls_refused_total", "opentrunk_customer_channels_in_use", "opentrunk_customer_channels_max",
                "opentrunk_customer_calls_live", "opentrunk_calls_refused_total", "opentrunk_calls_active",
                "opentrunk_media_port_pairs_in_use", "opentrunk_media_port_pairs", "opentrunk_cdr_pending",
                "opentrunk_auth_failures_total", "opentrunk_auth_blocks_total", "opentrunk_auth_blocked_addresses",
                "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_count", "jvm_memory_used_bytes", "jvm_memory_max_bytes",
                "opentrunk_customer_call_duration_seconds_sum", "opentrunk_customer_call_duration_seconds_count");
        int queries = 0;
        for (JsonValue panel : dashboard.getJsonArray("panels")) {
            for (JsonValue target : panel.asJsonObject().getJsonArray("targets")) {
                String expr = target.asJsonObject().getString("expr");
                queries++;
                java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b(opentrunk_[a-z_]+|jvm_[a-z_]+)").matcher(expr);
                assertTrue(names.find(), expr);
                names.reset();
                while (names.find()) {
                    assertTrue(written.contains(names.group(1)), names.group(1) + " in " + expr);
                }
            }
        }
        assertTrue(queries >= 10, "a panel per series group: " + queries);
    }
}

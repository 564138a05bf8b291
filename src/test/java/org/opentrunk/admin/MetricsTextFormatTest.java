package org.opentrunk.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.PrometheusText;

/**
 * What MetricsServlet relies on from Micrometer's Prometheus registry (the names it writes for
 * dotted gauge and counter names, values read at scrape time, escaping), read back with the
 * strict text-format reader the in-container test uses on the real /metrics (ApiHardeningIT); and
 * that reader's own strictness.
 */
class MetricsTextFormatTest {

    @Test
    void theRegistryWritesTheNamesAndValuesTheServletExpects() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicLong count = new AtomicLong(3);
        Gauge.builder("opentrunk.invites.in.setup.max", () -> 1000).description("Capacity (OT_X) \\ \"q\"\nnext")
                .register(registry);
        for (String state : new String[] {"written", "we\"ird\\\n"}) {
            FunctionCounter.builder("opentrunk.cdr.records", registry, r -> count.get()).description("CDRs")
                    .tag("state", state).register(registry);
        }
        FunctionCounter.builder("opentrunk.sip.application.sessions.started", registry, r -> 9).register(registry);
        count.set(12_345_678_901L);

        Map<String, PrometheusText.Family> families = PrometheusText.parse(registry.scrape(MetricsServlet.CONTENT_TYPE));

        PrometheusText.Family max = families.get("opentrunk_invites_in_setup_max");
        assertEquals("gauge", max.type());
        assertEquals("Capacity (OT_X) \\ \"q\"\nnext", max.help());
        assertEquals(1000, max.value(Map.of()));
        PrometheusText.Family records = families.get("opentrunk_cdr_records_total");
        assertEquals("counter", records.type(), families::toString);
        assertEquals(12_345_678_901.0, records.value(Map.of("state", "written")));
        assertEquals(12_345_678_901.0, records.value(Map.of("state", "we\"ird\\\n")));
        assertEquals("counter", families.get("opentrunk_sip_application_sessions_started_total").type());
        assertEquals(3, families.size(), families::toString);
        registry.close();
    }

    @Test
    void aWellFormedScrapeReads() {
        Map<String, PrometheusText.Family> families = PrometheusText.parse("""
                # a comment
                # HELP h_seconds Latency \\\\ and\\nmore
                # TYPE h_seconds histogram
                h_seconds_bucket{le="0.5"} 1
                h_seconds_bucket{le="+Inf",x="a\\"b",} 2 1700000000000
                h_seconds_sum 0.3
                h_seconds_count 2
                # TYPE up gauge
                up NaN
                plain -Inf
                """);
        assertEquals("histogram", families.get("h_seconds").type());
        assertEquals("Latency \\ and\nmore", families.get("h_seconds").help());
        assertEquals(4, families.get("h_seconds").samples().size());
        assertEquals(2, families.get("h_seconds").value(Map.of("le", "+Inf", "x", "a\"b")));
        assertEquals("untyped", families.get("plain").type());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "up 1",                                      // no final line feed
        "up\n",                                      // no value
        "up one\n",
        "up 1 2 3\n",
        "up 1 1.5\n",                                // timestamps are integers
        "9up 1\n",
        "up{} 1\n# TYPE up gauge\n",                 // TYPE after samples
        "# TYPE up gauge\n# TYPE up gauge\nup 1\n",
        "# HELP up a\n# HELP up b\nup 1\n",
        "# TYPE up meter\nup 1\n",
        "up{a=\"1\"} 1\nup{a=\"1\"} 2\n",            // the same series twice
        "a 1\nb 1\na{x=\"y\"} 1\n",                  // a family split
        "up{a=1} 1\n",
        "up{a=\"1} 1\n",
        "up{a=\"x\\q\"} 1\n",
        "up{a=\"1\",a=\"2\"} 1\n",
        "up{__name__=\"x\"} 1\n",
        "up{a=\"1\"b=\"2\"} 1\n",
        "up{1a=\"1\"} 1\n",
        "# HELP up bad \\q escape\nup 1\n",
    })
    void malformedScrapesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(text));
    }
}

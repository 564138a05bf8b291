package org.opentrunk.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.PrometheusTools;
import org.opentrunk.testing.PrometheusTools.Sample;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * Issue 26, metrics: real SIP calls through a server of its own, then {@code /metrics} scraped and
 * read by the Prometheus project's parser (Python client) and checked by {@code promtool check
 * metrics}: the carrier's and the customers' series count exactly the calls made (an answered call
 * hung up by the caller after a second, a busy one, one refused for the channel limit), the
 * refusals by reason (the channel limit, a wrong tech prefix as an authentication failure), the
 * live-call and channel gauges during the answered call, and the JVM binders are there.
 */
@Tag("IC-CDR")
class MetricsIT {

    private static final int SIP_PORT = 16670;
    private static final int HTTP_PORT = 20690;
    private static final String PASSWORD = "metrics-it-secret";
    private static final String DOMAIN = "metrics.test";
    private static final String PBX = "127.0.0.151";
    private static final String CARRIER = "127.0.0.152";
    private static final int CARRIER_PORT = 15060;
    private static final String LIMITED_PBX = "127.0.0.153";
    private static final String PREFIX = "15115115";
    private static final String LIMITED_PREFIX = "15315315";
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** How long the answered call stays up: its duration in the ACD sum is at least this. */
    private static final long HOLD_MS = 1_100;
    private static final String OFFER = "v=0\r\no=a 1 1 IN IP4 127.0.0.151\r\ns=-\r\nc=IN IP4 127.0.0.151\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final String ANSWER = "v=0\r\no=b 7 7 IN IP4 127.0.0.152\r\ns=-\r\nc=IN IP4 127.0.0.152\r\nt=0 0\r\n"
            + "m=audio 50000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Test
    void theCarriersAndCustomersSeriesCountTheCallsMade() throws Exception {
        LibertyServer server = LibertyServer.trunk("metrics-it", "127.0.0.1", SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN);
        server.start();
        try {
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
            ApiClient.Reply carrier = api.post("/api/v1/carriers", "{\"name\":\"Carrier One\",\"host\":\"" + CARRIER
                    + "\",\"port\":" + CARRIER_PORT + "}");
            assertEquals(201, carrier.status(), carrier::toString);
            String carrierId = String.valueOf(carrier.json().getJsonNumber("id").longValue());
            String hotelId = customer(api, "Hotel Zur Post", PREFIX, PBX, 5);
            String tinyId = customer(api, "tiny", LIMITED_PREFIX, LIMITED_PBX, 0);
            Map<String, String> carrierOut = Map.of("carrier_id", carrierId, "carrier", "Carrier_One", "direction", "outbound");
            Map<String, String> carrierLabels = Map.of("carrier_id", carrierId, "carrier", "Carrier_One");
            Map<String, String> hotel = Map.of("customer_id", hotelId, "customer", "Hotel_Zur_Post");
            Map<String, String> tiny = Map.of("customer_id", tinyId, "customer", "tiny");

            var trunk = SipTestClient.address("127.0.0.1", SIP_PORT);
            try (SipTestClient gw = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, trunk);
                 SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, trunk);
                 SipTestClient limited = new SipTestClient(Transport.UDP, LIMITED_PBX, trunk)) {
                // 1. Answered after a 180, up for HOLD_MS, hung up by the caller; scraped while up.
                SipMessage invite = invite(pbx, "sip:" + PREFIX + "*+12066418000@" + DOMAIN);
                SipMessage atCarrier = gw.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
                gw.send(atCarrier.response(180, "Ringing", "gw1", "Contact: <sip:gw@" + CARRIER + ":" + CARRIER_PORT + ">\r\n", ""));
                pbx.await(m -> m.isResponse() && m.status() == 180, WAIT);
                gw.send(atCarrier.response(200, "OK", "gw1", "Contact: <sip:gw@" + CARRIER + ":" + CARRIER_PORT + ">\r\n"
                        + "Content-Type: application/sdp\r\n", ANSWER));
                SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
                long answeredAt = System.nanoTime();
                Dialog call = new Dialog(pbx, invite, ok);
                pbx.send(call.ack());
                gw.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);

                List<Sample> during = scrape(api);
                assertEquals(1, PrometheusTools.value(during, "opentrunk_carrier_calls_live", carrierLabels));
                assertEquals(1, PrometheusTools.value(during, "opentrunk_customer_calls_live", hotel));
                assertEquals(1, PrometheusTools.value(during, "opentrunk_customer_channels_in_use", hotel));
                assertEquals(5, PrometheusTools.value(during, "opentrunk_customer_channels_max", hotel));
                assertEquals(0, PrometheusTools.value(during, "opentrunk_customer_channels_max", tiny));
                assertEquals(1, PrometheusTools.value(during, "opentrunk_calls_active", Map.of()));

                Thread.sleep(Math.max(0, HOLD_MS - Duration.ofNanos(System.nanoTime() - answeredAt).toMillis()));
                pbx.send(call.request("BYE", "", ""));
                SipMessage bye = gw.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
                gw.send(bye.response(200, "OK", null, "", ""));
                assertEquals(200, pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT).status());

                // 2. Busy at the carrier.
                SipMessage busyInvite = invite(pbx, "sip:" + PREFIX + "*+12066418001@" + DOMAIN);
                SipMessage busyAtCarrier = gw.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
                gw.send(busyAtCarrier.response(486, "Busy Here", "gw2", "", ""));
                SipMessage busy = pbx.await(m -> m.isResponse() && "INVITE".equals(m.method()) && m.status() >= 200, WAIT);
                assertEquals(486, busy.status());
                pbx.send(SipTestClient.ackFor(busyInvite, busy));

                // 3. A customer with maxChannels 0: refused for the channel limit.
                SipMessage refusedInvite = invite(limited, "sip:" + LIMITED_PREFIX + "*+12066418002@" + DOMAIN);
                SipMessage refused = limited.await(m -> m.isResponse() && m.status() >= 200, WAIT);
                assertEquals(403, refused.status(), refused::toString);
                limited.send(SipTestClient.ackFor(refusedInvite, refused));

                // 4. A wrong tech prefix from the customer's address: an authentication failure.
                SipMessage wrongInvite = invite(pbx, "sip:99999999*+12066418003@" + DOMAIN);
                SipMessage wrong = pbx.await(m -> m.isResponse() && m.status() >= 200, WAIT);
                assertTrue(wrong.status() >= 400, wrong::toString);
                pbx.send(SipTestClient.ackFor(wrongInvite, wrong));
            }

            // The busy call's CDR is written just after its 486 went out: wait for the count.
            await("the carrier's attempts").atMost(Duration.ofSeconds(10)).until(() ->
                    sum(scrape(api), "opentrunk_carrier_call_attempts_total", carrierOut) == 2);
            String text = api.get("/metrics").body();
            PrometheusTools.checkMetrics(text);
            List<Sample> after = PrometheusTools.parse(text);

            assertEquals(2, PrometheusTools.value(after, "opentrunk_carrier_call_attempts_total", carrierOut));
            assertEquals(1, PrometheusTools.value(after, "opentrunk_carrier_calls_answered_total", with(carrierOut, "cause", "caller_bye")));
            assertEquals(1, sum(after, "opentrunk_carrier_calls_answered_total", carrierOut), "answered: one, ended by the caller");
            assertEquals(1, PrometheusTools.value(after, "opentrunk_carrier_calls_failed_total",
                    with(with(carrierOut, "sip_class", "4xx"), "cause", "rejected")));
            assertEquals(1, sum(after, "opentrunk_carrier_calls_failed_total", carrierOut));
            assertEquals(1, PrometheusTools.value(after, "opentrunk_carrier_call_duration_seconds_count", carrierOut));
            double seconds = PrometheusTools.value(after, "opentrunk_carrier_call_duration_seconds_sum", carrierOut);
            assertTrue(seconds >= HOLD_MS / 1000.0 - 0.05 && seconds < HOLD_MS / 1000.0 + 3, "ACD sum " + seconds);
            assertEquals(0, PrometheusTools.value(after, "opentrunk_carrier_calls_live", carrierLabels));
            assertEquals(1, PrometheusTools.value(after, "opentrunk_carrier_probe_state", with(carrierLabels, "state", "unknown")),
                    "probes are off: unknown");

            Map<String, String> hotelOut = with(hotel, "direction", "outbound");
            Map<String, String> tinyOut = with(tiny, "direction", "outbound");
            assertEquals(2, PrometheusTools.value(after, "opentrunk_customer_call_attempts_total", hotelOut));
            assertEquals(1, sum(after, "opentrunk_customer_calls_answered_total", hotelOut));
            assertEquals(1, PrometheusTools.value(after, "opentrunk_customer_call_attempts_total", tinyOut));
            assertEquals(1, PrometheusTools.value(after, "opentrunk_customer_calls_failed_total",
                    with(with(tinyOut, "sip_class", "4xx"), "cause", "refused")));
            assertEquals(1, PrometheusTools.value(after, "opentrunk_customer_calls_refused_total", with(tiny, "reason", "channel_limit")));
            assertEquals(0, PrometheusTools.value(after, "opentrunk_customer_channels_in_use", hotel));
            assertEquals(1, PrometheusTools.value(after, "opentrunk_calls_refused_total", Map.of("reason", "channel_limit")));
            assertEquals(1, PrometheusTools.value(after, "opentrunk_calls_refused_total", Map.of("reason", "auth")));
            assertEquals(1, PrometheusTools.value(after, "opentrunk_auth_failures_total", Map.of()));
            assertEquals(0, PrometheusTools.value(after, "opentrunk_auth_blocks_total", Map.of()));
            assertEquals(0, PrometheusTools.value(after, "opentrunk_media_port_pairs_in_use", Map.of()));

            Sample counter = after.stream().filter(s -> s.name().equals("opentrunk_carrier_call_attempts_total")).findFirst().orElseThrow();
            assertEquals("counter", counter.type());
            assertTrue(after.stream().anyMatch(s -> s.name().equals("jvm_memory_used_bytes") && "heap".equals(s.labels().get("area"))));
            assertTrue(after.stream().anyMatch(s -> s.name().startsWith("jvm_gc_")), "the GC binder's series");
            assertTrue(after.stream().anyMatch(s -> s.name().equals("process_uptime_seconds")));
        } finally {
            server.stop();
        }
    }

    private static List<Sample> scrape(ApiClient api) throws Exception {
        ApiClient.Reply reply = api.get("/metrics");
        assertEquals(200, reply.status(), reply::toString);
        return PrometheusTools.parse(reply.body());
    }

    /** The sum over the samples of {@code name} whose labels include {@code labels}. */
    private static double sum(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new HashMap<>(labels);
        more.put(name, value);
        return Map.copyOf(more);
    }

    private static String customer(ApiClient api, String name, String prefix, String ip, int maxChannels) throws Exception {
        ApiClient.Reply r = api.post("/api/v1/customers", "{\"name\":\"" + name + "\",\"techPrefix\":\"" + prefix
                + "\",\"ips\":[\"" + ip + "\"],\"maxChannels\":" + maxChannels + "}");
        assertEquals(201, r.status(), r::toString);
        return String.valueOf(r.json().getJsonNumber("id").longValue());
    }

    /** Sends a new INVITE with the offer to {@code requestUri}; the INVITE as sent. */
    private static SipMessage invite(SipTestClient from, String requestUri) throws java.io.IOException {
        String text = from.newRequest("INVITE", requestUri, "Content-Type: application/sdp\r\n", OFFER);
        from.send(text);
        return parsed(text);
    }

    private static SipMessage parsed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SipMessage.parse(bytes, bytes.length);
    }
}

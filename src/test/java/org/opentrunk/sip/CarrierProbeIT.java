package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * OPTIONS probes mark a carrier down and up again, and outbound calls route around a down carrier.
 * Runs its own server (probes every second) so that the other tests' carriers see no OPTIONS.
 */
class CarrierProbeIT {

    private static final int SIP_PORT = 15260;
    private static final int HTTP_PORT = 19280;
    private static final String PASSWORD = "probe-it-secret";
    private static final String PBX = "127.0.0.25";
    private static final String CARRIER_A = "127.0.0.23";
    private static final String CARRIER_B = "127.0.0.24";
    private static final String CARRIER_TCP = "127.0.0.26";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aCarrierFailingItsProbesIsSkippedUntilItAnswersAgain() throws Exception {
        LibertyServer server = LibertyServer.create("probe-it", Map.of("OT_SIP_HOST", "127.0.0.1",
                "OT_SIP_PORT", String.valueOf(SIP_PORT), "OT_HTTP_HOST", "127.0.0.1", "OT_HTTP_PORT", String.valueOf(HTTP_PORT),
                "OT_ADMIN_PASSWORD", PASSWORD, "OT_SIP_DOMAIN", "probe.test", "OT_CARRIER_PROBE_INTERVAL", "1"));
        server.start();
        var trunk = SipTestClient.address("127.0.0.1", SIP_PORT);
        try (SipTestClient a = new SipTestClient(Transport.UDP, CARRIER_A, 15060, trunk);
             SipTestClient b = new SipTestClient(Transport.UDP, CARRIER_B, 15060, trunk)) {
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
            api.awaitUp(java.time.Duration.ofSeconds(90));
            assertEquals(201, api.post("/api/v1/customers", "{\"name\":\"Probe PBX\",\"techPrefix\":\"11112222\",\"ips\":[\"" + PBX + "\"]}").status());
            ApiClient.Reply ca = api.post("/api/v1/carriers", "{\"name\":\"A\",\"host\":\"" + CARRIER_A + "\",\"port\":15060,\"priority\":0}");
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"B\",\"host\":\"" + CARRIER_B + "\",\"port\":15060,\"priority\":1}").status());
            long idA = ca.json().getJsonNumber("id").longValue();
            tcpCarrierGetsTheCallOverTcp(api);

            // A refuses its probes (503); B answers them.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!"down".equals(state(api, idA)) && System.nanoTime() < deadline) {
                answerProbe(a, 503);
                answerProbe(b, 200);
            }
            assertEquals("down", state(api, idA), "two refused probes in a row mark a carrier down");

            // A call now goes to B first, A sees nothing but probes.
            assertEquals(CARRIER_B, callGoesTo(b, a));

            // A answers again: back in routing, first again.
            deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!"up".equals(state(api, idA)) && System.nanoTime() < deadline) {
                answerProbe(a, 200);
                answerProbe(b, 200);
            }
            assertEquals("up", state(api, idA));
            assertTrue(api.get("/api/v1/carriers/" + idA).json().getString("lastSeen", null) != null);
            assertEquals(CARRIER_A, callGoesTo(a, b));
        } finally {
            server.stop();
        }
    }

    /**
     * IC-IPV4's TCP for the carrier leg: a carrier provisioned with transport tcp (first in priority
     * for this one call) receives the INVITE over a TCP connection OpenTrunk opens; the call
     * completes on it. The carrier is deleted again right after, before its probes (nobody
     * listens for them) could mark it down.
     */
    private static void tcpCarrierGetsTheCallOverTcp(ApiClient api) throws Exception {
        ApiClient.Reply tcp = api.post("/api/v1/carriers", "{\"name\":\"T\",\"host\":\"" + CARRIER_TCP
                + "\",\"port\":15060,\"transport\":\"tcp\",\"priority\":0,\"weight\":1000}");
        assertEquals(201, tcp.status(), tcp::toString);
        long id = tcp.json().getJsonNumber("id").longValue();
        try (SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, SipTestClient.address("127.0.0.1", SIP_PORT))) {
            var listening = SipTestClient.listenTcp(CARRIER_TCP, 15060, Duration.ofSeconds(10));
            String text = pbx.newRequest("INVITE", "sip:11112222*+12066418000@probe.test", "", "");
            // A shares priority 0 (weight 1 against T's 1000): on the rare draw that puts A first, A
            // stays silent and the failover timer brings the call to T within the wait below.
            pbx.send(text);
            try (SipTestClient carrier = listening.get(10, java.util.concurrent.TimeUnit.SECONDS)) {
                SipMessage invite = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
                assertTrue(invite.header("Via").orElse("").startsWith("SIP/2.0/TCP"), invite::toString);
                assertTrue(invite.requestUri().contains("transport=tcp"), invite::toString);
                carrier.send(invite.response(486, "Busy Here", "t1", "", ""));
                assertEquals(486, pbx.await(m -> m.isResponse() && m.status() >= 200, WAIT).status());
            }
        } finally {
            assertEquals(204, api.delete("/api/v1/carriers/" + id).status());
        }
    }

    /** Places a call; returns the address of the carrier that got the INVITE ({@code expected} answers it). */
    private static String callGoesTo(SipTestClient expected, SipTestClient other) throws Exception {
        try (SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, SipTestClient.address("127.0.0.1", SIP_PORT))) {
            String text = pbx.newRequest("INVITE", "sip:11112222*+12066418000@probe.test", "", "");
            pbx.send(text);
            SipMessage invite = expected.await(m -> {
                if (!m.isResponse() && "OPTIONS".equals(m.method())) {
                    respond(expected, m, 200);
                    return false;
                }
                return !m.isResponse() && "INVITE".equals(m.method());
            }, WAIT);
            expected.send(invite.response(200, "OK", "p1", "Contact: <sip:gw@" + expected.localAddress() + ":15060>\r\n", ""));
            SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200, WAIT);
            Dialog call = new Dialog(pbx, SipMessage.parse(text.getBytes(), text.length()), ok);
            pbx.send(call.ack());
            pbx.send(call.request("BYE", "", ""));
            SipMessage bye = expected.await(m -> {
                if (!m.isResponse() && "OPTIONS".equals(m.method())) {
                    respond(expected, m, 200);
                    return false;
                }
                return !m.isResponse() && "BYE".equals(m.method());
            }, WAIT);
            expected.send(bye.response(200, "OK", null, "", ""));
            Optional<SipMessage> stray = other.receive(Duration.ofMillis(300));
            assertTrue(stray.isEmpty() || "OPTIONS".equals(stray.get().method()), () -> "only probes elsewhere: " + stray);
            return expected.localAddress();
        }
    }

    private static void answerProbe(SipTestClient carrier, int status) throws Exception {
        Optional<SipMessage> m = carrier.receive(Duration.ofMillis(500));
        if (m.isPresent() && !m.get().isResponse() && "OPTIONS".equals(m.get().method())) {
            respond(carrier, m.get(), status);
        }
    }

    private static void respond(SipTestClient carrier, SipMessage request, int status) {
        try {
            carrier.send(request.response(status, status == 200 ? "OK" : "Service Unavailable", "probe", "", ""));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String state(ApiClient api, long id) throws Exception {
        return api.get("/api/v1/carriers/" + id).json().getString("state");
    }
}

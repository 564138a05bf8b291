package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.BusyCarrierCall;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.Sipp;

/**
 * Customer limits and the fraud guard (issue 9) on a server of its own, whose guard trips at
 * {@value #GUARD_LIMIT} calls per country per minute: maxChannels under simultaneous calls, maxCps under a burst, the
 * automatic country guard with its API, and the operator's block list.
 */
class FraudGuardIT {

    private static final int SIP_PORT = 15360;
    private static final int HTTP_PORT = 19380;
    private static final String PASSWORD = "fraud-it-secret";
    private static final String CARRIER = "127.0.0.32";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TRUNK = "127.0.0.1:" + SIP_PORT;
    /** Calls per customer and country per minute; above the 15 calls the channel test places to +1. */
    private static final int GUARD_LIMIT = 20;

    @Test
    void limitsAndGuards() throws Exception {
        LibertyServer server = LibertyServer.trunk("fraud-it", "127.0.0.1", SIP_PORT, HTTP_PORT, PASSWORD, "fraud.test",
                "OT_FRAUD_GUARD_CALLS_PER_MINUTE", String.valueOf(GUARD_LIMIT));
        server.start();
        try {
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD);
            api.awaitUp(java.time.Duration.ofSeconds(90));
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":15060}").status());
            long channels = customer(api, "31313131", "127.0.0.31", 10, 1000);
            customer(api, "33333333", "127.0.0.33", 100, 2);
            long guarded = customer(api, "35353535", "127.0.0.35", 100, 1000);

            exactlyMaxChannelsConnect(api, channels);
            aBurstAboveMaxCpsIsShedWith503();
            theCountryGuardTripsAndIsCleared(api, guarded);
            blockedDestinationsAreRefused(api);
        } finally {
            server.stop();
        }
    }

    /** SIPp opens maxChannels + 5 calls at once: exactly maxChannels connect; all channels come back. */
    private void exactlyMaxChannelsConnect(ApiClient api, long customerId) throws Exception {
        Sipp carrier = Sipp.scenario("fraud-channels-carrier", "uas-answers.xml").bind(CARRIER, 15060).udp()
                .calls(10, 100, 100).timeout(Duration.ofSeconds(60)).start(null);
        Sipp.Result pbx = Sipp.scenario("fraud-channels-customer", "uac-caller-hangs-up.xml").bind("127.0.0.31").udp()
                .dialing("31313131*+12066418000").calls(15, 200, 15).callLength(Duration.ofSeconds(3))
                .timeout(Duration.ofSeconds(40)).start(TRUNK).await(Duration.ofSeconds(60));
        Sipp.Result gw = carrier.await(Duration.ofSeconds(20));
        assertEquals(10, pbx.successfulCalls(), pbx::toString);
        assertEquals(5, pbx.failedCalls(), () -> "the 5 over the limit are refused: " + pbx);
        assertEquals(10, gw.successfulCalls(), gw::toString);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (api.get("/api/v1/customers/" + customerId).json().getInt("channelsInUse") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, api.get("/api/v1/customers/" + customerId).json().getInt("channelsInUse"));
        assertEquals("[]", api.get("/api/v1/calls").body().replace(" ", ""));
    }

    /** maxCps 2: of 8 INVITEs sent at once, 2 reach the carrier, 6 get 503 with Retry-After. */
    private void aBurstAboveMaxCpsIsShedWith503() throws Exception {
        try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, 15060, SipTestClient.address("127.0.0.1", SIP_PORT));
             SipTestClient pbx = new SipTestClient(Transport.UDP, "127.0.0.33", SipTestClient.address("127.0.0.1", SIP_PORT))) {
            for (int i = 0; i < 8; i++) {
                pbx.send(pbx.newRequest("INVITE", "sip:33333333*+12066418000@fraud.test", "", ""));
            }
            int shed = 0;
            int reached = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((shed + reached < 8) && System.nanoTime() < deadline) {
                Optional<SipMessage> atCarrier = carrier.receive(Duration.ofMillis(50));
                if (atCarrier.isPresent() && "INVITE".equals(atCarrier.get().method()) && !atCarrier.get().isResponse()) {
                    reached++;
                    carrier.send(atCarrier.get().response(486, "Busy Here", "c" + reached, "", ""));
                }
                Optional<SipMessage> answer = pbx.receive(Duration.ofMillis(50));
                if (answer.isPresent() && answer.get().status() == 503) {
                    assertEquals("1", answer.get().header("Retry-After").orElse(""), answer.get()::toString);
                    shed++;
                }
            }
            assertEquals(2, reached, "a burst of maxCps passes");
            assertEquals(6, shed, "the rest is shed with 503");
        }
    }

    /** The call over the limit within a minute to one country trips the guard; the API lists and clears it. */
    private void theCountryGuardTripsAndIsCleared(ApiClient api, long customerId) throws Exception {
        try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, 15060, SipTestClient.address("127.0.0.1", SIP_PORT));
             SipTestClient pbx = new SipTestClient(Transport.UDP, "127.0.0.35", SipTestClient.address("127.0.0.1", SIP_PORT))) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i <= GUARD_LIMIT; i++) {
                statuses.add(call(pbx, carrier, "35353535*+442079460000"));
            }
            List<Integer> expected = new ArrayList<>(java.util.Collections.nCopies(GUARD_LIMIT, 486));
            expected.add(403);
            assertEquals(expected, statuses, "the call over the limit trips the guard and is refused");
            assertEquals(486, call(pbx, carrier, "35353535*+12066418000"), "other countries go on");
            String listed = api.get("/api/v1/fraud-guard").body();
            assertTrue(listed.contains("\"countryCode\":44") && listed.contains("\"customerId\":" + customerId), listed);
            assertEquals(204, api.delete("/api/v1/fraud-guard/" + customerId + "/44").status());
            assertEquals(404, api.delete("/api/v1/fraud-guard/" + customerId + "/44").status());
            assertEquals(486, call(pbx, carrier, "35353535*+442079460000"), "cleared: calls there pass again");
        }
    }

    private void blockedDestinationsAreRefused(ApiClient api) throws Exception {
        assertEquals(201, api.post("/api/v1/blocked-prefixes", "{\"prefix\":\"+1900\",\"note\":\"premium rate\"}").status());
        assertEquals(409, api.post("/api/v1/blocked-prefixes", "{\"prefix\":\"+1900\"}").status());
        assertEquals(422, api.post("/api/v1/blocked-prefixes", "{\"prefix\":\"1900\"}").status());
        try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, 15060, SipTestClient.address("127.0.0.1", SIP_PORT));
             SipTestClient pbx = new SipTestClient(Transport.UDP, "127.0.0.31", SipTestClient.address("127.0.0.1", SIP_PORT))) {
            assertEquals(403, call(pbx, carrier, "31313131*+19005550100"));
            assertTrue(carrier.receive(Duration.ofMillis(500)).isEmpty(), "a blocked call never reaches a carrier");
            assertEquals(204, api.delete("/api/v1/blocked-prefixes/%2B1900").status());
            assertEquals(486, call(pbx, carrier, "31313131*+19005550100"));
        }
    }

    /** One call, answered 486 by the carrier if it gets there; returns the PBX's final status. */
    private static int call(SipTestClient pbx, SipTestClient carrier, String user) throws Exception {
        return BusyCarrierCall.place(pbx, carrier, "sip:" + user + "@fraud.test", WAIT).status();
    }

    private static long customer(ApiClient api, String prefix, String ip, int maxChannels, int maxCps) throws Exception {
        ApiClient.Reply r = api.post("/api/v1/customers", "{\"name\":\"c" + prefix + "\",\"techPrefix\":\"" + prefix + "\",\"ips\":[\""
                + ip + "\"],\"maxChannels\":" + maxChannels + ",\"maxCps\":" + maxCps + "}");
        assertEquals(201, r.status(), r::toString);
        return r.json().getJsonNumber("id").longValue();
    }
}

package org.opentrunk.sip;

import org.opentrunk.call.Call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Dialog;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;

/**
 * Issue 25, long calls: a customer's maxCallSeconds ends its answered calls, outbound and inbound
 * (the number's owner), with BYE on both legs carrying the Reason, and the CDR says max_duration.
 * A customer with 0 has no limit. On a server of its own so that nothing else's calls interfere.
 */
class MaxCallDurationIT {

    private static final int SIP_PORT = 16370;
    private static final int HTTP_PORT = 20390;
    private static final String PASSWORD = "long-calls-it-secret";
    private static final String DOMAIN = "long.test";
    private static final String PBX = "127.0.0.121";
    private static final int PBX_PORT = 15062;
    private static final String UNLIMITED_PBX = "127.0.0.123";
    private static final String CARRIER = "127.0.0.122";
    private static final int CARRIER_PORT = 15060;
    private static final String DID = "+12066410121";
    private static final int LIMIT_SECONDS = 2;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String OFFER = "v=0\r\no=a 1 1 IN IP4 127.0.0.121\r\ns=-\r\nc=IN IP4 127.0.0.121\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final String ANSWER = "v=0\r\no=b 7 7 IN IP4 127.0.0.122\r\ns=-\r\nc=IN IP4 127.0.0.122\r\nt=0 0\r\n"
            + "m=audio 50000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Test
    void answeredCallsEndAtTheCustomersMaximumDurationBothWays() throws Exception {
        LibertyServer server = LibertyServer.trunk("long-calls-it", "127.0.0.1", SIP_PORT, HTTP_PORT, PASSWORD, DOMAIN);
        server.start();
        try {
            ApiClient api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
            theFieldIsValidated(api);
            assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                    + CARRIER_PORT + "}").status());
            long limited = customer(api, "12112121", PBX, LIMIT_SECONDS);
            customer(api, "12312323", UNLIMITED_PBX, 0);
            ApiClient.Reply number = api.post("/api/v1/numbers", "{\"e164\":\"" + DID + "\",\"customerId\":" + limited
                    + ",\"routes\":[{\"type\":\"host\",\"target\":\"" + PBX + ":" + PBX_PORT + "\"}]}");
            assertEquals(201, number.status(), number::toString);
            var trunk = SipTestClient.address("127.0.0.1", SIP_PORT);
            try (SipTestClient carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, trunk);
                 SipTestClient pbx = new SipTestClient(Transport.UDP, PBX, PBX_PORT, trunk);
                 SipTestClient unlimited = new SipTestClient(Transport.UDP, UNLIMITED_PBX, trunk)) {
                anOutboundCallIsHungUp(api, pbx, carrier);
                anInboundCallToTheCustomersNumberIsHungUp(api, pbx, carrier);
                withoutALimitTheCallStaysUp(unlimited, carrier);
            }
        } finally {
            server.stop();
        }
    }

    private static void theFieldIsValidated(ApiClient api) throws Exception {
        ApiClient.Reply created = api.post("/api/v1/customers", "{\"name\":\"d\",\"techPrefix\":\"12412424\"}");
        assertEquals(201, created.status(), created::toString);
        assertEquals(14_400, created.json().getInt("maxCallSeconds"), "the default is 4 h");
        for (String wrong : new String[] {"-1", "604801"}) {
            ApiClient.Reply refused = api.post("/api/v1/customers", "{\"name\":\"e\",\"techPrefix\":\"12512525\",\"maxCallSeconds\":"
                    + wrong + "}");
            assertEquals(422, refused.status(), refused::toString);
            assertEquals("maxCallSeconds", refused.json().getString("field"));
        }
        assertEquals(204, api.delete("/api/v1/customers/" + created.json().getJsonNumber("id").longValue()).status());
        assertTrue(api.get("/openapi").body().contains("maxCallSeconds"), "OpenAPI describes the field");
    }

    private void anOutboundCallIsHungUp(ApiClient api, SipTestClient pbx, SipTestClient carrier) throws Exception {
        String text = pbx.newRequest("INVITE", "sip:12112121*+12066418000@" + DOMAIN, "Content-Type: application/sdp\r\n", OFFER);
        SipMessage invite = parsed(text);
        pbx.send(text);
        SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        carrier.send(atCarrier.response(200, "OK", "gw1", "Contact: <sip:gw@" + CARRIER + ":" + CARRIER_PORT + ">\r\n"
                + "Content-Type: application/sdp\r\n", ANSWER));
        SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        long answeredAt = System.nanoTime();
        pbx.send(new Dialog(pbx, invite, ok).ack());
        carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        bothLegsGetBye(pbx, carrier, answeredAt);
        assertEquals("max_duration", cdrCause(api, "customerCallId", invite.header("Call-ID").orElseThrow()));
    }

    /** The customer owns the number, so its limit applies to the call it receives too. */
    private void anInboundCallToTheCustomersNumberIsHungUp(ApiClient api, SipTestClient pbx, SipTestClient carrier) throws Exception {
        String text = carrier.newRequest("INVITE", "sip:" + DID + "@" + DOMAIN, "Content-Type: application/sdp\r\n", ANSWER);
        SipMessage invite = parsed(text);
        carrier.send(text);
        SipMessage atPbx = pbx.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        pbx.send(atPbx.response(200, "OK", "pbx1", "Contact: <sip:pbx@" + PBX + ":" + PBX_PORT + ">\r\n"
                + "Content-Type: application/sdp\r\n", OFFER));
        SipMessage ok = carrier.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        long answeredAt = System.nanoTime();
        carrier.send(new Dialog(carrier, invite, ok).ack());
        pbx.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        bothLegsGetBye(pbx, carrier, answeredAt);
        assertEquals("max_duration", cdrCause(api, "carrierCallId", invite.header("Call-ID").orElseThrow()));
    }

    private void withoutALimitTheCallStaysUp(SipTestClient pbx, SipTestClient carrier) throws Exception {
        String text = pbx.newRequest("INVITE", "sip:12312323*+12066418000@" + DOMAIN, "Content-Type: application/sdp\r\n", OFFER);
        SipMessage invite = parsed(text);
        pbx.send(text);
        SipMessage atCarrier = carrier.await(m -> !m.isResponse() && "INVITE".equals(m.method()), WAIT);
        carrier.send(atCarrier.response(200, "OK", "gw2", "Contact: <sip:gw@" + CARRIER + ":" + CARRIER_PORT + ">\r\n"
                + "Content-Type: application/sdp\r\n", ANSWER));
        SipMessage ok = pbx.await(m -> m.isResponse() && m.status() == 200 && "INVITE".equals(m.method()), WAIT);
        Dialog call = new Dialog(pbx, invite, ok);
        pbx.send(call.ack());
        carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        Optional<SipMessage> early = pbx.receive(Duration.ofSeconds(LIMIT_SECONDS + 2));
        assertTrue(early.isEmpty(), () -> "maxCallSeconds 0: no limit, yet " + early);
        pbx.send(call.request("BYE", "", ""));
        SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
        assertEquals(200, pbx.await(m -> m.isResponse() && "BYE".equals(m.method()), WAIT).status());
    }

    /** Both parties get a BYE with the Reason about LIMIT_SECONDS after the answer, and answer it. */
    private static void bothLegsGetBye(SipTestClient pbx, SipTestClient carrier, long answeredAtNanos) throws Exception {
        for (SipTestClient party : new SipTestClient[] {pbx, carrier}) {
            SipMessage bye = party.await(m -> !m.isResponse() && "BYE".equals(m.method()), Duration.ofSeconds(LIMIT_SECONDS + 3));
            long afterMs = Duration.ofNanos(System.nanoTime() - answeredAtNanos).toMillis();
            assertTrue(afterMs >= LIMIT_SECONDS * 1000L - 300 && afterMs < LIMIT_SECONDS * 1000L + 2_000,
                    "BYE about " + LIMIT_SECONDS + " s after the answer, got " + afterMs + " ms");
            assertEquals(Call.MAX_DURATION_REASON, bye.header("Reason").orElse(""), bye::toString);
            party.send(bye.response(200, "OK", null, "", ""));
        }
    }

    private static String cdrCause(ApiClient api, String field, String callId) {
        JsonObject cdr = api.awaitCdr(callId);
        assertEquals(callId, cdr.getString(field, null), () -> field + " of " + cdr);
        return cdr.getString("disconnectCause");
    }

    private static long customer(ApiClient api, String prefix, String ip, int maxCallSeconds) throws Exception {
        ApiClient.Reply r = api.post("/api/v1/customers", "{\"name\":\"c" + prefix + "\",\"techPrefix\":\"" + prefix
                + "\",\"ips\":[\"" + ip + "\"],\"maxCallSeconds\":" + maxCallSeconds + "}");
        assertEquals(201, r.status(), r::toString);
        assertEquals(maxCallSeconds, r.json().getInt("maxCallSeconds"));
        return r.json().getJsonNumber("id").longValue();
    }

    private static SipMessage parsed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SipMessage.parse(bytes, bytes.length);
    }
}

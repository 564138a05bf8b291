package org.opentrunk.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import javax.json.JsonObject;
import javax.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.opentrunk.testing.ApiClient;
import org.opentrunk.testing.Baresip;
import org.opentrunk.testing.LibertyServer;
import org.opentrunk.testing.SipMessage;
import org.opentrunk.testing.SipTestClient;
import org.opentrunk.testing.SipTestClient.Transport;
import org.opentrunk.testing.TestNet;

/**
 * IC-INTEROP and IC-DIGEST with a real user agent, on a server of its own with the DEFAULT digest
 * settings (no OT_DIGEST_ALGORITHMS): baresip 1.0 (Debian 12, libre 1.x) gives up on a SHA-256
 * challenge wherever it stands, first or second ("Register: Function not implemented"), so the
 * default offers MD5 alone, and this test is what keeps it so. baresip registers as a digest
 * customer, an inbound DID call with a {@code registration} route reaches it with the caller's
 * whole CNAM name, and its outbound call is challenged (407, MD5) and reaches the carrier.
 */
@Tag("IC-INTEROP") @Tag("IC-DIGEST")
class BaresipDigestIT {

    private static final int TRUNK_SIP_PORT = 15660;
    private static final int HTTP_PORT = 19680;
    private static final String PASSWORD = "baresip-digest-it-secret";
    private static final String DOMAIN = TestNet.TRUNK_DOMAIN;
    private static final String PBX = "127.0.0.61";
    private static final int PBX_SIP_PORT = 15072;
    private static final int CONTROL_PORT = 14445;
    private static final String CARRIER = "127.0.0.62";
    private static final int CARRIER_PORT = 15060;
    /** Required of every customer; a digest customer dials without it. */
    private static final String TECH_PREFIX = "61616161";
    private static final String DIGEST_USER = "baresip-pbx";
    private static final String DIGEST_PASSWORD = "baresip-secret-1";
    /** The DID routed to baresip's registration; also its AOR user, so its calls carry it as caller. */
    private static final String DID = "+12065550341";
    private static final String NAMED_CALLER = "+12065550342";
    private static final String CALLER_NAME = "DIGEST CALLER"; // CNAM names are 15 characters at most
    private static final String CALLED = "+12066418000";
    /** baresip's registration interval: the server's default OT_REGISTER_MIN_EXPIRES. */
    private static final int REGISTER_INTERVAL = 60;
    private static final Duration WAIT = Duration.ofSeconds(8);
    private static final String OFFER = "v=0\r\no=carrier 1 1 IN IP4 " + CARRIER + "\r\ns=-\r\nc=IN IP4 " + CARRIER
            + "\r\nt=0 0\r\nm=audio 41300 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

    private static LibertyServer server;
    private static ApiClient api;
    private static long customerId;
    private SipTestClient carrier;
    private Baresip baresip;

    @BeforeAll
    static void start() throws Exception {
        server = LibertyServer.create("baresip-digest-it", Map.ofEntries(Map.entry("OT_SIP_HOST", "127.0.0.1"),
                Map.entry("OT_SIP_PORT", String.valueOf(TRUNK_SIP_PORT)), Map.entry("OT_HTTP_HOST", "127.0.0.1"),
                Map.entry("OT_HTTP_PORT", String.valueOf(HTTP_PORT)), Map.entry("OT_ADMIN_PASSWORD", PASSWORD),
                Map.entry("OT_SIP_DOMAIN", DOMAIN), Map.entry("OT_CARRIER_PROBE_INTERVAL", "0")));
        server.start();
        api = ApiClient.asAdmin(HTTP_PORT, PASSWORD).awaitUp(Duration.ofSeconds(90));
        ApiClient.Reply customer = api.post("/api/v1/customers", "{\"name\":\"baresip\",\"techPrefix\":\"" + TECH_PREFIX
                + "\",\"username\":\"" + DIGEST_USER + "\",\"password\":\"" + DIGEST_PASSWORD + "\",\"maxChannels\":10,\"maxCps\":10}");
        assertEquals(201, customer.status(), customer::toString);
        customerId = customer.json().getJsonNumber("id").longValue();
        assertEquals(201, api.post("/api/v1/carriers", "{\"name\":\"gw\",\"host\":\"" + CARRIER + "\",\"port\":"
                + CARRIER_PORT + "}").status());
        assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"" + DID + "\",\"customerId\":" + customerId
                + ",\"cnamLookup\":true,\"routes\":[{\"type\":\"registration\",\"target\":\"\",\"priority\":0}]}").status());
        assertEquals(201, api.post("/api/v1/numbers", "{\"e164\":\"" + NAMED_CALLER + "\",\"customerId\":" + customerId
                + ",\"cnamLookup\":false,\"routes\":[]}").status());
        ApiClient.Reply cnam = api.put("/api/v1/numbers/" + NAMED_CALLER + "/cnam", "{\"name\":\"" + CALLER_NAME + "\"}");
        assertTrue(cnam.status() < 300, cnam::toString);
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @BeforeEach
    void startBaresip(TestInfo test) throws Exception {
        carrier = new SipTestClient(Transport.UDP, CARRIER, CARRIER_PORT, SipTestClient.address("127.0.0.1", TRUNK_SIP_PORT));
        // The trunk as outbound proxy (trunk.test resolves nowhere); auth_user: the AOR user is the DID.
        baresip = Baresip.start("digest-" + test.getTestMethod().orElseThrow().getName(), PBX, PBX_SIP_PORT, CONTROL_PORT,
                "<sip:" + DID + "@" + DOMAIN + ">;auth_user=" + DIGEST_USER + ";auth_pass=" + DIGEST_PASSWORD
                        + ";outbound=\"sip:127.0.0.1:" + TRUNK_SIP_PORT + "\";regint=" + REGISTER_INTERVAL
                        + ";answermode=manual");
        baresip.awaitRegistered(WAIT);
    }

    @AfterEach
    void stopBaresip() throws Exception {
        try {
            baresip.close();
        } finally {
            carrier.close();
        }
    }

    @Test
    void registersAndReceivesAnInboundDidCallWithTheWholeCnamName() throws Exception {
        JsonObject registration = api.get("/api/v1/registrations?customerId=" + customerId).array().stream()
                .map(JsonValue::asJsonObject).filter(r -> r.getString("source", "").startsWith(PBX + ":"))
                .findFirst().orElseThrow(() -> new AssertionError("baresip's registration is not listed"));
        assertEquals(PBX + ":" + PBX_SIP_PORT, registration.getString("source"), registration::toString);
        assertTrue(registration.getString("userAgent", "").toLowerCase().contains("baresip"), registration::toString);

        String sent = carrier.newRequest("INVITE", "sip:" + DID + "@" + DOMAIN, "Content-Type: application/sdp\r\n"
                + "P-Asserted-Identity: <sip:" + NAMED_CALLER + "@" + CARRIER + ">\r\n", OFFER)
                .replaceFirst("From: <sip:\\+12065550100@[^>]*>", "From: <sip:" + NAMED_CALLER + "@" + CARRIER + ">");
        BaresipIT.takeCallWithName(baresip, carrier, sent, NAMED_CALLER, CALLER_NAME);
    }

    @Test
    void callsOutWithMd5Digest() throws Exception {
        baresip.command("dial", "sip:" + CALLED + "@" + DOMAIN);
        SipMessage atCarrier = OutboundCallIT.awaitInvite(carrier);
        assertEquals("sip:" + CALLED + "@" + CARRIER + ":" + CARRIER_PORT, atCarrier.requestUri());
        assertTrue(atCarrier.header("From").orElse("").contains(DID), atCarrier::toString);
        assertFalse(atCarrier.header("Proxy-Authorization").isPresent(), "credentials never reach a carrier");

        String answer = "v=0\r\no=carrier 7 7 IN IP4 " + CARRIER + "\r\ns=-\r\nc=IN IP4 " + CARRIER
                + "\r\nt=0 0\r\nm=audio 41302 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        carrier.send(atCarrier.response(200, "OK", "bd1", "Contact: <sip:gw@" + CARRIER + ":" + CARRIER_PORT + ">\r\n", answer));
        carrier.await(m -> !m.isResponse() && "ACK".equals(m.method()), WAIT);
        baresip.awaitEvent("CALL_ESTABLISHED", WAIT);
        baresip.command("hangup", "");
        SipMessage bye = carrier.await(m -> !m.isResponse() && "BYE".equals(m.method()), WAIT);
        carrier.send(bye.response(200, "OK", null, "", ""));
        baresip.awaitEvent("CALL_CLOSED", WAIT);

        // baresip's SIP trace (-s): the INVITE was challenged with MD5 alone (the default) and answered with it.
        String trace = Files.readString(baresip.log());
        assertTrue(trace.contains("SIP/2.0 407"), "the INVITE was challenged");
        assertTrue(trace.contains("Proxy-Authenticate: Digest") && trace.contains("algorithm=MD5"), "an MD5 challenge");
        assertFalse(trace.contains("SHA-256"), "no SHA-256 challenge offered by default");
        assertTrue(trace.contains("Proxy-Authorization: Digest"), "baresip answered it");
    }
}
